"""The law an agreement rests on, following the calendar (issue 11 §1), and its financial resources "le cas échéant"
(§3).

- A new agreement takes the basis of its kind in force on its drafting date: among the bases of the purpose its
  kind's rule names, the one whose dates cover that day (`basis_for`).
- Signing checks that the basis, and the information-sharing basis when the parties exchange personal information,
  are in force on the signing date (the latest signature's date, else today); when one is not, the signature is
  refused and the basis in force then is offered (`basis_problems`), which `switch_legal_basis` puts on the agreement.
- The financial-resources section is required when the agreement records amounts; without amounts the parties may
  mark it "sans objet" with a reason (`set_financial_resources`), which the missing-sections check accepts.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.defaults import ensure_rules
from agreements.models import Agreement, KindRule, LegalBasis, PartyContact, SectionCode
from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent

FINANCIAL = SectionCode.FINANCIAL_RESOURCES.value
Purpose = LegalBasis.Purpose


def rule_for(kind: str) -> KindRule:
    rules = KindRule.objects.select_related("legal_basis")
    rule = rules.filter(kind=kind).first()
    if rule is None:
        # The migrations seed the rules; a database flushed since (a test's) gets the defaults back.
        ensure_rules(LegalBasis, KindRule)
        rule = rules.filter(kind=kind).first() or KindRule(kind=kind)
    return rule


def _latest_in_force(bases, day: datetime.date) -> LegalBasis | None:
    return bases.in_force_on(day).order_by("-in_force_from", "-pk").first()


def basis_for(kind: str, day: datetime.date) -> LegalBasis | None:
    """The basis a `kind` of agreement rests on when drafted or signed on `day`: among the bases of the purpose its
    rule names, the latest in force that day (a basis of no particular purpose: itself, when in force). None when
    the kind has no basis, or none is in force that day."""
    named = rule_for(kind).legal_basis
    if named is None:
        return None
    if named.purpose == Purpose.OTHER:
        return named if named.is_in_force(day) else None
    return _latest_in_force(LegalBasis.objects.filter(purpose=named.purpose), day)


def information_basis_on(day: datetime.date) -> LegalBasis | None:
    return _latest_in_force(LegalBasis.objects.filter(purpose=Purpose.INFORMATION_SHARING), day)


def signing_date(agreement: Agreement) -> datetime.date:
    """The day the agreement is signed: that of its latest signature, else today."""
    latest = PartyContact.objects.filter(
        party__agreement=agreement, role=PartyContact.Role.SIGNATORY, signed_on__isnull=False
    ).aggregate(latest=Max("signed_on"))["latest"]
    return latest or timezone.localdate()


def basis_problems(agreement: Agreement) -> tuple[list[str], dict]:
    """(reasons, offer) that keep the agreement from being signed on its signing date because of its legal bases;
    `offer` holds the ids of the bases in force then (`legal_basis`, `information_basis`), for the API and the page's
    "switch" link."""
    day = signing_date(agreement)
    reasons: list[str] = []
    offer: dict[str, int | None] = {}
    basis = agreement.legal_basis
    if basis is not None and not basis.is_in_force(day):
        current = basis_for(agreement.kind, day)
        offer["legal_basis"] = current.pk if current else None
        reasons.append(_not_in_force(basis, current, day))
    if agreement.shares_personal_information:
        shared = agreement.information_basis
        if shared is None or not shared.is_in_force(day):
            current = information_basis_on(day)
            offer["information_basis"] = current.pk if current else None
            if shared is None:
                reasons.append(
                    _("The parties exchange personal information, but the agreement names no information-sharing "
                      "basis in force on %(date)s.") % {"date": day.isoformat()}
                    + " " + (_offer(current) if current else _no_basis())
                )  # fmt: skip
            else:
                reasons.append(_not_in_force(shared, current, day))
    return reasons, offer


def _offer(current: LegalBasis) -> str:
    return _("The basis in force then is %(current)s: switch the agreement to it, then sign.") % {"current": current}


def _no_basis() -> str:
    return _("No basis of this kind is in force then: an administrator adds it in the administration.")


def _not_in_force(basis: LegalBasis, current: LegalBasis | None, day: datetime.date) -> str:
    said = _("The agreement rests on %(basis)s, which is not in force on %(date)s, the date of its signature.") % {
        "basis": basis,
        "date": day.isoformat(),
    }
    return f"{said} {_offer(current) if current else _no_basis()}"


def allowed_bases(agreement: Agreement) -> list[LegalBasis]:
    """The bases an agreement may rest on: its kind's basis in force on its drafting date or on its signing date."""
    found = [basis_for(agreement.kind, agreement.drafting_day), basis_for(agreement.kind, signing_date(agreement))]
    return list({basis.pk: basis for basis in found if basis is not None}.values())


def _check_editable(agreement: Agreement) -> None:
    if not agreement.is_editable:
        raise Conflict(
            _("A signed agreement is not edited: its text changes through an amendment, which becomes a new version.")
        )


def apply_basis(agreement: Agreement, basis: LegalBasis | None) -> dict[str, list]:
    """Put `basis` (None: the one in force on the signing date) and, when the parties exchange personal information,
    the information-sharing basis in force on that date on the agreement, unsaved; returns the changes."""
    day = signing_date(agreement)
    if basis is None:
        basis = basis_for(agreement.kind, day)
        if basis is None and agreement.legal_basis_id:
            raise ValidationError({"legal_basis": _no_basis()})
    elif basis.pk not in {b.pk for b in allowed_bases(agreement)}:
        raise ValidationError(
            {"legal_basis": _("Choose the basis of this kind of agreement in force on its drafting date or on its "
                              "signing date (%(date)s).") % {"date": day.isoformat()}}
        )  # fmt: skip
    changes = {}
    if basis != agreement.legal_basis:
        changes["legal_basis"] = [_str(agreement.legal_basis), _str(basis)]
        agreement.legal_basis = basis
    if agreement.shares_personal_information:
        shared = agreement.information_basis
        if shared is None or not shared.is_in_force(day):
            current = information_basis_on(day)
            if current != shared:
                changes["information_basis"] = [_str(shared), _str(current)]
                agreement.information_basis = current
    return changes


def _str(basis: LegalBasis | None) -> str | None:
    return str(basis) if basis is not None else None


@transaction.atomic
def switch_legal_basis(acting_user, agreement: Agreement, basis: LegalBasis | None = None) -> Agreement:
    """Rest the agreement on `basis`, or by default on the bases in force on its signing date (the offer of a
    refused signature). Only while it is drafted or negotiated."""
    guard.require(acting_user, "agreements.change_agreement", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_editable(agreement)
    changes = apply_basis(agreement, basis)
    if changes:
        agreement.save(update_fields=["legal_basis", "information_basis", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes)
    return agreement


def set_information_sharing(agreement: Agreement, shares: bool) -> dict[str, list]:
    """Turn the information-sharing clause on (with the basis in force on the drafting date, if any: signing asks
    for the one in force then) or off, unsaved; returns the changes."""
    before = agreement.information_basis
    agreement.shares_personal_information = shares
    agreement.information_basis = (before or information_basis_on(agreement.drafting_day)) if shares else None
    if agreement.information_basis != before:
        return {"information_basis": [_str(before), _str(agreement.information_basis)]}
    return {}


# Financial resources "le cas échéant" --------------------------------------------------------------------------


def has_amounts(agreement: Agreement) -> bool:
    """The agreement records amounts (funding of a year): its financial-resources section is then required."""
    return agreement.amounts.exists()


def apply_financial_resources(agreement: Agreement, not_applicable: bool, reason: str) -> None:
    """Mark the financial-resources section "sans objet" with its reason (or unmark it), unsaved; refused with a
    reason missing or when the agreement records amounts."""
    reason = (reason or "").strip()
    if not_applicable:
        if not reason:
            raise ValidationError(
                {"financial_resources_reason": _("Say why the financial resources are without object.")}
            )
        if agreement.pk and has_amounts(agreement):
            raise Conflict(
                {"financial_resources_not_applicable": _(
                    "This agreement records amounts: its financial resources section is required. Remove the "
                    "amounts, or write the section."
                )}
            )  # fmt: skip
    agreement.financial_resources_not_applicable = not_applicable
    agreement.financial_resources_reason = reason if not_applicable else ""


@transaction.atomic
def set_financial_resources(acting_user, agreement: Agreement, not_applicable: bool, reason: str = "") -> Agreement:
    guard.require(acting_user, "agreements.change_agreement", agreement)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_editable(agreement)
    fields = ["financial_resources_not_applicable", "financial_resources_reason"]
    before = audit.snapshot(agreement, fields)
    apply_financial_resources(agreement, not_applicable, reason)
    changes = audit.diff(before, audit.snapshot(agreement, fields))
    if changes:
        agreement.save(update_fields=[*fields, "updated_at"])
        audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes)
    return agreement


def financial_without_object(agreement: Agreement, amounts: bool | None = None) -> bool:
    """The section counts as settled: marked "sans objet" with a reason, and no amount recorded."""
    if not (agreement.financial_resources_not_applicable and agreement.financial_resources_reason.strip()):
        return False
    return not (has_amounts(agreement) if amounts is None else amounts)
