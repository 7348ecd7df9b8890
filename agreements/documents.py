"""The agreement as a document, from a template per kind: an editable DOCX (python-docx, what partners
exchange) and a PDF (WeasyPrint). French by default, English on request; the text of the sections is the
parties' own and is not translated."""

import io

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from agreements.actions.agreements import rule_for, section_order
from agreements.models import Agreement, PartyContact


def preamble(agreement: Agreement) -> list[str]:
    """The opening paragraphs of the template of the agreement's kind."""
    rule = rule_for(agreement.kind)
    basis = agreement.legal_basis or rule.legal_basis
    texts = {
        Agreement.Kind.SERVICE: _(
            "By this agreement, the institution has the organisation provide, on its behalf, services required by "
            "its users. The institution remains responsible for these services."
        ),
        Agreement.Kind.COLLABORATION: _(
            "By this agreement, the partner offers services under its own mission within the clinical project of "
            "the local services network. The agreement respects the community organisation's orientations, "
            "policies and approaches."
        ),
        Agreement.Kind.FRAMEWORK: _("This protocol sets the frame within which the parties work together."),
        Agreement.Kind.FUNDING: _("This agreement sets the funding that one party grants to another."),
        Agreement.Kind.OTHER: _("The parties agree as follows."),
    }
    paragraphs = [texts[agreement.kind]]
    if basis:
        paragraphs.append(_("Legal basis: %(basis)s.") % {"basis": basis})
    if agreement.kind == Agreement.Kind.COLLABORATION and rule.complaints_basis:
        paragraphs.append(
            _("Complaints are examined by the local service quality and complaints commissioner (%(basis)s).")
            % {"basis": rule.complaints_basis}
        )
    return paragraphs


def document_context(agreement: Agreement) -> dict:
    parties = list(agreement.parties.select_related("organization").prefetch_related("contacts__person"))
    for party in parties:
        party.signatories = [c for c in party.contacts.all() if c.role == PartyContact.Role.SIGNATORY]
        party.respondents = [c for c in party.contacts.all() if c.role == PartyContact.Role.RESPONDENT]
    sections = sorted((s for s in agreement.sections.all() if s.body.strip()), key=section_order)
    return {
        "agreement": agreement,
        "preamble": preamble(agreement),
        "parties": parties,
        "sections": sections,
        "amounts": list(agreement.amounts.order_by("year")),
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
