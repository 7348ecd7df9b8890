"""What follows a signature, and what precedes it: the negotiation log, funding and payments, accountability
reports and attachments. Recorded in the agreement's history."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    Attachment,
    FundingAmount,
    NegotiationIssue,
    NegotiationPosition,
    Payment,
    Report,
)
from agreements.uploads import check_upload
from core import audit
from core.models import AuditEvent


def _record(acting_user, agreement: Agreement, changes: dict, request=None) -> None:
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes, request)


# Negotiation log (domain.md §6) -------------------------------------------------------------------------


@transaction.atomic
def log_issue(
    acting_user, agreement: Agreement, data: dict[str, Any], issue: NegotiationIssue | None = None, request=None
) -> NegotiationIssue:
    """Record (or update) an issue negotiated: `positions` maps each party to (initial position, concession)."""
    if agreement.status not in Agreement.EDITABLE_STATUSES:
        raise ValidationError(_("The negotiation is over: the agreement is signed. Amend it instead."))
    subject = (data.get("subject") or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Name the issue negotiated.")})
    before = {"compromise": issue.compromise} if issue else {}
    issue = issue or NegotiationIssue(agreement=agreement)
    issue.subject, issue.compromise = subject, (data.get("compromise") or "").strip()
    issue.settled_on = data.get("settled_on")
    issue.full_clean()
    issue.save()
    party_ids = set(agreement.parties.values_list("pk", flat=True))
    for party, (initial, concession) in (data.get("positions") or {}).items():
        if party.pk not in party_ids:
            raise ValidationError({"positions": _("Positions are those of the agreement's parties.")})
        NegotiationPosition.objects.update_or_create(
            issue=issue, party=party,
            defaults={"initial_position": (initial or "").strip(), "concession": (concession or "").strip()},
        )  # fmt: skip
    _record(
        acting_user, agreement,
        {"negotiation_issue": [before.get("compromise"), f"{issue.subject}: {issue.compromise or '…'}"]}, request,
    )  # fmt: skip
    return issue


# Funding ------------------------------------------------------------------------------------------------


@transaction.atomic
def set_amount(acting_user, agreement: Agreement, data: dict[str, Any], request=None) -> FundingAmount:
    """The amount of a year (one per year; setting it again replaces it)."""
    amount = Decimal(data["amount"])
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    funder = data.get("funder")
    if funder is not None and funder.agreement_id != agreement.pk:
        raise ValidationError({"funder": _("The funder must be a party to the agreement.")})
    line = FundingAmount.objects.filter(agreement=agreement, year=data["year"]).first()
    before = str(line.amount) if line else None
    line = line or FundingAmount(agreement=agreement, year=data["year"])
    line.amount, line.funder = amount, funder
    line.full_clean()
    line.save()
    _record(acting_user, agreement, {"funding": [before, f"{line.year}: {line.amount} $"]}, request)
    return line


@transaction.atomic
def delete_amount(acting_user, line: FundingAmount, request=None) -> None:
    _record(acting_user, line.agreement, {"funding": [f"{line.year}: {line.amount} $", None]}, request)
    line.delete()


@transaction.atomic
def add_payment(acting_user, agreement: Agreement, data: dict[str, Any], request=None) -> Payment:
    payment = Payment(agreement=agreement, due_on=data["due_on"], amount=data["amount"], paid_on=data.get("paid_on"))
    payment.full_clean()
    payment.save()
    _record(acting_user, agreement, {"payment": [None, f"{payment.due_on}: {payment.amount} $"]}, request)
    return payment


@transaction.atomic
def mark_paid(acting_user, payment: Payment, paid_on, request=None) -> Payment:
    payment.paid_on = paid_on
    payment.save(update_fields=["paid_on"])
    paid = f"{payment.due_on}: {audit.jsonable(paid_on)}"
    _record(acting_user, payment.agreement, {"payment_paid": [None, paid]}, request)
    return payment


# Accountability (reddition de comptes) -----------------------------------------------------------------


@transaction.atomic
def add_report(acting_user, agreement: Agreement, data: dict[str, Any], request=None) -> Report:
    report = Report(agreement=agreement, title=(data.get("title") or "").strip(), due_on=data.get("due_on"))
    report.full_clean()
    report.save()
    _record(acting_user, agreement, {"report_due": [None, f"{report.title} ({report.due_on})"]}, request)
    return report


@transaction.atomic
def submit_report(acting_user, report: Report, data: dict[str, Any], request=None) -> Report:
    """File the report, with its document when there is one (checked before anything is written)."""
    upload = data.get("file")
    content_type = check_upload(upload) if upload else None
    submitted_on = data.get("submitted_on") or timezone.localdate()
    if submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": _("A report cannot be submitted in the future.")})
    report.submitted_on, report.note = submitted_on, (data.get("note") or "").strip()
    report.submitted_by = acting_user if getattr(acting_user, "is_authenticated", False) else None
    report.save()
    if upload:
        _store(acting_user, report.agreement, upload, content_type, Attachment.Kind.REPORT, report)
    _record(acting_user, report.agreement, {"report_submitted": [None, f"{report.title} ({submitted_on})"]}, request)
    return report


# Attachments --------------------------------------------------------------------------------------------


def _store(acting_user, agreement, upload, content_type: str, kind: str, report=None) -> Attachment:
    attachment = Attachment(
        agreement=agreement, report=report, kind=kind, filename=upload.name[-200:], content_type=content_type,
        size=upload.size, uploaded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )  # fmt: skip
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attach(acting_user, agreement: Agreement, data: dict[str, Any], request=None) -> Attachment:
    upload = data["file"]
    content_type = check_upload(upload)
    attachment = _store(acting_user, agreement, upload, content_type, data.get("kind") or Attachment.Kind.ANNEX)
    _record(acting_user, agreement, {"attachment": [None, attachment.filename]}, request)
    return attachment


@transaction.atomic
def delete_attachment(acting_user, attachment: Attachment, request=None) -> None:
    _record(acting_user, attachment.agreement, {"attachment": [attachment.filename, None]}, request)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
