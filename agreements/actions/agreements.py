"""Agreements: drafting, parties and their contacts, sections, the lifecycle and amendments.

Every write goes through here: atomic, validated and recorded in the agreement's history. The text of a
signed agreement is frozen: it changes only through an amendment, which is a new version.
"""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import rules
from agreements.actions import legal_bases
from agreements.actions.follow_up import store_attachment
from agreements.actions.legal_bases import rule_for
from agreements.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    Attachment,
    KindRule,
    Party,
    PartyContact,
    SectionCode,
    StatusChange,
)
from agreements.uploads import check_upload
from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent
from registry.models import Affiliation

FIELDS = [
    "title", "kind", "rls", "summary", "start_date", "end_date", "renewal_terms", "joint_committee",
    "reminder_days", "is_public",
]  # fmt: skip
# Set by the actions from the law in force (legal_bases), recorded in the history with the fields above.
LEGAL_FIELDS = [
    "drafted_on", "legal_basis", "shares_personal_information", "information_basis",
    "financial_resources_not_applicable", "financial_resources_reason",
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


class TransitionRefused(Conflict):
    """A change of state that the rules refuse; `missing_sections` lists the section codes still empty (the API
    answers 409 with them)."""

    def __init__(self, messages: Any, missing_sections: list[str] | None = None, offer: dict | None = None) -> None:
        extra: dict[str, Any] = {"missing_sections": missing_sections or []}
        if offer:
            # The ids of the bases in force on the signing date, which `switch-legal-basis` puts on the agreement.
            extra["offered_bases"] = offer
        super().__init__(messages, extra=extra)

    @property
    def missing_sections(self) -> list[str]:
        return self.extra["missing_sections"]


def _valid_codes(codes: list[str]) -> list[str]:
    return [code for code in codes if code in SectionCode.values]


def required_codes(kind: str) -> list[str]:
    return _valid_codes(rule_for(kind).required_sections)


def required_codes_for(agreement: Agreement, amounts: bool | None = None) -> list[str]:
    """The agreement's required sections: its kind's, and the financial resources when it records amounts."""
    codes = required_codes(agreement.kind)
    has_amounts = legal_bases.has_amounts(agreement) if amounts is None else amounts
    if has_amounts and legal_bases.FINANCIAL not in codes:
        codes = [code for code in SectionCode.values if code in codes or code == legal_bases.FINANCIAL]
    return codes


def required_codes_by_kind() -> dict[str, list[str]]:
    """Every kind's required sections in one query (for lists of agreements)."""
    known = dict(KindRule.objects.values_list("kind", "required_sections"))
    return {kind: _valid_codes(known[kind]) if kind in known else required_codes(kind) for kind in Agreement.Kind}


def _check_editable(agreement: Agreement) -> None:
    if not agreement.is_editable:
        raise Conflict(
            _("A signed agreement is not edited: its text changes through an amendment, which becomes a new version.")
        )


def _check_new(
    allowed: QuerySet, before: Iterable[Model | None], after: Iterable[Model] | Model | None, field: str
) -> None:
    """What the user adds must be in their scope; links already there (perhaps hidden from them) stay."""
    chosen = [after] if after is None or isinstance(after, Model) else list(after)
    known = {obj.pk for obj in before if obj is not None}
    guard.within(allowed, [obj for obj in chosen if obj is not None and obj.pk not in known], field)


def _check_links(acting_user, agreement: Agreement, data: dict[str, Any], committee_before=None) -> None:
    """The joint committee, instances and action plans: of the agreement's RLS, and visible to the user."""
    rls = agreement.rls_id
    _check_new(rules.joint_committees_of(acting_user, rls), [committee_before], agreement.joint_committee,
               "joint_committee")  # fmt: skip
    for name, allowed in (("instances", rules.instances_of), ("action_plans", rules.plans_of)):
        if name in data:
            before = getattr(agreement, name).all() if agreement.pk else []
            _check_new(allowed(acting_user, rls), before, data[name], name)


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


def _check_parties(acting_user, rls, organizations: list) -> None:
    """Organisations of the agreement's RLS; a representative drafts only with their own organisation a party."""
    guard.within(rules.organizations_of(rls), organizations, "parties")
    if len(organizations) < 2:
        raise ValidationError({"parties": _("An agreement needs at least two parties.")})
    own = rules.must_be_a_party(acting_user, rls)
    if own and not {org.pk for org in organizations} & own:
        raise ValidationError({"parties": _("Your organisation must be one of the parties.")})


@transaction.atomic
def create_agreement(acting_user, data: dict[str, Any]) -> Agreement:
    """A new draft with its parties (two or more) and the empty sections its kind requires, in an RLS where the
    user drafts: its coordinators with any of its organisations, a representative with their own."""
    guard.require(acting_user, "agreements.add_agreement")
    rls = data.get("rls")
    guard.within(rules.drafting_rls_for(acting_user), rls, "rls")
    organizations = list(dict.fromkeys(data.get("parties") or []))
    if rls is not None:
        _check_parties(acting_user, rls, organizations)
    agreement = Agreement(status=S.DRAFT)
    _apply(agreement, data)
    agreement.drafted_on = _drafting_date(data.get("drafted_on"))
    # The basis of its kind in force on the day it is drafted (issue 11): an agreement recorded today but drafted in
    # 2024 rests on the LSSSS; signing checks the basis is still in force.
    agreement.legal_basis = legal_bases.basis_for(agreement.kind, agreement.drafting_day)
    legal_bases.set_information_sharing(agreement, bool(data.get("shares_personal_information")))
    legal_bases.apply_financial_resources(
        agreement, bool(data.get("financial_resources_not_applicable")), data.get("financial_resources_reason", "")
    )
    guard.check_dates(agreement.start_date, agreement.end_date)
    agreement.full_clean()
    _check_links(acting_user, agreement, data)
    agreement.save()
    Party.objects.bulk_create(Party(agreement=agreement, organization=org) for org in organizations)
    _add_missing_sections(agreement)
    _set_links(agreement, data)
    StatusChange.objects.create(agreement=agreement, to_status=S.DRAFT, by=_user(acting_user))
    changes = audit.diff({}, audit.snapshot(agreement, [*FIELDS, *LEGAL_FIELDS]))
    changes["parties"] = [None, [str(o) for o in organizations]]
    audit.record(acting_user, AuditEvent.Action.CREATE, agreement, changes)
    return agreement


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


def _drafting_date(day: datetime.date | None) -> datetime.date:
    """Today, or the day an agreement recorded afterwards was drafted (never in the future)."""
    today = timezone.localdate()
    if day is None:
        return today
    if day > today:
        raise ValidationError({"drafted_on": _("The drafting date cannot be in the future.")})
    return day


@transaction.atomic
def update_agreement(acting_user, agreement: Agreement, data: dict[str, Any]) -> Agreement:
    guard.require(acting_user, "agreements.change_agreement", agreement)
    _check_editable(agreement)
    if "rls" in data and getattr(data["rls"], "pk", data["rls"]) != agreement.rls_id:
        raise ValidationError({"rls": _("An agreement cannot move to another RLS.")})
    if "drafted_on" in data and data["drafted_on"] != agreement.drafted_on:
        raise ValidationError({"drafted_on": _("The drafting date is set when the agreement is created.")})
    before = audit.snapshot(agreement, [*FIELDS, *LEGAL_FIELDS])
    kind_before, committee_before = agreement.kind, agreement.joint_committee
    _apply(agreement, {k: v for k, v in data.items() if k != "rls"})
    if agreement.kind != kind_before:
        agreement.legal_basis = legal_bases.basis_for(agreement.kind, agreement.drafting_day)
    if "shares_personal_information" in data:
        legal_bases.set_information_sharing(agreement, bool(data["shares_personal_information"]))
    if agreement.kind == kind_before and data.get("legal_basis") not in (None, agreement.legal_basis):
        legal_bases.apply_basis(agreement, data["legal_basis"])
    if "financial_resources_not_applicable" in data or "financial_resources_reason" in data:
        legal_bases.apply_financial_resources(
            agreement,
            bool(data.get("financial_resources_not_applicable", agreement.financial_resources_not_applicable)),
            data.get("financial_resources_reason", agreement.financial_resources_reason),
        )
    guard.check_dates(agreement.start_date, agreement.end_date)
    agreement.full_clean()
    _check_links(acting_user, agreement, data, committee_before)
    agreement.save()
    _add_missing_sections(agreement)
    changes = audit.diff(before, audit.snapshot(agreement, [*FIELDS, *LEGAL_FIELDS])) | _set_links(agreement, data)
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes)
    return agreement


# Parties and their contacts -----------------------------------------------------------------------------


@transaction.atomic
def add_party(acting_user, agreement: Agreement, data: dict[str, Any]) -> Party:
    guard.require(acting_user, "agreements.change_agreement", agreement)
    _check_editable(agreement)
    guard.within(rules.organizations_of(agreement.rls_id), data.get("organization"), "organization")
    party = Party(agreement=agreement, organization=data.get("organization"), role=data.get("role", ""))
    party.full_clean()
    party.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, {"party": [None, str(party)]})
    return party


@transaction.atomic
def remove_party(acting_user, party: Party) -> None:
    agreement = party.agreement
    guard.require(acting_user, "agreements.change_agreement", agreement)
    _check_editable(agreement)
    if agreement.parties.count() <= 2:
        raise Conflict(_("An agreement needs at least two parties: add another one before removing this one."))
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, {"party": [str(party), None]})
    party.delete()


def is_affiliated(person, organization, on: datetime.date | None = None) -> bool:
    day = on or timezone.localdate()
    return (
        Affiliation.objects.filter(person=person, organization=organization, start_date__lte=day)
        .exclude(end_date__lt=day)
        .exists()
    )


def _checked_evidence(acting_user, party: Party, data: dict[str, Any]) -> tuple[UploadedFile, str] | None:
    """The signed page and its type, required when someone other than the party's representative records the
    party's signature."""
    evidence = data.get("evidence")
    signature = data.get("role") == PartyContact.Role.SIGNATORY and data.get("signed_on")
    if signature and not evidence and not rules.represents_party(acting_user, party):
        raise ValidationError(
            {"evidence": _("Attach the signed page: a signature recorded for an organisation you do not represent "
                           "needs it as evidence.")}
        )  # fmt: skip
    if not evidence:
        return None
    try:
        return evidence, check_upload(evidence)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error


OWN_CONTACTS = gettext_lazy(
    "Each party records its own signatories and respondents: ask that party's representatives, or the network "
    "coordinator, who attaches the signed page."
)


@transaction.atomic
def add_contact(acting_user, party: Party, data: dict[str, Any]) -> PartyContact:
    """A signatory or respondent of a party, recorded by that party's representative or by the coordinator of the
    agreement's RLS (with the signed page as evidence when it is a signature): parties act for themselves. The
    person must currently belong to the party's organisation (and on the day they signed)."""
    guard.require(acting_user, "agreements.act_for_party", party, why=OWN_CONTACTS)
    person, role, signed_on = data.get("person"), data["role"], data.get("signed_on")
    if signed_on and signed_on > timezone.localdate():
        raise ValidationError({"signed_on": _("A signature cannot be dated in the future.")})
    if role == PartyContact.Role.SIGNATORY:
        _check_editable(party.agreement)
    guard.within(rules.people_of(party.organization_id), person, "person")
    if signed_on and role != PartyContact.Role.SIGNATORY:
        raise ValidationError({"signed_on": _("Only a signatory has a signature date.")})
    if signed_on and not is_affiliated(person, party.organization, signed_on):
        raise ValidationError(
            {
                "person": _("%(person)s does not belong to %(org)s: only its own people sign or answer for it.")
                % {"person": person, "org": party.organization}
            }
        )
    evidence = _checked_evidence(acting_user, party, data)
    contact = PartyContact(party=party, person=person, role=role, signed_on=signed_on, recorded_by=_user(acting_user))
    contact.full_clean()
    contact.save()
    described = f"{person} ({party.organization})" + (f", {signed_on.isoformat()}" if signed_on else "")
    changes: dict[str, list] = {contact.role: [None, described]}
    if evidence is not None:
        upload, content_type = evidence
        attachment = store_attachment(
            acting_user,
            party.agreement,
            upload,
            content_type,
            Attachment.Kind.SIGNED_SCAN,
            contact=contact,
            confidential=True,  # it carries signatures: with the parties until one of them says otherwise
        )
        changes["evidence"] = [None, attachment.filename]
    audit.record(acting_user, AuditEvent.Action.UPDATE, party.agreement, changes)
    return contact


@transaction.atomic
def remove_contact(acting_user, contact: PartyContact) -> None:
    party = contact.party
    guard.require(acting_user, "agreements.act_for_party", party, why=OWN_CONTACTS)
    if contact.role == PartyContact.Role.SIGNATORY:
        _check_editable(party.agreement)
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, party.agreement,
        {contact.role: [f"{contact.person} ({party.organization})", None]},
    )  # fmt: skip
    contact.delete()


# Sections -----------------------------------------------------------------------------------------------


@transaction.atomic
def update_section(acting_user, agreement: Agreement, code: str, body: str) -> AgreementSection:
    guard.require(acting_user, "agreements.change_agreement", agreement)
    _check_editable(agreement)
    if code not in SectionCode.values:
        raise ValidationError({"sections": _("Unknown section.")})
    section, _created = AgreementSection.objects.get_or_create(agreement=agreement, code=code)
    before, section.body = section.body, body.strip()
    section.save()
    if before != section.body:
        audit.record(
            acting_user, AuditEvent.Action.UPDATE, agreement,
            {f"section_{code}": [before, section.body]},
        )  # fmt: skip
    return section


def missing_sections(agreement: Agreement) -> list[str]:
    """The required section codes that are absent or empty, in the order of the kind's rule. The financial
    resources are required when the agreement records amounts; without amounts, "sans objet" with a reason settles
    them."""
    filled = {code for code, body in agreement.sections.values_list("code", "body") if body.strip()}
    amounts = legal_bases.has_amounts(agreement)
    if legal_bases.financial_without_object(agreement, amounts):
        filled.add(legal_bases.FINANCIAL)
    return [code for code in required_codes_for(agreement, amounts) if code not in filled]


# Lifecycle ----------------------------------------------------------------------------------------------


def signing_problems(agreement: Agreement) -> tuple[list[str], list[str]]:
    """(missing section codes, other reasons) that keep the agreement from being signed."""
    missing, reasons, _offer = _signing_problems(agreement)
    return missing, reasons


def _signing_problems(agreement: Agreement) -> tuple[list[str], list[str], dict]:
    missing = missing_sections(agreement)
    reasons, offer = legal_bases.basis_problems(agreement)
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
    guard.check_dates(agreement.start_date, agreement.end_date)
    if agreement.start_date is None:
        reasons.append(_("Give the start date before signing."))
    return missing, reasons, offer


def content_of(agreement: Agreement) -> dict[str, Any]:
    """The text a version freezes."""
    parties = agreement.parties.select_related("organization").prefetch_related("contacts__person")
    content = {
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
    # Only when they apply, so the versions frozen before these existed read the same.
    if agreement.shares_personal_information and agreement.information_basis_id:
        content["information_basis"] = str(agreement.information_basis)
    if agreement.financial_resources_not_applicable:
        content["financial_resources_reason"] = agreement.financial_resources_reason
    return content


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
def transition(acting_user, agreement: Agreement, to: str, reason: str = "") -> Agreement:
    """Move the agreement to another state, or refuse with the reasons (and the missing sections)."""
    guard.require(acting_user, "agreements.change_agreement", agreement)
    return _move(acting_user, agreement, to, reason)


@transaction.atomic
def expire(agreement: Agreement) -> Agreement:
    """The daily reminders command expires agreements past their end date: a write of the system, no user."""
    return _move(None, agreement, S.EXPIRED, "")


def _move(acting_user, agreement: Agreement, to: str, reason: str) -> Agreement:
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
        missing, reasons, offer = _signing_problems(agreement)
        if reasons:
            raise TransitionRefused({"to": reasons}, missing, offer)
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
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes)
    return agreement


# Amendments ---------------------------------------------------------------------------------------------


@transaction.atomic
def amend(acting_user, agreement: Agreement, data: dict[str, Any]) -> AgreementVersion:
    """An amendment of a signed agreement: new texts of some sections, perhaps new dates, and its reason."""
    guard.require(acting_user, "agreements.change_agreement", agreement)
    if not agreement.is_amendable:
        raise Conflict(_("Only a signed agreement or one in force is amended; a draft is simply edited."))
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
            if (
                code in required_codes_for(agreement)
                and not body
                and not (code == legal_bases.FINANCIAL and legal_bases.financial_without_object(agreement))
            ):
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
    guard.check_dates(agreement.start_date, agreement.end_date)
    agreement.save()
    version = _new_version(acting_user, agreement, note)
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, agreement, {**changes, "version": [version.number - 1, version.number]}
    )
    return version
