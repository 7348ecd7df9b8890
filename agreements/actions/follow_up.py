"""What follows a signature, and what precedes it: the negotiation log, funding and payments, accountability
reports and attachments. Recorded in the agreement's history."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import (
    Agreement,
    Attachment,
    FundingAmount,
    NegotiationIssue,
    NegotiationPosition,
    Party,
    PartyContact,
    Payment,
    Report,
)
from agreements.uploads import check_upload
from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent


def _record(acting_user, agreement: Agreement, changes: dict) -> None:
    audit.record(acting_user, AuditEvent.Action.UPDATE, agreement, changes)


def _require_work(acting_user, agreement: Agreement) -> None:
    guard.require(acting_user, "agreements.change_agreement", agreement)


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


# Negotiation log (domain.md §6) -------------------------------------------------------------------------


@transaction.atomic
def log_issue(
    acting_user, agreement: Agreement, data: dict[str, Any], issue: NegotiationIssue | None = None
) -> NegotiationIssue:
    """Record (or update) an issue negotiated: `positions` maps each party to (initial position, concession)."""
    _require_work(acting_user, agreement)
    if issue is not None and issue.agreement_id != agreement.pk:
        raise ValidationError(_("Choose among the options offered: this choice is not available to you."))
    if agreement.status not in Agreement.EDITABLE_STATUSES:
        raise Conflict(_("The negotiation is over: the agreement is signed. Amend it instead."))
    subject = (data.get("subject") or "").strip()
    if not subject:
        raise ValidationError({"subject": _("Name the issue negotiated.")})
    before = {"compromise": issue.compromise} if issue else {}
    issue = issue or NegotiationIssue(agreement=agreement)
    issue.subject, issue.compromise = subject, (data.get("compromise") or "").strip()
    issue.settled_on = data.get("settled_on")
    issue.full_clean()
    issue.save()
    positions = data.get("positions") or {}
    if not set(positions) <= set(agreement.parties.all()):
        raise ValidationError({"positions": _("Positions are those of the agreement's parties.")})
    for party, (initial, concession) in positions.items():
        NegotiationPosition.objects.update_or_create(
            issue=issue, party=party,
            defaults={"initial_position": (initial or "").strip(), "concession": (concession or "").strip()},
        )  # fmt: skip
    _record(
        acting_user, agreement,
        {"negotiation_issue": [before.get("compromise"), f"{issue.subject}: {issue.compromise or '…'}"]},
    )  # fmt: skip
    return issue


# Funding ------------------------------------------------------------------------------------------------


@transaction.atomic
def set_amount(acting_user, agreement: Agreement, data: dict[str, Any]) -> FundingAmount:
    """The amount of a year (one per year; setting it again replaces it), paid by one of the parties."""
    _require_work(acting_user, agreement)
    amount = Decimal(data["amount"])
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    funder = data.get("funder")
    guard.within(Party.objects.filter(agreement=agreement), funder, "funder")
    line = FundingAmount.objects.filter(agreement=agreement, year=data["year"]).first()
    before = str(line.amount) if line else None
    line = line or FundingAmount(agreement=agreement, year=data["year"])
    line.amount, line.funder = amount, funder
    line.full_clean()
    line.save()
    _record(acting_user, agreement, {"funding": [before, f"{line.year}: {line.amount} $"]})
    return line


@transaction.atomic
def delete_amount(acting_user, line: FundingAmount) -> None:
    _require_work(acting_user, line.agreement)
    _record(acting_user, line.agreement, {"funding": [f"{line.year}: {line.amount} $", None]})
    line.delete()


@transaction.atomic
def add_payment(acting_user, agreement: Agreement, data: dict[str, Any]) -> Payment:
    _require_work(acting_user, agreement)
    payment = Payment(agreement=agreement, due_on=data["due_on"], amount=data["amount"], paid_on=data.get("paid_on"))
    payment.full_clean()
    payment.save()
    _record(acting_user, agreement, {"payment": [None, f"{payment.due_on}: {payment.amount} $"]})
    return payment


@transaction.atomic
def mark_paid(acting_user, payment: Payment, paid_on: datetime.date | None = None) -> Payment:
    _require_work(acting_user, payment.agreement)
    if payment.paid_on is not None:
        raise Conflict(_("This payment is already marked as paid."))
    paid_on = paid_on or timezone.localdate()
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment cannot be marked as paid in the future.")})
    payment.paid_on = paid_on
    payment.save(update_fields=["paid_on"])
    paid = f"{payment.due_on}: {audit.jsonable(paid_on)}"
    _record(acting_user, payment.agreement, {"payment_paid": [None, paid]})
    return payment


# Accountability (reddition de comptes) -----------------------------------------------------------------


@transaction.atomic
def add_report(acting_user, agreement: Agreement, data: dict[str, Any]) -> Report:
    _require_work(acting_user, agreement)
    report = Report(agreement=agreement, title=(data.get("title") or "").strip(), due_on=data["due_on"])
    report.full_clean()
    report.save()
    _record(acting_user, agreement, {"report_due": [None, f"{report.title} ({report.due_on})"]})
    return report


@transaction.atomic
def submit_report(acting_user, report: Report, data: dict[str, Any]) -> Report:
    """File the report, with its document when there is one (checked before anything is written)."""
    _require_work(acting_user, report.agreement)
    if report.submitted_on is not None:
        raise Conflict(_("This report is already filed."))
    upload = data.get("file")
    content_type = _checked(upload) if upload else ""
    submitted_on = data.get("submitted_on") or timezone.localdate()
    if submitted_on > timezone.localdate():
        raise ValidationError({"submitted_on": _("A report cannot be submitted in the future.")})
    report.submitted_on, report.note = submitted_on, (data.get("note") or "").strip()
    report.submitted_by = _user(acting_user)
    report.save()
    if upload:
        store_attachment(
            acting_user, report.agreement, upload, content_type, Attachment.Kind.REPORT, report=report,
            confidential=bool(data.get("confidential")),
        )  # fmt: skip
    _record(acting_user, report.agreement, {"report_submitted": [None, f"{report.title} ({submitted_on})"]})
    return report


# Attachments --------------------------------------------------------------------------------------------


def _checked(upload: UploadedFile) -> str:
    try:
        return check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


def store_attachment(
    acting_user, agreement: Agreement, upload: UploadedFile, content_type: str, kind: str,
    report: Report | None = None, contact: PartyContact | None = None, confidential: bool = False,
) -> Attachment:  # fmt: skip
    """Save a file already checked (uploads.check_upload); the caller records the change."""
    attachment = Attachment(
        agreement=agreement, report=report, contact=contact, kind=kind, filename=(upload.name or "file")[-200:],
        content_type=content_type, size=upload.size or 0, uploaded_by=_user(acting_user), confidential=confidential,
    )  # fmt: skip
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attach(acting_user, agreement: Agreement, data: dict[str, Any]) -> Attachment:
    _require_work(acting_user, agreement)
    upload = data.get("file")
    if not upload:
        raise ValidationError({"file": _("Choose the file to attach.")})
    kind = data.get("kind") or Attachment.Kind.ANNEX
    if kind not in Attachment.Kind.values:
        raise ValidationError({"kind": _("Unknown kind of attachment.")})
    confidential = data.get("confidential", False)
    if not isinstance(confidential, bool):
        raise ValidationError({"confidential": _("Say whether the file is confidential: true or false.")})
    attachment = store_attachment(acting_user, agreement, upload, _checked(upload), kind, confidential=confidential)
    _record(acting_user, agreement, {"attachment": [None, _described(attachment)]})
    return attachment


def _described(attachment: Attachment) -> str:
    return f"{attachment.filename} ({_('confidential')})" if attachment.confidential else attachment.filename


@transaction.atomic
def set_confidential(acting_user, attachment: Attachment, confidential: bool) -> Attachment:
    """Mark a file confidential (kept with the parties, the RLS coordinators and the administrators) or not (read
    by everyone who reads the agreement). The parties and the coordinators decide, whatever the agreement's
    state: a signed agreement's annexes are still theirs to disclose."""
    _require_work(acting_user, attachment.agreement)
    if not isinstance(confidential, bool):
        raise ValidationError({"confidential": _("Say whether the file is confidential: true or false.")})
    if attachment.confidential == confidential:
        return attachment
    before = _described(attachment)
    attachment.confidential = confidential
    attachment.save(update_fields=["confidential"])
    _record(acting_user, attachment.agreement, {"attachment": [before, _described(attachment)]})
    return attachment


@transaction.atomic
def delete_attachment(acting_user, attachment: Attachment) -> None:
    _require_work(acting_user, attachment.agreement)
    if attachment.contact_id is not None:
        raise Conflict(_("This signed page is the evidence of a recorded signature: remove the signature first."))
    _record(acting_user, attachment.agreement, {"attachment": [attachment.filename, None]})
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
