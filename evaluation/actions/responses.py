"""Answers: a respondent's, through their personal link (no account), or the group's consensual answer recorded
by the coordinator. Nothing is written unless every answer is valid.

An anonymous response is not in the audit log: an event carries a time and would tie the answer to the link
used a moment before. The campaign's page shows how many links were used."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent
from evaluation.models import Answer, Campaign, Invitation, Item, Response, Scale


def field_name(item: Item) -> str:
    """The name an item's answer goes by, in the pages' form and the API's errors."""
    return f"item_{item.pk}"


def clean_answers(campaign: Campaign, answers: dict[Any, Any]) -> list[Answer]:
    """The answers as rows, or a ValidationError naming each bad one. Keys are item ids; a value is the scale's
    value (or the text of an open item)."""
    items = {item.pk: item for item in Item.objects.filter(section__instrument=campaign.instrument_id)}
    errors: dict[str, str] = {}
    rows = []
    for key, raw in answers.items():
        pk = int(key) if str(key).isdigit() else None
        item = items.get(pk) if pk is not None else None
        if item is None:
            errors["answers"] = _("One of the answers is for a question this survey does not ask.")
            continue
        value = "" if raw is None else str(raw).strip()
        if not value:
            continue
        if item.scale == Scale.TEXT:
            if len(value) > 5000:
                errors[field_name(item)] = _("Keep this answer under 5,000 characters.")
            rows.append(Answer(item=item, text=value))
        elif value not in item.values():
            errors[field_name(item)] = _("Choose one of the answers offered.")
        else:
            rows.append(Answer(item=item, value=value))
    given = {row.item_id for row in rows}
    for item in items.values():
        if item.required and item.pk not in given and field_name(item) not in errors:
            errors[field_name(item)] = _("This question needs an answer.")
    if errors:
        raise ValidationError(errors)
    if not rows:
        raise ValidationError({"answers": _("Answer at least one question.")})
    return rows


@transaction.atomic
def submit_response(invitation: Invitation, answers: dict[Any, Any]) -> Response:
    # Locked so that two clicks on the same link cannot both answer.
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("campaign", "organization")
        .get(pk=invitation.pk)
    )
    campaign = invitation.campaign
    if not campaign.is_open():
        raise Conflict(_("This survey is closed: answers are no longer accepted."))
    confidential = campaign.privacy == Campaign.Privacy.CONFIDENTIAL
    if invitation.used and not confidential:
        raise Conflict(_("This link has already been used to answer."))
    rows = clean_answers(campaign, answers)
    response = getattr(invitation, "response", None) if confidential else None
    if response is None:
        response = Response.objects.create(
            campaign=campaign,
            submitted_on=timezone.localdate(),
            instance_id=invitation.instance_id,
            sector=invitation.organization.sector if invitation.organization else "",
            invitation=invitation if confidential else None,
        )
    else:
        response.answers.all().delete()
        response.submitted_on = timezone.localdate()
        response.save(update_fields=["submitted_on"])
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    if not invitation.used:
        invitation.used = True
        invitation.save(update_fields=["used"])
    return response


@transaction.atomic
def record_group_answer(
    acting_user, campaign: Campaign, answers: dict[Any, Any], notes: dict[Any, str], summary: str = ""
) -> Response:
    """The group's one consensual answer per item, with the discussion notes; recording it again replaces it."""
    guard.require(acting_user, "evaluation.change_campaign", campaign)
    if campaign.mode != Campaign.Mode.GROUP:
        raise Conflict(_("This campaign collects individual answers, not a group answer."))
    rows = clean_answers(campaign, answers)
    by_item = {str(k): (v or "").strip() for k, v in (notes or {}).items()}
    for row in rows:
        row.note = by_item.get(str(row.item_id), "")
    Response.objects.filter(campaign=campaign, is_group=True).delete()
    response = Response.objects.create(
        campaign=campaign, submitted_on=timezone.localdate(), is_group=True,
        instance=campaign.instances.order_by("pk").first(),
    )  # fmt: skip
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    campaign.group_notes = summary
    campaign.save(update_fields=["group_notes"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, campaign, {"group_answer": [None, len(rows)]})
    return response
