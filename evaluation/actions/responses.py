"""Answers: a respondent's, through their personal link (no account), or the group's consensual answer recorded
by the coordinator. Nothing is written unless every answer is valid.

An anonymous response is not in the audit log: an event carries a time and would tie the answer to the link
used a moment before. The campaign's page shows how many links were used.

A relations item (who the respondent's organisation works with, each tie rated) is answered by each member, never
by a group; its answer is a list of `{"organization", "frequency", "usefulness", "trust"}`, written as Relation
rows. A response to an instrument that asks it records the respondent's organisation (not the person): a tie
needs both of its ends."""

import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent
from evaluation.models import Answer, Campaign, GraphKind, Invitation, Item, Relation, Response, Scale
from registry.models import Organization

MAX_RELATIONS = 40
RATINGS = ("frequency", "usefulness", "trust")
ENTRY_FIELDS = ("organization", *RATINGS)
# A database id: ASCII digits only (str.isdigit() takes "²" or "٥", which int() refuses or reads as another
# number), at most what a bigint holds.
DIGITS = re.compile(r"[0-9]{1,19}")
MAX_ID = 2**63 - 1


def field_name(item: Item) -> str:
    """The name an item's answer goes by, in the pages' form and the API's errors."""
    return f"item_{item.pk}"


def relation_field(item: Item, position: int) -> str:
    """The name of one organisation named in a relations answer (its position in the list, from 0), in the API's
    errors; the page shows it on that row."""
    return f"{field_name(item)}.{position}"


def asks_relations(instrument_id: int) -> bool:
    return Item.objects.filter(section__instrument=instrument_id, scale=Scale.RELATIONS).exists()


def partners_offered(campaign: Campaign, respondent: Organization | None) -> QuerySet:
    """The organisations a respondent may name: the active ones of the campaign's RLS, their own left out."""
    found = Organization.objects.active().filter(rls=campaign.rls_id)
    if respondent is not None:
        found = found.exclude(pk=respondent.pk)
    return found.order_by("name", "pk")


@dataclass
class Cleaned:
    answers: list[Answer] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


def whole_number(value: Any, low: int, high: int) -> int | None:
    """A whole number between `low` and `high`, given as a JSON integer or as the ASCII digits a form sends;
    None for anything else (a boolean, a float, other digits than 0-9, a sign, a number out of bounds)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and DIGITS.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if low <= number <= high else None


def _rating(value: Any) -> int | None:
    return whole_number(value, 1, 5)


def _organization_id(value: Any) -> int | None:
    """An organisation id as a JSON number or the digits a form sends."""
    return whole_number(value, 1, MAX_ID)


def _unknown_fields(entry: dict) -> list[str]:
    """What an entry holds beyond its organisation and three ratings is refused, not dropped unseen."""
    unknown = [str(key)[:40] for key in entry if key not in ENTRY_FIELDS]
    if not unknown:
        return []
    message = ngettext(
        "Unknown field: %(names)s. An entry gives organization, frequency, usefulness and trust.",
        "Unknown fields: %(names)s. An entry gives organization, frequency, usefulness and trust.",
        len(unknown),
    )
    return [message % {"names": ", ".join(unknown[:5])}]


def _rating_messages() -> dict[str, str]:
    return {
        "frequency": _("Say how often you work with this organisation (1 to 5)."),
        "usefulness": _("Say how useful this tie is to your work (1 to 5)."),
        "trust": _("Say how much you trust this organisation (1 to 5)."),
    }


def clean_relations(
    campaign: Campaign, item: Item, raw: Any, respondent: Organization | None, errors: dict[str, Any]
) -> list[Relation]:
    """One relations answer as rows; what is wrong goes into `errors`, by entry (`item_<id>.<position>`)."""
    name = field_name(item)
    if raw in (None, "", []):
        return []
    if campaign.mode != Campaign.Mode.INDIVIDUAL:
        errors[name] = _("This question is answered by each member for their organisation, not by the group.")
        return []
    if respondent is None:
        errors[name] = _("Your link is not tied to an organisation: this question cannot be answered through it.")
        return []
    if not isinstance(raw, list) or not all(isinstance(entry, dict) for entry in raw):
        errors[name] = _("Give a list of organisations, each with its three ratings.")
        return []
    if len(raw) > MAX_RELATIONS:
        errors[name] = _("Name at most %(max)d organisations.") % {"max": MAX_RELATIONS}
        return []
    wanted = {_organization_id(entry.get("organization")) for entry in raw} - {None}
    offered = set(partners_offered(campaign, None).filter(pk__in=wanted).values_list("pk", flat=True))
    messages = _rating_messages()
    rows, seen = [], set()
    for position, entry in enumerate(raw):
        problems = _unknown_fields(entry)
        organization = _organization_id(entry.get("organization"))
        if organization is None and entry.get("organization") in (None, ""):
            problems.append(_("Choose the organisation."))
        elif organization == respondent.pk:
            problems.append(_("Name the organisations yours works with, not your own."))
        elif organization not in offered:
            problems.append(_("Choose an organisation of this survey’s territory from the list."))
        elif organization in seen:
            problems.append(_("This organisation is already named above: name each one once."))
        ratings = {name: _rating(entry.get(name)) for name in RATINGS}
        problems += [messages[name] for name, value in ratings.items() if value is None]
        if problems or organization is None:  # None is always refused above; says so to the type checker
            errors[relation_field(item, position)] = problems
            continue
        seen.add(organization)
        rows.append(Relation(item=item, organization_id=organization, **ratings))
    return rows


def clean_answers(campaign: Campaign, answers: dict[Any, Any], respondent: Organization | None = None) -> Cleaned:
    """The answers as rows, or a ValidationError naming each bad one. Keys are item ids; a value is the scale's
    value (or the text of an open item, or the list of a relations item). `respondent`: the organisation of the
    link that answers (the one a relations answer may not name)."""
    items = {item.pk: item for item in Item.objects.filter(section__instrument=campaign.instrument_id)}
    errors: dict[str, Any] = {}
    cleaned = Cleaned()
    if not isinstance(answers, dict):
        raise ValidationError({"answers": _("Give the answers by question.")})
    answered_relations = set()
    for key, raw in answers.items():
        pk = whole_number(key, 1, MAX_ID)
        item = items.get(pk) if pk is not None else None
        if item is None:
            errors["answers"] = _("One of the answers is for a question this survey does not ask.")
            continue
        if item.scale == Scale.RELATIONS:
            relations = clean_relations(campaign, item, raw, respondent, errors)
            cleaned.relations += relations
            if relations:
                answered_relations.add(item.pk)
            continue
        value = "" if raw is None else str(raw).strip()
        if not value:
            continue
        if item.scale == Scale.TEXT:
            if len(value) > 5000:
                errors[field_name(item)] = _("Keep this answer under 5,000 characters.")
            cleaned.answers.append(Answer(item=item, text=value))
        elif value not in item.values():
            errors[field_name(item)] = _("Choose one of the answers offered.")
        else:
            cleaned.answers.append(Answer(item=item, value=value))
    given = {row.item_id for row in cleaned.answers} | answered_relations
    for item in items.values():
        # Nobody can be made to name partners they cannot name: a group, a link without an organisation.
        unanswerable = item.scale == Scale.RELATIONS and (campaign.mode != Campaign.Mode.INDIVIDUAL or not respondent)
        missing = item.required and item.pk not in given and not unanswerable
        if missing and not any(key == field_name(item) or key.startswith(f"{field_name(item)}.") for key in errors):
            errors[field_name(item)] = _("This question needs an answer.")
    if errors:
        raise ValidationError(errors)
    if not cleaned.answers and not cleaned.relations:
        raise ValidationError({"answers": _("Answer at least one question.")})
    return cleaned


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
    cleaned = clean_answers(campaign, answers, invitation.organization)
    # Only an instrument that asks who the respondent works with keeps the organisation: a tie has two ends.
    organization = invitation.organization if asks_relations(campaign.instrument_id) else None
    response = getattr(invitation, "response", None) if confidential else None
    if response is None:
        response = Response.objects.create(
            campaign=campaign,
            submitted_on=timezone.localdate(),
            instance_id=invitation.instance_id,
            sector=invitation.organization.sector if invitation.organization else "",
            organization=organization,
            invitation=invitation if confidential else None,
        )
    else:
        response.answers.all().delete()
        response.relations.all().delete()
        response.submitted_on = timezone.localdate()
        response.organization = organization
        response.save(update_fields=["submitted_on", "organization"])
    write_rows(response, cleaned)
    if not invitation.used:
        invitation.used = True
        invitation.save(update_fields=["used"])
    return response


def write_rows(response: Response, cleaned: Cleaned) -> None:
    """The cleaned answers of a response; relations in one insert, so the networks that read them are asked to
    recompute once (evaluation.network.signals reacts to single saves)."""
    for answer in cleaned.answers:
        answer.response = response
    for relation in cleaned.relations:
        relation.response = response
    Answer.objects.bulk_create(cleaned.answers)
    if cleaned.relations:
        Relation.objects.bulk_create(cleaned.relations)
        from evaluation.network import store  # loads the graph library: only when ties were named

        rls = response.campaign.rls
        transaction.on_commit(lambda: store.data_changed(GraphKind.RELATIONS, rls))


@transaction.atomic
def record_group_answer(
    acting_user, campaign: Campaign, answers: dict[Any, Any], notes: dict[Any, str], summary: str = ""
) -> Response:
    """The group's one consensual answer per item, with the discussion notes; recording it again replaces it."""
    guard.require(acting_user, "evaluation.change_campaign", campaign)
    if campaign.mode != Campaign.Mode.GROUP:
        raise Conflict(_("This campaign collects individual answers, not a group answer."))
    rows = clean_answers(campaign, answers).answers
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
