"""Campaigns: launch (one personal link per member reached, sent by a background task), remind, close, and the
members' decision that releases the results beyond the instances."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concertation.models import Decision, Membership
from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent
from evaluation import links
from evaluation import rules as scope
from evaluation.actions.responses import asks_relations
from evaluation.models import Campaign, Invitation
from evaluation.models.campaigns import MIN_GROUP_FLOOR

CAMPAIGN_FIELDS = ["title", "instrument", "mode", "privacy", "opens_on", "closes_on", "min_group_size"]


def _enqueue_mail(campaign: Campaign, reminder: bool) -> None:
    def enqueue() -> None:
        from evaluation import tasks  # tasks call back into this module (opening_today): imported when used

        tasks.send_campaign_mail.enqueue(campaign.pk, reminder)

    transaction.on_commit(enqueue)


def _validate(acting_user, campaign: Campaign, instances: list) -> None:
    guard.within(scope.instruments_for(acting_user), campaign.instrument, "instrument")
    guard.within(scope.campaign_instances_for(acting_user), instances, "instances")
    if not instances:
        raise ValidationError({"instances": _("Choose at least one instance.")})
    if len({i.rls_id for i in instances}) > 1:
        raise ValidationError({"instances": _("The instances of one campaign belong to the same RLS.")})
    guard.check_dates(campaign.opens_on, campaign.closes_on, "closes_on")
    if asks_relations(campaign.instrument_id):
        _validate_relations(campaign)
    if campaign.min_group_size is not None and campaign.min_group_size < MIN_GROUP_FLOOR:
        raise ValidationError({"min_group_size": _("The smallest group shown cannot be below 3 respondents.")})
    campaign.full_clean(exclude=["rls"])


def _validate_relations(campaign: Campaign) -> None:
    """An instrument that asks who the respondent's organisation works with is answered by each member, and
    cannot promise anonymity: the response records the respondent's organisation (a tie needs both its ends).
    The privacy is checked at launch; it cannot change afterwards (update_campaign), so a campaign launched
    before this rule can still have its dates corrected."""
    if campaign.mode == Campaign.Mode.GROUP:
        raise ValidationError(
            {"mode": _("This instrument asks each member which organisations theirs works with: it is answered "
                       "individually, not as a group.")}
        )  # fmt: skip
    if campaign.pk is None and campaign.privacy == Campaign.Privacy.ANONYMOUS:
        raise ValidationError(
            {"privacy": _("This instrument cannot be anonymous: its relations question records the respondent’s "
                          "organisation, since a tie needs both its ends. Choose confidential.")}
        )  # fmt: skip


def reachable_members(instances) -> dict:
    """Person → (instance, organisation) for the current members of the instances who have an e-mail address:
    one link per person, for the first instance they sit on."""
    today = timezone.localdate()
    found: dict = {}
    memberships = (
        Membership.objects.active_on(today)
        .filter(instance__in=instances, person__isnull=False)
        .exclude(person__email="")
        .select_related("person", "organization")
        .order_by("instance_id", "pk")
    )
    for membership in memberships:
        found.setdefault(membership.person, (membership.instance, membership.organization))
    return found


@transaction.atomic
def create_campaign(acting_user, data: dict[str, Any]) -> Campaign:
    guard.require(acting_user, "evaluation.add_campaign")
    instances = list(data.get("instances") or [])
    campaign = Campaign(created_by=acting_user)
    for name in CAMPAIGN_FIELDS:
        if name in data and data[name] is not None:
            setattr(campaign, name, data[name])
    _validate(acting_user, campaign, instances)
    campaign.rls_id = instances[0].rls_id
    campaign.save()
    campaign.instances.set(instances)
    if campaign.mode == Campaign.Mode.INDIVIDUAL:
        Invitation.objects.bulk_create(
            Invitation(campaign=campaign, person=person, instance=instance, organization=organization,
                       nonce=links.new_nonce())
            for person, (instance, organization) in reachable_members(instances).items()
        )  # fmt: skip
        if campaign.opens_on <= timezone.localdate():
            _enqueue_mail(campaign, reminder=False)
    audit.record(
        acting_user, AuditEvent.Action.CREATE, campaign,
        {**audit.diff({}, audit.snapshot(campaign, CAMPAIGN_FIELDS)), "instances": [None, [str(i) for i in instances]]},
    )  # fmt: skip
    return campaign


@transaction.atomic
def update_campaign(acting_user, campaign: Campaign, data: dict[str, Any]) -> Campaign:
    """Dates, title and the smallest group shown; the instrument, mode and privacy are fixed once launched."""
    guard.require(acting_user, "evaluation.change_campaign", campaign)
    fixed = {
        "instrument": campaign.instrument, "mode": campaign.mode, "privacy": campaign.privacy,
        "instances": set(campaign.instances.all()),
    }  # fmt: skip
    sent = {f: (set(v) if f == "instances" else v) for f, v in data.items() if f in fixed}
    changed = [f for f in sent if sent[f] != fixed[f]]
    if changed:
        raise Conflict(
            _(
                "The instrument, the instances, the mode and the privacy of a campaign cannot change once it is "
                "launched."
            )
        )
    before = audit.snapshot(campaign, CAMPAIGN_FIELDS)
    for name in ("title", "opens_on", "closes_on", "min_group_size"):
        if name in data and data[name] is not None:
            setattr(campaign, name, data[name])
    _validate(acting_user, campaign, list(campaign.instances.all()))
    campaign.save()
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, campaign, audit.diff(before, audit.snapshot(campaign, CAMPAIGN_FIELDS))
    )
    return campaign


@transaction.atomic
def send_reminders(acting_user, campaign: Campaign) -> int:
    """Remind everyone whose link is unused; returns how many will be reminded."""
    guard.require(acting_user, "evaluation.change_campaign", campaign)
    if not campaign.is_open():
        raise Conflict(_("Reminders go out only while the campaign is open."))
    pending = campaign.invitations.filter(used=False).count()
    if pending:
        _enqueue_mail(campaign, reminder=True)
    audit.record(acting_user, AuditEvent.Action.UPDATE, campaign, {"reminders": [None, pending]})
    return pending


@transaction.atomic
def close_campaign(acting_user, campaign: Campaign) -> Campaign:
    guard.require(acting_user, "evaluation.change_campaign", campaign)
    if campaign.is_closed:
        raise Conflict(_("This campaign is already closed."))
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, campaign, {"closed": [False, True]})
    return campaign


@transaction.atomic
def release_results(acting_user, campaign: Campaign, decision: Decision) -> Campaign:
    """The members decided, in a meeting of one of the campaign's instances, to let the results leave it."""
    guard.require(acting_user, "evaluation.change_campaign", campaign)
    allowed = Decision.objects.filter(meeting__instance__in=campaign.instances.all())
    guard.within(allowed, decision, "release_decision")
    campaign.release_decision = decision
    campaign.save(update_fields=["release_decision"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, campaign, {"release_decision": [None, str(decision)]})
    return campaign


def opening_today(day: datetime.date | None = None):
    """Campaigns whose links go out today (launched ahead of their opening), for the daily task."""
    day = day or timezone.localdate()
    return Campaign.objects.filter(opens_on=day, closed_at__isnull=True, mode=Campaign.Mode.INDIVIDUAL)
