"""CSV and XLSX exports of the registry lists (with the filters the user applied)."""

import csv
from collections.abc import Iterable, Sequence

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook

from core import audit
from core.models import AuditEvent
from registry.models import Affiliation

FORMATS = {"csv", "xlsx"}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value) -> object:
    """Neutralise spreadsheet formulas (CSV injection): a cell starting with = + - @ is prefixed."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return "" if value is None else value


def respond(request: HttpRequest, name: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    fmt = request.GET.get("format")
    stamp = timezone.localdate().isoformat()
    changes = {"list": name, "format": fmt, "query": request.GET.urlencode()}
    audit.record(request.user, AuditEvent.Action.EXPORT, changes=changes, request=request)
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(name[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([_safe(v) for v in row])
        response = HttpResponse(content_type=XLSX_TYPE)
        workbook.save(response)
    else:
        writer = csv.writer(_Echo())
        lines = (writer.writerow([_safe(v) for v in row]) for row in _with_header(header, rows))
        response = StreamingHttpResponse(_bom(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="maillage-{name}-{stamp}.{fmt}"'
    return response


def _bom(lines):
    # Excel opens UTF-8 CSV correctly only with a byte-order mark.
    yield "\ufeff"
    yield from lines


def _with_header(header, rows):
    yield header
    yield from rows


ORGANIZATION_COLUMNS = [
    "id", "name", "sector", "is_aca", "neq", "rls", "territories", "mission", "founded_year",
    "email", "phone", "address", "postal_code", "website", "is_public",
]  # fmt: skip
PERSON_COLUMNS = ["id", "first_name", "last_name", "email", "phone", "position", "decision_level", "organizations"]
TERRITORY_COLUMNS = ["id", "name", "kind", "parent", "code", "year", "population", "population_65_plus"]


def organizations(request: HttpRequest, queryset: QuerySet) -> HttpResponse:
    queryset = queryset.select_related("rls").prefetch_related("territories")
    rows = (
        [
            o.pk,
            o.name,
            o.sector,
            o.is_aca,
            o.neq,
            o.rls.name,
            "; ".join(t.name for t in o.territories.all()),
            o.mission,
            o.founded_year,
            o.email,
            o.phone,
            o.address,
            o.postal_code,
            o.website,
            o.is_public,
        ]  # fmt: skip
        for o in queryset.iterator(chunk_size=500)
    )
    return respond(request, "organizations", ORGANIZATION_COLUMNS, rows)


def people(request: HttpRequest, queryset: QuerySet) -> HttpResponse:
    current = Affiliation.objects.filter(end_date__isnull=True).select_related("organization")
    # Reset the list page's own prefetch of the same name: Django refuses two different ones.
    queryset = queryset.prefetch_related(None).prefetch_related(
        Prefetch("affiliations", queryset=current, to_attr="current_affiliations")
    )
    rows = (
        [
            p.pk,
            p.first_name,
            p.last_name,
            p.email,
            p.phone,
            p.position,
            p.decision_level,
            "; ".join(a.organization.name for a in p.current_affiliations),
        ]  # fmt: skip
        for p in queryset.iterator(chunk_size=500)
    )
    return respond(request, "people", PERSON_COLUMNS, rows)


def territories(request: HttpRequest, queryset: QuerySet) -> HttpResponse:
    def row(t):
        figure = t.latest_population()
        return [
            t.pk, t.name, t.kind, t.parent.name if t.parent else "", t.code,
            figure.year if figure else "", figure.population if figure else "",
            figure.population_65_plus if figure else "",
        ]  # fmt: skip

    rows = (row(t) for t in queryset.iterator(chunk_size=500))
    return respond(request, "territories", TERRITORY_COLUMNS, rows)
