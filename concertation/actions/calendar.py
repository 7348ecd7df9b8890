"""The personal calendar feed: its secret address is a credential, so issuing and revoking it are audited."""

from django.db import transaction

from concertation.models.meetings import CalendarFeed
from core import audit, guard
from core.models import AuditEvent


@transaction.atomic
def issue_calendar_feed(acting_user) -> str:
    """A new secret key for the user's own feed (the old address stops working); returned once, never stored."""
    guard.require(acting_user, "concertation.manage_calendar_feed")
    _feed, key = CalendarFeed.issue(acting_user)
    audit.record(acting_user, AuditEvent.Action.TOKEN, acting_user, {"calendar_feed": [None, "issued"]})
    return key


@transaction.atomic
def revoke_calendar_feed(acting_user) -> bool:
    """The user's feed address stops working; False when there was none."""
    guard.require(acting_user, "concertation.manage_calendar_feed")
    deleted, _details = CalendarFeed.objects.filter(user=acting_user).delete()
    if deleted:
        audit.record(acting_user, AuditEvent.Action.TOKEN, acting_user, {"calendar_feed": ["issued", None]})
    return bool(deleted)
