"""Attachments are checked by their content, not their name: a PDF must start like a PDF, a DOCX must be a
ZIP holding a Word document, and the name's extension must say the same as the content."""

import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditEvent

MAX_SIZE = 10 * 1024 * 1024  # 10 MB: a signed scan or an annual report, not an archive

TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def sniff(upload: UploadedFile) -> str | None:
    """The extension the content really has, or None when it is none of the accepted types."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        finally:
            upload.seek(0)
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def check_upload(upload: UploadedFile) -> str:
    """The content type to store, or a ValidationError saying what is wrong with the file."""
    if upload.size > MAX_SIZE:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_SIZE)}
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."))
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if extension not in TYPES:
        raise ValidationError(_("Accepted files: PDF, PNG, JPEG, DOCX and XLSX."))
    actual = sniff(upload)
    if actual is None or TYPES[actual] != TYPES[extension]:
        raise ValidationError(
            _("The content of “%(name)s” is not a %(type)s file: it cannot be attached.")
            % {"name": upload.name, "type": extension.upper()}
        )
    return TYPES[actual]


def download(user, attachment) -> FileResponse:
    """The attachment as a download, for the page and the API alike: the read is logged, the type is the one
    checked at upload and browsers may not sniff another."""
    audit.record(user, AuditEvent.Action.VIEW, attachment.agreement, {"attachment": attachment.filename})
    response = FileResponse(
        attachment.file.open("rb"), as_attachment=True, filename=attachment.filename,
        content_type=attachment.content_type,
    )  # fmt: skip
    response["X-Content-Type-Options"] = "nosniff"
    return response
