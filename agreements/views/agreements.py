"""An agreement's own pages: drafting, parties, sections, the lifecycle, amendments, versions and documents."""

import difflib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from agreements import documents
from agreements.actions import agreements as actions
from agreements.actions import legal_bases
from agreements.forms import AgreementForm, AmendmentForm, ContactForm, PartyForm, SectionsForm, TransitionForm
from agreements.models import (
    Agreement,
    AgreementVersion,
    Attachment,
    Party,
    PartyContact,
    SectionCode,
)
from agreements.views.common import get_agreement, get_part
from core import audit
from core.models import AuditEvent
from core.pages import error_status, form_page, history_page, show_errors


@login_required
def agreement_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("agreements.add_agreement"):
        raise PermissionDenied
    form = AgreementForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                agreement = actions.create_agreement(request.user, form.cleaned_data)
            except ValidationError as error:
                show_errors(form, error)
                status = error_status(error)
            else:
                messages.success(request, _("Draft created. Write its sections, then open the negotiation."))
                return redirect(agreement)
    context = {"form": form, "title": _("New agreement"), "cancel_url": reverse("agreements:agreement_list")}
    return render(request, "form.html", context, status=status)


def _detail_context(request: HttpRequest, agreement: Agreement) -> dict:
    """Everything the page shows, in a fixed number of queries whatever the size of the agreement."""
    # Outsiders (who read the agreement without being a party or a coordinator) see neither the negotiation log nor
    # the confidential files.
    can_work = request.user.has_perm("agreements.change_agreement", agreement)
    insider = can_work  # "agreements.view_confidential": the same people, read once
    files = Attachment.objects.all() if insider else Attachment.objects.filter(confidential=False)
    contacts = PartyContact.objects.select_related("person", "recorded_by").prefetch_related(
        Prefetch("evidence", queryset=files)
    )
    parties = list(
        agreement.parties.select_related("organization").prefetch_related(Prefetch("contacts", queryset=contacts))
    )
    for party in parties:
        party.agreement = agreement  # the permission reads the agreement's RLS: no query per party
        party.can_act = request.user.has_perm("agreements.act_for_party", party)
    sections = {s.code: s for s in agreement.sections.all()}
    required = actions.required_codes_for(agreement)
    ordered = [sections[c] for c in SectionCode.values if c in sections]
    issues = agreement.negotiation_issues.prefetch_related("positions__party__organization").order_by("pk")
    issues = issues if insider else issues.none()
    missing, reasons = actions.signing_problems(agreement) if agreement.is_editable else ([], [])
    amounts = list(agreement.amounts.select_related("funder__organization").order_by("year"))
    return {
        "agreement": agreement,
        "parties": parties,
        "sections": ordered,
        "required": required,
        "missing": missing,
        "signing_problems": reasons,
        "issues": list(issues),
        "amounts": amounts,
        "payments": list(agreement.payments.order_by("due_on")),
        "reports": list(
            agreement.reports.prefetch_related(Prefetch("attachments", queryset=files)).order_by("due_on", "pk")
        ),
        "attachments": list(files.filter(agreement=agreement, report__isnull=True).order_by("-uploaded_at")),
        "versions": list(agreement.versions.select_related("created_by").order_by("-number")),
        "changes": list(agreement.status_changes.select_related("by").order_by("at", "pk")),
        "instances": list(agreement.instances.order_by("name")),
        "next_statuses": [(s, Agreement.Status(s).label) for s in actions.TRANSITIONS[agreement.status]],
        "can_work": can_work,
        "insider": insider,
        "today": timezone.localdate(),
        "financial_without_object": legal_bases.financial_without_object(agreement, bool(amounts)),
    }


@login_required
@require_safe
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk)
    context = _detail_context(request, agreement)
    context["transition_form"] = TransitionForm()
    return render(request, "agreements/agreement_detail.html", context)


@login_required
def agreement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    if not agreement.is_editable:
        messages.error(request, _("A signed agreement is not edited: amend it."))
        return redirect("agreements:amend", agreement.pk)
    # The refused signature's offer links here with the basis in force on the signing date preselected.
    offered = request.GET.get("legal_basis", "")
    initial = {"legal_basis": offered} if offered.isdigit() else None
    form = AgreementForm(request.POST or None, instance=agreement, user=request.user, initial=initial)
    return form_page(
        request, form, title=_("Edit %(title)s") % {"title": agreement.title}, back=agreement,
        save=lambda data: actions.update_agreement(request.user, Agreement.objects.get(pk=agreement.pk), data),
        success=_("Changes saved."),
    )  # fmt: skip


@login_required
def sections_edit(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    if not agreement.is_editable:
        messages.error(request, _("A signed agreement is not edited: amend it."))
        return redirect("agreements:amend", agreement.pk)
    form = SectionsForm(request.POST or None, agreement=agreement, required=actions.required_codes_for(agreement))

    def save(data: dict) -> None:
        for code, body in data.items():
            actions.update_section(request.user, agreement, code, body)

    return form_page(
        request, form, title=_("Sections of %(title)s") % {"title": agreement.title}, back=agreement, save=save,
        success=_("Sections saved."),
    )  # fmt: skip


@login_required
def party_add(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    form = PartyForm(request.POST or None, agreement=agreement)
    return form_page(
        request, form, title=_("Add a party"), back=agreement,
        save=lambda data: actions.add_party(request.user, agreement, data), success=_("Party added."),
    )  # fmt: skip


@login_required
@require_POST
def party_remove(request: HttpRequest, pk: int) -> HttpResponse:
    party, agreement = get_part(request, Party, pk)
    try:
        actions.remove_party(request.user, party)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Party removed."))
    return redirect(agreement)


@login_required
def contact_add(request: HttpRequest, pk: int) -> HttpResponse:
    party, agreement = get_part(request, Party, pk, perm="agreements.act_for_party", why=actions.OWN_CONTACTS)
    form = ContactForm(request.POST or None, request.FILES or None, party=party)
    return form_page(
        request, form, title=_("Signatory or respondent for %(org)s") % {"org": party.organization}, back=agreement,
        save=lambda data: actions.add_contact(request.user, party, data), success=_("Contact added."),
        template="agreements/upload_form.html",
    )  # fmt: skip


@login_required
@require_POST
def contact_remove(request: HttpRequest, pk: int) -> HttpResponse:
    contact, agreement = get_part(request, PartyContact, pk, "party__agreement")
    try:
        actions.remove_contact(request.user, contact)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Contact removed."))
    return redirect(agreement)


@login_required
@require_POST
def agreement_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """Change the state; a refusal shows on the agreement page with every reason and the missing sections."""
    agreement = get_agreement(request, pk, work=True)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            actions.transition(request.user, agreement, form.cleaned_data["to"], form.cleaned_data["reason"])
        except ValidationError as error:
            context = _detail_context(request, agreement)
            missing = getattr(error, "missing_sections", [])
            offer = getattr(error, "extra", {}).get("offered_bases", {})
            context.update({"transition_form": form, "refusal": error.messages, "refused_missing": missing,
                            "offered_basis": offer.get("legal_basis") or offer.get("information_basis")})  # fmt: skip
            return render(request, "agreements/agreement_detail.html", context, status=error_status(error))
        agreement.refresh_from_db()
        messages.success(request, _("The agreement is now “%(status)s”.") % {"status": agreement.get_status_display()})
        return redirect(agreement)
    context = _detail_context(request, agreement)
    context.update({"transition_form": form, "refusal": [e for errors in form.errors.values() for e in errors]})
    return render(request, "agreements/agreement_detail.html", context, status=400)


@login_required
def amend(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk, work=True)
    if not agreement.is_amendable:
        messages.error(request, _("Only a signed agreement or one in force is amended; a draft is simply edited."))
        return redirect(agreement)
    form = AmendmentForm(request.POST or None, agreement=agreement)

    def save(data: dict) -> None:
        try:
            actions.amend(request.user, agreement, form.to_data())
        except ValidationError as error:
            # The action names a refused section by its code; the form shows each section as section_<code>.
            if hasattr(error, "error_dict"):
                for code in [code for code in error.error_dict if code in SectionCode.values]:
                    error.error_dict[f"section_{code}"] = error.error_dict.pop(code)
            raise

    return form_page(
        request, form, title=_("Amend %(title)s") % {"title": agreement.title}, back=agreement, save=save,
        success=_("Amendment recorded as a new version."),
    )  # fmt: skip


def _get_version(agreement: Agreement, number: int) -> AgreementVersion:
    return get_object_or_404(AgreementVersion, agreement=agreement, number=number)


@login_required
@require_safe
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    agreement = get_agreement(request, pk)
    version = _get_version(agreement, number)
    sections = [
        (SectionCode(c).label, t) for c, t in version.content.get("sections", {}).items() if c in SectionCode.values
    ]
    context = {"agreement": agreement, "version": version, "sections": sections}
    return render(request, "agreements/version_detail.html", context)


def diff_rows(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, line) for each line of the two texts: "same", "removed" or "added" (difflib's ndiff, no hints)."""
    rows = []
    for line in difflib.ndiff(old.splitlines(), new.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "? ":
            continue
        rows.append(({"  ": "same", "- ": "removed", "+ ": "added"}[tag], text))
    return rows


@login_required
@require_safe
def version_diff(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_agreement(request, pk)
    try:
        a, b = int(request.GET.get("from", 0)), int(request.GET.get("to", 0))
    except ValueError as error:
        raise Http404 from error
    old, new = _get_version(agreement, a).content, _get_version(agreement, b).content
    sections = []
    for code in SectionCode.values:
        before, after = old.get("sections", {}).get(code, ""), new.get("sections", {}).get(code, "")
        if before or after:
            sections.append(
                {"label": SectionCode(code).label, "changed": before != after, "rows": diff_rows(before, after)}
            )
    fields = [
        (label, old.get(key) or "—", new.get(key) or "—")
        for key, label in (("title", _("Title")), ("start_date", _("Start date")), ("end_date", _("End date")),
                           ("renewal_terms", _("Renewal terms")))
        if old.get(key) != new.get(key)
    ]  # fmt: skip
    context = {"agreement": agreement, "a": a, "b": b, "sections": sections, "fields": fields,
               "numbers": list(agreement.versions.values_list("number", flat=True))}  # fmt: skip
    return render(request, "agreements/version_diff.html", context)


@login_required
@require_safe
def agreement_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The parties' and coordinators' record: it tells the negotiation and names the confidential files."""
    agreement = get_agreement(request, pk)
    if not request.user.has_perm("agreements.view_confidential", agreement):
        raise PermissionDenied
    return history_page(request, agreement, "agreements:agreement_detail")


@login_required
@require_safe
def agreement_document(request: HttpRequest, pk: int, extension: str) -> HttpResponse:
    """The agreement as DOCX or PDF, in French unless ?lang=en."""
    agreement = get_agreement(request, pk)
    audit.record(request.user, AuditEvent.Action.EXPORT, agreement, {"format": extension})
    return documents.download(agreement, extension, request.GET.get("lang", ""))
