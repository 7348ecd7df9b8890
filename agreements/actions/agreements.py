"""Agreements: drafting, parties and their contacts, sections, the lifecycle and amendments.

Every write goes through here: atomic, validated and recorded in the agreement's history. The text of a
signed agreement is frozen: it changes only through an amendment, which is a new version.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.defaults import ensure_rules
from agreements.models import (
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
from core import audit
from core.models import AuditEvent
from registry.models import Affiliation

FIELDS = [
    "title", "kind", "rls", "summary", "start_date", "end_date", "renewal_terms", "joint_committee",
    "reminder_days", "is_public",
]  # fmt: skip
S = Agreement.Status
# The lifecycle (issue 4): draft → negotiation → signed → in force → expired, or terminated with a reason.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    S.DRAFT: (S.NEGOTIATION, S.TERMINATED),
    S.NEGOTIATION: (S.DRAFT, S.SIGNED, S.TERMINATED),
    S.SIGNED: (S.IN_FORCE, S.TERMINATED),
    S.IN_FORCE: (S.EXPIRED, S.TERMINATED),
    S.EXPIRED: (),
    S.TERMINATED: (),
}


class TransitionRefused(ValidationError):
    """A change of state that the rules refuse; `missing_sections` lists the section codes still empty."""

    def __init__(self, messages, missing_sections: list[str] | None = None) -> None:
        super().__init__(messages)
        self.missing_sections = missing_sections or []


def rule_for(kind: str) -> KindRule:
    rules = KindRule.objects.select_related("legal_basis", "complaints_basis")
    rule = rules.filter(kind=kind).first()
    if rule is None:
        # The migration seeds the rules; a database flushed since (a test's) gets the defaults back.
        ensure_rules(LegalBasis, KindRule)
        rule = rules.filter(kind=kind).first() or KindRule(kind=kind)
    return rule


def _valid_codes(codes: list[str]) -> list[str]:
    return [code for code in codes if code in SectionCode.values]


def required_codes(kind: str) -> list[str]:
    return _valid_codes(rule_for(kind).required_sections)


def required_codes_by_kind() -> dict[str, list[str]]:
    """Every kind's required sections in one query (for lists of agreements)."""
    known = dict(KindRule.objects.values_list("kind", "required_sections"))
    return {kind: _valid_codes(known[kind]) if kind in known else required_codes(kind) for kind in Agreement.Kind}


def _check_editable(agreement: Agreement) -> None:
    if not agreement.is_editable:
        raise ValidationError(
            _("A signed agreement is not edited: its text changes through an amendment, which becomes a new version.")
        )


def _check_dates(agreement: Agreement) -> None:
    if agreement.start_date and agreement.end_date and agreement.end_date < agreement.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


def _check_joint_committee(agreement: Agreement) -> None:
    committee = agreement.joint_committee
    if committee is not None and committee.rls_id != agreement.rls_id:
        raise ValidationError({"joint_committee": _("The joint committee must be an instance of the same RLS.")})


def _apply(agreement: Agreement, data: dict[str, Any]) -> None:
    for name in FIELDS:
        if name in data:
            setattr(agreement, name, data[name])


def _add_missing_sections(agreement: Agreement) -> None:
    existing = set(agreement.sections.values_list("code", flat=True))
    AgreementSection.objects.bulk_create(
        AgreementSection(agreement=agreement, code=code)
        for code in required_codes(agreement.kind)
        if code not in existing
    )


def _set_links(agreement: Agreement, data: dict[str, Any]) -> dict[str, list]:
    changes = {}
    for name in ("instances", "action_plans"):
        if name in data:
            before = sorted(str(o) for o in getattr(agreement, name).all())
            getattr(agreement, name).set(data[name])
            after = sorted(str(o) for o in data[name])
            if before != after:
                changes[name] = [before, after]
    return changes


@transaction.atomic
def create_agreement(acting_user, data: dict[str, Any], request=None) -> Agreement:
    """A new draft with its parties (two or more) and the empty sections its kind requires."""
    organizations = list(dict.fromkeys(data.get("parties") or []))
    if len(organizations) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    agreement = Agreement(status=S.DRAFT)
    _apply(agreement, data)
    agreement.legal_basis = rule_for(agreement.kind).legal_basis
    _check_dates(agreement)
    agreement.full_clean()
    _check_joint_committee(agreement)
    agreement.save()
    Party.objects.bulk_create(Party(agreement=agreement, organization=org) for org in organizations)
    _add_missing_sections(agreement)
    _set_links(agreement, data)
    StatusChange.objects.create(agreement=agreement, to_status=S.DRAFT, by=_user(acting_user))
    changes = audit.diff({}, audit.snapshot(agreement, FIELDS))
    changes["parties"] = [None, [str(o) for o in organizations]]
    audit.record(acting_user, AuditEvent.Action.CREATE, agreement, changes, request)
    return agreement


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


@transaction.atomic
def update_agreement(acting_user, agreement: Agreement, data: dict[str, Any], request=None) -> Agreement:
    _check_editable(agreement)
    before = audit.snapshot(agreement, FIELDS)
    kind_before = agreement.kind
    _apply(agreement, data)
    if agreement.kind != kind_before:
        agreement.legal_basis = rule_for(agreement.kind).legal_basis
    _check_dates(agreement)
    agreement.full_clean()
    _check_joint_committee(agreement)
    agreement.save()
    _add_missing_sections(agreement)
    changes = audit.diff(before, audit.snapshot(agreement, FIELDS)) | _set_links(agreement, data)
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes, request)
    return agreement


# Parties and their contacts -----------------------------------------------------------------------------


@transaction.atomic
def add_party(acting_user, agreement: Agreement, data: dict[str, Any], request=None) -> Party:
    _check_editable(agreement)
    party = Party(agreement=agreement, organization=data["organization"], role=data.get("role", ""))
    party.full_clean()
    party.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, {"party": [None, str(party)]}, request)
    return party


@transaction.atomic
def remove_party(acting_user, party: Party, request=None) -> None:
    agreement = party.agreement
    _check_editable(agreement)
    if agreement.parties.count() <= 2:
        raise ValidationError(_("An agreement needs at least two parties: add another one before removing this one."))
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, {"party": [str(party), None]}, request)
    party.delete()


def is_affiliated(person, organization, on: datetime.date | None = None) -> bool:
    day = on or timezone.localdate()
    return (
        Affiliation.objects.filter(person=person, organization=organization, start_date__lte=day)
        .exclude(end_date__lt=day)
        .exists()
    )


@transaction.atomic
def add_contact(acting_user, party: Party, data: dict[str, Any], request=None) -> PartyContact:
    """A signatory or respondent must belong to the party's organisation (a current affiliation)."""
    person = data["person"]
    if data["role"] == PartyContact.Role.SIGNATORY:
        _check_editable(party.agreement)
    if not is_affiliated(person, party.organization, data.get("signed_on")):
        raise ValidationError(
            {
                "person": _("%(person)s does not belong to %(org)s: only its own people sign or answer for it.")
                % {"person": person, "org": party.organization}
            }
        )
    contact = PartyContact(party=party, person=person, role=data["role"], signed_on=data.get("signed_on"))
    contact.full_clean()
    contact.save()
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, party.agreement,
        {contact.role: [None, f"{person} ({party.organization})"]}, request,
    )  # fmt: skip
    return contact


@transaction.atomic
def remove_contact(acting_user, contact: PartyContact, request=None) -> None:
    agreement = contact.party.agreement
    if contact.role == PartyContact.Role.SIGNATORY:
        _check_editable(agreement)
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, agreement,
        {contact.role: [f"{contact.person} ({contact.party.organization})", None]}, request,
    )  # fmt: skip
    contact.delete()


# Sections -----------------------------------------------------------------------------------------------


@transaction.atomic
def update_section(acting_user, agreement: Agreement, code: str, body: str, request=None) -> AgreementSection:
    _check_editable(agreement)
    if code not in SectionCode.values:
        raise ValidationError({"code": _("Unknown section.")})
    section, _created = AgreementSection.objects.get_or_create(agreement=agreement, code=code)
    before, section.body = section.body, body.strip()
    section.save()
    if before != section.body:
        audit.record(
            acting_user, AuditEvent.Action.UPDATE, agreement,
            {f"section_{code}": [before, section.body]}, request,
        )  # fmt: skip
    return section


def missing_sections(agreement: Agreement) -> list[str]:
    """The required section codes that are absent or empty, in the order of the kind's rule."""
    filled = {code for code, body in agreement.sections.values_list("code", "body") if body.strip()}
    return [code for code in required_codes(agreement.kind) if code not in filled]


# Lifecycle ----------------------------------------------------------------------------------------------


def signing_problems(agreement: Agreement) -> tuple[list[str], list[str]]:
    """(missing section codes, other reasons) that keep the agreement from being signed."""
    missing = missing_sections(agreement)
    reasons = []
    if missing:
        labels = ", ".join(str(SectionCode(code).label) for code in missing)
        reasons.append(_("These required sections are missing or empty: %(sections)s.") % {"sections": labels})
    parties = list(agreement.parties.select_related("organization").prefetch_related("contacts"))
    if len(parties) < 2:
        reasons.append(_("An agreement needs at least two parties."))
    unsigned = [p for p in parties if not any(c.role == PartyContact.Role.SIGNATORY for c in p.contacts.all())]
    if unsigned:
        reasons.append(
            _("Each party needs a signatory; missing for: %(parties)s.")
            % {"parties": ", ".join(str(p.organization) for p in unsigned)}
        )
    _check_dates(agreement)
    if agreement.start_date is None:
        reasons.append(_("Give the start date before signing."))
    return missing, reasons


def content_of(agreement: Agreement) -> dict[str, Any]:
    """The text a version freezes."""
    parties = agreement.parties.select_related("organization").prefetch_related("contacts__person")
    return {
        "title": agreement.title,
        "kind": agreement.kind,
        "start_date": audit.jsonable(agreement.start_date),
        "end_date": audit.jsonable(agreement.end_date),
        "renewal_terms": agreement.renewal_terms,
        "legal_basis": str(agreement.legal_basis) if agreement.legal_basis_id else "",
        "sections": {s.code: s.body for s in sorted(agreement.sections.all(), key=section_order)},
        "parties": [
            {
                "organization": str(p.organization),
                "signatories": [str(c.person) for c in p.contacts.all() if c.role == PartyContact.Role.SIGNATORY],
            }
            for p in parties
        ],
    }


def section_order(section: AgreementSection) -> int:
    return SectionCode.values.index(section.code)


def _new_version(acting_user, agreement: Agreement, note: str) -> AgreementVersion:
    agreement.version += 1
    agreement.save(update_fields=["version", "updated_at"])
    return AgreementVersion.objects.create(
        agreement=agreement, number=agreement.version, created_by=_user(acting_user), note=note,
        content=content_of(agreement),
    )  # fmt: skip


@transaction.atomic
def transition(acting_user, agreement: Agreement, to: str, reason: str = "", request=None) -> Agreement:
    """Move the agreement to another state, or refuse with the reasons (and the missing sections)."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if to not in S.values:
        raise TransitionRefused({"to": _("Unknown status.")})
    if to not in TRANSITIONS[agreement.status]:
        raise TransitionRefused(
            {"to": _("An agreement cannot go from “%(from)s” to “%(to)s”.")
             % {"from": agreement.get_status_display(), "to": S(to).label}}
        )  # fmt: skip
    reason = reason.strip()
    today = timezone.localdate()
    if to == S.SIGNED:
        missing, reasons = signing_problems(agreement)
        if reasons:
            raise TransitionRefused({"to": reasons}, missing)
    elif to == S.TERMINATED and not reason:
        raise TransitionRefused({"reason": _("Say why the agreement is terminated.")})
    elif to == S.IN_FORCE and agreement.start_date and agreement.start_date > today:
        raise TransitionRefused(
            {"to": _("The agreement comes into force on its start date (%(date)s).") % {"date": agreement.start_date}}
        )
    elif to == S.EXPIRED and (agreement.end_date is None or agreement.end_date >= today):
        raise TransitionRefused({"to": _("An agreement expires only after its end date.")})
    before = agreement.status
    agreement.status, agreement.status_reason = to, reason
    agreement.save(update_fields=["status", "status_reason", "updated_at"])
    StatusChange.objects.create(
        agreement=agreement, from_status=before, to_status=to, by=_user(acting_user), reason=reason
    )
    if to == S.SIGNED:
        _new_version(acting_user, agreement, _("Signed version"))
    changes = {"status": [before, to]} | ({"status_reason": [None, reason]} if reason else {})
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes, request)
    return agreement


# Amendments ---------------------------------------------------------------------------------------------


@transaction.atomic
def amend(acting_user, agreement: Agreement, data: dict[str, Any], request=None) -> AgreementVersion:
    """An amendment of a signed agreement: new texts of some sections, perhaps new dates, and its reason."""
    if not agreement.is_amendable:
        raise ValidationError(_("Only a signed agreement or one in force is amended; a draft is simply edited."))
    note = (data.get("note") or "").strip()
    if not note:
        raise ValidationError({"note": _("Say what the amendment changes and why.")})
    sections = {s.code: s for s in agreement.sections.all()}
    changes: dict[str, list] = {}
    for code, body in (data.get("sections") or {}).items():
        if code not in SectionCode.values:
            raise ValidationError({"sections": _("Unknown section.")})
        section = sections.get(code) or AgreementSection(agreement=agreement, code=code)
        body = (body or "").strip()
        if section.body != body:
            if code in required_codes(agreement.kind) and not body:
                raise ValidationError({code: _("A required section cannot be emptied.")})
            changes[f"section_{code}"] = [section.body, body]
            section.body = body
            section.save()
    for name in ("end_date", "renewal_terms"):
        if name in data and data[name] != getattr(agreement, name):
            changes[name] = [audit.jsonable(getattr(agreement, name)), audit.jsonable(data[name])]
            setattr(agreement, name, data[name])
    if not changes:
        raise ValidationError(_("The amendment changes nothing: change a section or a date."))
    _check_dates(agreement)
    agreement.save()
    version = _new_version(acting_user, agreement, note)
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, agreement, {**changes, "version": [version.number - 1, version.number]},
        request,
    )  # fmt: skip
    return version
