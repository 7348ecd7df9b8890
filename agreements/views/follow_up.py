"""Negotiation log, funding, payments, accountability reports and attachments of an agreement."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

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
from agreements.rules import agreements_for
from agreements.views.common import get_agreement, get_part
from core import audit
from core.models import AuditEvent
from core.pages import form_page


@login_required
def issue_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = NegotiationIssueForm(request.POST or None, agreement=agreement)
    return form_page(
        request, form, title=_("Log a negotiated issue"), back=agreement,
        save=lambda data: actions.log_issue(request.user, agreement, form.to_data(), request=request),
        success=_("Issue recorded in the negotiation log."),
    )  # fmt: skip


@login_required
def issue_edit(request: HttpRequest, pk: int) -> HttpResponse:
    issue, agreement = get_part(request, NegotiationIssue, pk)
    form = NegotiationIssueForm(request.POST or None, agreement=agreement, issue=issue)
    return form_page(
        request, form, title=_("Negotiated issue: %(subject)s") % {"subject": issue.subject}, back=agreement,
        save=lambda data: actions.log_issue(request.user, agreement, form.to_data(), issue=issue, request=request),
        success=_("Changes saved."),
    )  # fmt: skip


@login_required
def amount_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = FundingForm(request.POST or None, agreement=agreement)
    return form_page(
        request, form, title=_("Funding of a year"), back=agreement,
        save=lambda data: actions.set_amount(request.user, agreement, data, request), success=_("Funding saved."),
    )  # fmt: skip


@login_required
@require_POST
def amount_delete(request: HttpRequest, pk: int) -> HttpResponse:
    line, agreement = get_part(request, FundingAmount, pk)
    actions.delete_amount(request.user, line, request)
    messages.success(request, _("Funding removed."))
    return redirect(agreement)


@login_required
def payment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = PaymentForm(request.POST or None)
    return form_page(
        request, form, title=_("Add a payment to the schedule"), back=agreement,
        save=lambda data: actions.add_payment(request.user, agreement, data, request), success=_("Payment added."),
    )  # fmt: skip


@login_required
@require_POST
def payment_paid(request: HttpRequest, pk: int) -> HttpResponse:
    payment, agreement = get_part(request, Payment, pk)
    actions.mark_paid(request.user, payment, timezone.localdate(), request)
    messages.success(request, _("Payment marked as paid."))
    return redirect(agreement)


@login_required
def report_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = ReportForm(request.POST or None)
    return form_page(
        request, form, title=_("Add a report due"), back=agreement,
        save=lambda data: actions.add_report(request.user, agreement, data, request), success=_("Report added."),
    )  # fmt: skip


@login_required
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report, agreement = get_part(request, Report, pk)
    form = SubmitReportForm(request.POST or None, request.FILES or None)
    return form_page(
        request, form, title=_("File the report: %(title)s") % {"title": report.title}, back=agreement,
        save=lambda data: actions.submit_report(request.user, report, data, request), success=_("Report filed."),
        template="agreements/upload_form.html",
    )  # fmt: skip


@login_required
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return form_page(
        request, form, title=_("Attach a file"), back=agreement,
        save=lambda data: actions.attach(request.user, agreement, data, request), success=_("File attached."),
        template="agreements/upload_form.html",
    )  # fmt: skip


@login_required
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Served only to those who see the agreement, as a download, with the type checked at upload."""
    attachment = get_object_or_404(
        Attachment.objects.select_related("agreement").filter(agreement__in=agreements_for(request.user)), pk=pk
    )
    audit.record(
        request.user, AuditEvent.Action.VIEW, attachment.agreement, {"attachment": attachment.filename}, request
    )
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    attachment, agreement = get_part(request, Attachment, pk)
    actions.delete_attachment(request.user, attachment, request)
    messages.success(request, _("File removed."))
    return redirect(agreement)
