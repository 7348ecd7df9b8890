"""Every write of the evaluation module: instruments (copy and edit), campaigns (launch, remind, close,
release) and answers (a respondent's, or the group's consensual one)."""
