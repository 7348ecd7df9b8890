from evaluation.models.campaigns import Answer, Campaign, Invitation, Response
from evaluation.models.instruments import Instrument, Item, Scale, Section
from evaluation.models.notes import PlacementNote
from evaluation.models.reports import Report

__all__ = [
    "Answer",
    "Campaign",
    "Instrument",
    "Invitation",
    "Item",
    "PlacementNote",
    "Report",
    "Response",
    "Scale",
    "Section",
]
