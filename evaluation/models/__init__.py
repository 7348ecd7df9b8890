from evaluation.models.campaigns import Answer, Campaign, Invitation, Response
from evaluation.models.instruments import Instrument, Item, Scale, Section

__all__ = ["Answer", "Campaign", "Instrument", "Invitation", "Item", "Response", "Scale", "Section"]
