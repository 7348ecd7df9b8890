"""Negotiation log, funding, payments, accountability reports and attachments of an agreement."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agreements import uploads
from agreements.actions import follow_up as actions
from agreements.forms import (
    AttachmentForm,
    FundingForm,
    NegotiationIssueForm,
    PaymentForm,
    ReportForm,
    SubmitReportForm,
)
from agreements.models import Attachment, FundingAmount, NegotiationIssue, Payment, Report
from agreements.rules import attachments_for
from agreements.views.common import get_agreement, get_part
from core.pages import form_page


def _button(request: HttpRequest, write: Callable[[], object], success: str) -> None:
    """A one-button write on the agreement page: say it was done, or why it was refused."""
    try:
        write()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)


@login_required
def issue_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = NegotiationIssueForm(request.POST or None, agreement=agreement)
    return form_page(
        request, form, title=_("Log a negotiated issue"), back=agreement,
        save=lambda data: actions.log_issue(request.user, agreement, form.to_data()),
        success=_("Issue recorded in the negotiation log."),
    )  # fmt: skip


@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue, agreement = get_part(request, NegotiationIssue, pk)
    form = NegotiationIssueForm(request.POST or None, agreement=agreement, issue=issue)
    return form_page(
        request, form, title=_("Negotiated issue: %(subject)s") % {"subject": issue.subject}, back=agreement,
        save=lambda data: actions.log_issue(request.user, agreement, form.to_data(), issue=issue),
        success=_("Changes saved."),
    )  # fmt: skip


@login_required
def amount_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = FundingForm(request.POST or None, agreement=agreement)
    return form_page(
        request, form, title=_("Funding of a year"), back=agreement,
        save=lambda data: actions.set_amount(request.user, agreement, data), success=_("Funding saved."),
    )  # fmt: skip


@login_required
@require_POST
def amount_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line, agreement = get_part(request, FundingAmount, pk)
    _button(request, lambda: actions.delete_amount(request.user, line), _("Funding removed."))
    return redirect(agreement)


@login_required
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = PaymentForm(request.POST or None)
    return form_page(
        request, form, title=_("Add a payment to the schedule"), back=agreement,
        save=lambda data: actions.add_payment(request.user, agreement, data), success=_("Payment added."),
    )  # fmt: skip


@login_required
@require_POST
def payment_paid(request: HttpRequest, pk: int) -> HttpResponse:
    payment, agreement = get_part(request, Payment, pk)
    _button(request, lambda: actions.mark_paid(request.user, payment), _("Payment marked as paid."))
    return redirect(agreement)


@login_required
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = ReportForm(request.POST or None)
    return form_page(
        request, form, title=_("Add a report due"), back=agreement,
        save=lambda data: actions.add_report(request.user, agreement, data), success=_("Report added."),
    )  # fmt: skip


@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report, agreement = get_part(request, Report, pk)
    form = SubmitReportForm(request.POST or None, request.FILES or None)
    return form_page(
        request, form, title=_("File the report: %(title)s") % {"title": report.title}, back=agreement,
        save=lambda data: actions.submit_report(request.user, report, data), success=_("Report filed."),
        template="agreements/upload_form.html",
    )  # fmt: skip


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return form_page(
        request, form, title=_("Attach a file"), back=agreement,
        save=lambda data: actions.attach(request.user, agreement, data), success=_("File attached."),
        template="agreements/upload_form.html",
    )  # fmt: skip


@login_required
@require_safe
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Served only to those who see the agreement (logged), as a download of the type checked at upload."""
    attachment = get_object_or_404(attachments_for(request.user).select_related("agreement"), pk=pk)
    return uploads.download(request.user, attachment)


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, agreement = get_part(request, Attachment, pk)
    _button(request, lambda: actions.delete_attachment(request.user, attachment), _("File removed."))
    return redirect(agreement)


@login_required
@require_POST
def attachment_confidential(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a file confidential or not (`confidential` = "1" or "0")."""
    attachment, agreement = get_part(request, Attachment, pk)
    confidential = request.POST.get("confidential") == "1"
    done = _("The file is now confidential.") if confidential else _("The file is no longer confidential.")
    _button(request, lambda: actions.set_confidential(request.user, attachment, confidential), done)
    return redirect(agreement)
