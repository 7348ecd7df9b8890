from agreements.models.agreements import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    KindRule,
    LegalBasis,
    Party,
    PartyContact,
    SectionCode,
    StatusChange,
)
from agreements.models.follow_up import (
    Attachment,
    FundingAmount,
    NegotiationIssue,
    NegotiationPosition,
    Payment,
    Reminder,
    Report,
)

__all__ = [
    "Agreement",
    "AgreementSection",
    "AgreementVersion",
    "Attachment",
    "FundingAmount",
    "KindRule",
    "LegalBasis",
    "NegotiationIssue",
    "NegotiationPosition",
    "Party",
    "PartyContact",
    "Payment",
    "Reminder",
    "Report",
    "SectionCode",
    "StatusChange",
]
