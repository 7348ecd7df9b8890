from evaluation.models.campaigns import Answer, Campaign, Invitation, Response
from evaluation.models.instruments import Instrument, Item, Scale, Section
from evaluation.models.network import GraphKind, Relation, StoredNetwork
from evaluation.models.notes import PlacementNote
from evaluation.models.reports import Report

__all__ = [
    "Answer",
    "Campaign",
    "GraphKind",
    "Instrument",
    "Invitation",
    "Item",
    "PlacementNote",
    "Relation",
    "Report",
    "Response",
    "Scale",
    "Section",
    "StoredNetwork",
]
