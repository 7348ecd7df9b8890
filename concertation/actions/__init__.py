"""Every write to concertation data goes through these functions: atomic, audited, taking the acting user."""
