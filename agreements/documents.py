"""The agreement as a document, from a template per kind: an editable DOCX (python-docx, what partners
exchange) and a PDF (WeasyPrint). French by default, English on request; the text of the sections is the
parties' own and is not translated."""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements.actions.agreements import section_order
from agreements.models import Agreement, PartyContact


def preamble(agreement: Agreement) -> list[str]:
    """The opening paragraphs: what the kind of agreement is, then the basis it rests on and what that basis says
    (its citation and summary come from the basis data, in the document's language)."""
    texts = {
        Agreement.Kind.FRAMEWORK: _("This protocol sets the frame within which the parties work together."),
        Agreement.Kind.FUNDING: _("This agreement sets the funding that one party grants to another."),
    }
    paragraphs = [texts.get(agreement.kind, _("The parties agree as follows."))]
    basis = agreement.legal_basis
    if basis:
        paragraphs.append(_("Legal basis: %(basis)s.") % {"basis": basis})
        if basis.localized("summary"):
            paragraphs.append(basis.localized("summary"))
    return paragraphs


def clauses(agreement: Agreement) -> list[dict]:
    """The clauses the law adds to the parties' text, from the bases the agreement rests on: the complaints clause
    and the complaints officer of its basis, and the information-sharing clause when the parties exchange personal
    information."""
    found = []
    basis = agreement.legal_basis
    if basis and basis.localized("clause"):
        officer = basis.localized("complaints_officer")
        found.append(
            {
                "heading": _("Complaints"),
                "text": basis.localized("clause"),
                "note": _("Complaints officer: %(officer)s.") % {"officer": officer} if officer else "",
            }
        )
    shared = agreement.information_basis if agreement.shares_personal_information else None
    if shared and shared.localized("clause"):
        found.append(
            {
                "heading": _("Sharing of personal information"),
                "text": shared.localized("clause"),
                "note": _("Legal basis: %(basis)s.") % {"basis": shared},
            }
        )
    return found


def document_context(agreement: Agreement) -> dict:
    parties = list(agreement.parties.select_related("organization").prefetch_related("contacts__person"))
    for party in parties:
        party.signatories = [c for c in party.contacts.all() if c.role == PartyContact.Role.SIGNATORY]
        party.respondents = [c for c in party.contacts.all() if c.role == PartyContact.Role.RESPONDENT]
    sections = sorted((s for s in agreement.sections.all() if s.body.strip()), key=section_order)
    amounts = list(agreement.amounts.order_by("year"))
    return {
        "agreement": agreement,
        "preamble": preamble(agreement),
        "clauses": clauses(agreement),
        "financial_without_object": agreement.financial_resources_not_applicable and not amounts,
        "parties": parties,
        "sections": sections,
        "amounts": amounts,
        "annexes": list(agreement.attachments.filter(kind="annex").order_by("uploaded_at")),
    }


def filename(agreement: Agreement, extension: str) -> str:
    return f"{_('agreement')}-{slugify(agreement.title)[:60]}-v{agreement.version}.{extension}"


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def download(agreement: Agreement, extension: str, language: str) -> HttpResponse:
    """The agreement as a file to save: `extension` is "pdf" or "docx"; French unless `language` is "en"."""
    language = "en" if language == "en" else "fr"
    if extension == "pdf":
        body, content_type = agreement_pdf(agreement, language), "application/pdf"
    else:
        body, content_type = agreement_docx(agreement, language), DOCX
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename(agreement, extension)}"'
    return response


def agreement_pdf(agreement: Agreement, language: str = "fr") -> bytes:
    from weasyprint import HTML  # loads Pango and fonts, which only this download needs

    with translation.override(language):
        html = render_to_string("agreements/document.html", document_context(agreement))
    return HTML(string=html).write_pdf()


def agreement_docx(agreement: Agreement, language: str = "fr") -> bytes:
    from docx import Document

    with translation.override(language):
        context = document_context(agreement)
        doc = Document()
        doc.add_heading(agreement.title, level=0)
        doc.add_paragraph(f"{agreement.get_kind_display()} — {_('version')} {agreement.version or _('draft')}")
        for paragraph in context["preamble"]:
            doc.add_paragraph(paragraph)
        doc.add_heading(_("Parties"), level=1)
        for party in context["parties"]:
            doc.add_paragraph(f"{party.organization}{f' ({party.role})' if party.role else ''}", style="List Bullet")
        if agreement.start_date or agreement.end_date:
            doc.add_paragraph(
                _("Term: from %(start)s to %(end)s.")
                % {"start": agreement.start_date or "…", "end": agreement.end_date or "…"}
            )
        for number, section in enumerate(context["sections"], start=1):
            doc.add_heading(f"{number}. {section.get_code_display()}", level=1)
            for paragraph in section.body.split("\n"):
                if paragraph.strip():
                    doc.add_paragraph(paragraph.strip())
        if context["financial_without_object"]:
            doc.add_heading(_("Financial resources"), level=1)
            doc.add_paragraph(_("Without object: %(reason)s") % {"reason": agreement.financial_resources_reason})
        for clause in context["clauses"]:
            doc.add_heading(clause["heading"], level=1)
            doc.add_paragraph(clause["text"])
            if clause["note"]:
                doc.add_paragraph(clause["note"])
        if context["amounts"]:
            doc.add_heading(_("Funding"), level=1)
            for line in context["amounts"]:
                doc.add_paragraph(f"{line.year} : {line.amount} $", style="List Bullet")
        if agreement.renewal_terms:
            doc.add_heading(_("Renewal"), level=1)
            doc.add_paragraph(agreement.renewal_terms)
        doc.add_heading(_("Signatures"), level=1)
        table = doc.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, (_("Party"), _("Signatory"), _("Signature and date")), strict=True):
            cell.text = text
        for party in context["parties"]:
            for contact in party.signatories or [None]:
                row = table.add_row().cells
                row[0].text = str(party.organization)
                row[1].text = f"{contact.person}" if contact else ""
                row[2].text = f"{contact.signed_on}" if contact and contact.signed_on else ""
        if context["annexes"]:
            doc.add_heading(_("Annexes"), level=1)
            for annex in context["annexes"]:
                doc.add_paragraph(annex.filename, style="List Bullet")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
