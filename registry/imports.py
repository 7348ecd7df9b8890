"""Import organisations, people and territories from CSV or XLSX.

The same code runs twice: a dry run inside a transaction that is rolled back (the preview lists every
invalid row and why), then, on confirmation, the real run. One bad row and nothing is written.
"""

import csv
import datetime
import io
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from openpyxl import load_workbook

from core import audit
from core.errors import error_dict
from core.models import AuditEvent
from registry import actions
from registry import rules as perms
from registry.forms import ImportForm, NewPersonForm, OrganizationForm, TerritoryForm
from registry.models import ImportBatch, Organization, Person, Territory

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = {
    "organizations": [
        "name", "sector", "is_aca", "neq", "rls", "territories", "mission", "founded_year",
        "email", "phone", "address", "postal_code", "website", "is_public",
    ],
    "people": [
        "first_name", "last_name", "email", "phone", "position", "decision_level",
        "organization", "title", "start_date",
    ],
    "territories": ["name", "kind", "parent", "code", "description", "year", "population", "population_65_plus"],
}  # fmt: skip
# French column headings accepted as well as the codes (a coordinator's spreadsheet is in French).
ALIASES = {
    "nom": "name", "secteur": "sector", "aca": "is_aca", "mission": "mission", "rls": "rls",
    "territoires": "territories", "territoires desservis": "territories", "annee de fondation": "founded_year",
    "année de fondation": "founded_year", "courriel": "email", "telephone": "phone", "téléphone": "phone",
    "adresse": "address", "code postal": "postal_code", "site web": "website", "page publique": "is_public",
    "prenom": "first_name", "prénom": "first_name", "nom de famille": "last_name", "poste": "position",
    "niveau de decision": "decision_level", "niveau de décision": "decision_level", "organisation": "organization",
    "organization": "organization", "organizations": "organization", "organisme": "organization", "titre": "title",
    "date de debut": "start_date", "date de début": "start_date", "type": "kind", "parent": "parent",
    "annee": "year", "année": "year", "population 65+": "population_65_plus",
}  # fmt: skip
TRUE = {"1", "true", "yes", "oui", "vrai", "x"}
ROW_NUMBER = "_row"


@dataclass
class RowError:
    row: int
    field: str
    message: str


class FileError(Exception):
    pass


# Reading files ------------------------------------------------------------------------------


def read_rows(upload) -> list[dict]:
    if upload.size > MAX_BYTES:
        raise FileError(_("The file is larger than 5 MB. Split it into smaller files."))
    content = upload.read()
    name = upload.name.lower()
    # The content decides, not the name: an XLSX file is a ZIP archive.
    if content[:4] == b"PK\x03\x04":
        table = _read_xlsx(content)
    elif name.endswith(".xlsx"):
        raise FileError(_("This file is not a valid Excel (XLSX) file."))
    else:
        table = _read_csv(content)
    if not table:
        raise FileError(_("The file is empty."))
    header = [_column(h) for h in table[0]]
    rows = []
    for number, values in enumerate(table[1:], start=2):
        row = dict(zip(header, (_cell(v) for v in values), strict=False))
        if any(row.values()):
            row[ROW_NUMBER] = number  # the file's own row number, blank lines included, for the error list
            rows.append(row)
    if len(rows) > MAX_ROWS:
        raise FileError(_("The file has more than %(max)s rows. Split it into smaller files.") % {"max": MAX_ROWS})
    return rows


def _cell(value) -> str:
    # A date typed in Excel arrives as a datetime at midnight: give it as a date the forms read.
    if isinstance(value, datetime.datetime) and value.time() == datetime.time(0):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _column(heading) -> str:
    key = str(heading or "").strip().lower()
    return ALIASES.get(key, key.replace(" ", "_"))


def _read_csv(content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096]:
        raise FileError(_("This file is not a text (CSV) file."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text), dialect))


def _read_xlsx(content: bytes) -> list[list]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of errors for a damaged file
        raise FileError(_("This file is not a valid Excel (XLSX) file.")) from error
    sheet = workbook.worksheets[0]
    table = [list(row) for row in sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2)]
    workbook.close()
    return table


# Turning a row into form data ---------------------------------------------------------------


def _choice(value: str, choices) -> str:
    """Accept a code (community) or a label in either language (Organisme communautaire)."""

    def folded(text: str) -> str:
        # A spreadsheet typed with a straight apostrophe matches the typographic one of the French labels.
        return text.strip().lower().replace("’", "'")

    lowered = folded(value)
    for code, label in choices:
        if lowered in (code, folded(str(label))):
            return code
    return value


def _territory_id(name: str, scope_qs) -> str:
    if not name:
        return ""
    if name.isdigit():
        return name
    match = scope_qs.filter(name__iexact=name).order_by("path").first()
    return str(match.pk) if match else f"?{name}"


def organization_data(row: dict, user) -> dict:
    territories = perms.territories_for(user)
    rls_qs = territories.filter(kind=Territory.Kind.RLS)
    data = {k: row.get(k, "") for k in COLUMNS["organizations"]}
    data["sector"] = _choice(data["sector"], Organization.Sector.choices)
    # The file's single ACA column: yes means the eight criteria are met (the form takes the criteria).
    data["aca_criteria"] = list(Organization.AcaCriterion.values) if data.pop("is_aca").lower() in TRUE else []
    data["is_public"] = data["is_public"].lower() in TRUE
    data["rls"] = _territory_id(data["rls"], rls_qs)
    names = [n.strip() for n in data.pop("territories").replace(",", ";").split(";") if n.strip()]
    data["territories"] = [_territory_id(n, territories) for n in names]
    return data


def person_data(row: dict, user) -> dict:
    data = {k: row.get(k, "") for k in COLUMNS["people"]}
    # In a list of people, "Nom" (name) is the family name.
    data["last_name"] = data["last_name"] or row.get("name", "")
    data["decision_level"] = _choice(data["decision_level"], Person.DecisionLevel.choices)
    org_name = data["organization"]
    if org_name and not org_name.isdigit():
        match = perms.editable_organizations_for(user).filter(name__iexact=org_name).first()
        data["organization"] = str(match.pk) if match else f"?{org_name}"
    return data


def territory_data(row: dict, user) -> dict:
    data = {k: row.get(k, "") for k in COLUMNS["territories"]}
    data["kind"] = _choice(data["kind"], Territory.Kind.choices)
    data["parent"] = _territory_id(data["parent"], perms.editable_territories_for(user))
    return data


def _save(kind: str, form, user) -> None:
    data = dict(form.cleaned_data)
    if kind == "organizations":
        actions.create_organization(user, data)
    elif kind == "people":
        data["affiliations"] = [
            {"organization": data.pop("organization"), "title": data.pop("title"), "start_date": data.pop("start_date")}
        ]
        actions.create_person(user, data)
    else:
        actions.create_territory(user, data)


FORMS = {
    "organizations": (OrganizationForm, organization_data),
    "people": (NewPersonForm, person_data),
    "territories": (TerritoryForm, territory_data),
}


# An action's refusal of a field the import form calls otherwise.
FORM_FIELD = {"affiliations": "organization"}


def _row_errors(number: int, form, errors: dict[str, list]) -> list[RowError]:
    found = []
    for field, messages_ in errors.items():
        field = FORM_FIELD.get(field, field)
        label = str(form.fields[field].label) if field in form.fields else _("row")
        found.extend(RowError(number, label, str(m)) for m in messages_)
    return found


def run_import(kind: str, rows: list[dict], user, commit: bool) -> list[RowError]:
    """Validate and create every row in one transaction; roll it all back on any error or in a dry run."""
    form_class, to_data = FORMS[kind]
    errors: list[RowError] = []
    with transaction.atomic():
        for index, row in enumerate(rows, start=2):  # row 1 is the header
            number = row.get(ROW_NUMBER, index)
            form = form_class(data=to_data(row, user), user=user)
            if not form.is_valid():
                errors.extend(_row_errors(number, form, form.errors))
                continue
            try:
                with transaction.atomic():
                    _save(kind, form, user)
            except ValidationError as error:
                errors.extend(_row_errors(number, form, error_dict(error, "__all__")))
        if errors or not commit:
            transaction.set_rollback(True)
    return errors


def import_batch(acting_user, batch: ImportBatch) -> list[RowError] | None:
    """Import a checked batch once. The batch is claimed by a conditional update in the transaction that writes its
    rows, so a second submit (even one arriving at the same moment) claims nothing and imports nothing: None.
    A registry that changed since the preview refuses rows: their errors, and nothing is written."""
    with transaction.atomic():
        claimed = ImportBatch.objects.filter(pk=batch.pk, imported_at__isnull=True).update(imported_at=timezone.now())
        if not claimed:
            return None
        errors = run_import(batch.kind, batch.rows, acting_user, commit=True)
        if errors:
            transaction.set_rollback(True)
            return errors
        changes = {"kind": batch.kind, "file": batch.filename, "rows": len(batch.rows)}
        audit.record(acting_user, AuditEvent.Action.IMPORT, changes=changes)
    return []


# Views --------------------------------------------------------------------------------------


def _check(request: HttpRequest, kind: str) -> None:
    if kind not in COLUMNS:
        raise Http404
    if not request.user.has_perm("registry.import_registry"):
        raise PermissionDenied


@login_required
def upload(request: HttpRequest, kind: str) -> HttpResponse:
    _check(request, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "kind": kind, "kind_label": ImportBatch.Kind(kind).label, "columns": COLUMNS[kind]}
    if request.method == "POST" and form.is_valid():
        try:
            rows = read_rows(form.cleaned_data["file"])
        except FileError as error:
            form.add_error("file", str(error))
            return render(request, "registry/import.html", context, status=400)
        errors = run_import(kind, rows, request.user, commit=False)
        context.update(rows=rows, errors=errors, row_count=len(rows))
        if errors:
            return render(request, "registry/import.html", context, status=400)
        batch = ImportBatch.objects.create(
            kind=kind, filename=form.cleaned_data["file"].name[:255], rows=rows, created_by=request.user
        )
        context["batch"] = batch
    return render(request, "registry/import.html", context)


@login_required
@require_POST
def confirm(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    _check(request, kind)
    batch = get_object_or_404(ImportBatch, pk=pk, kind=kind, created_by=request.user, imported_at__isnull=True)
    errors = import_batch(request.user, batch)
    if errors is None:
        raise Http404  # another submit of the same batch imported it meanwhile
    if errors:
        context = {"form": ImportForm(), "kind": kind, "kind_label": batch.get_kind_display(), "columns": COLUMNS[kind]}
        context.update(rows=batch.rows, errors=errors, row_count=len(batch.rows))
        return render(request, "registry/import.html", context, status=400)
    count = len(batch.rows)
    message = ngettext("%(n)s row imported from %(file)s.", "%(n)s rows imported from %(file)s.", count)
    messages.success(request, message % {"n": count, "file": batch.filename})
    target = {"organizations": "organization_list", "people": "person_list", "territories": "territory_list"}[kind]
    return redirect(f"registry:{target}")
