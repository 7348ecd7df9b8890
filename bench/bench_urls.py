"""The product's URLs plus one bench-only page: the "bare" floor, never part of the product.

It lists the same 50 rows and columns as the first page of the organisation list (as the platform
administrator sees them: name and link, sector label, RLS, phone and e-mail) with one query and a
minimal template, through the same middleware stack. Rows are plain tuples and sector labels come
from one dict per request: the least work that page could do.
"""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import path

from maillage.urls import urlpatterns as product_urlpatterns
from registry.models import Organization

BARE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>bare</title><table>{% for pk, name, sector, rls, phone, email in rows %}"
    '<tr><td><a href="/registry/organisations/{{ pk }}/">{{ name }}</a></td><td>{{ sector }}</td>'
    "<td>{{ rls }}</td><td>{{ phone }} {{ email }}</td></tr>{% endfor %}</table>"
)
COLUMNS = ("pk", "name", "sector", "rls__name", "phone", "email")


def bare(request: HttpRequest) -> HttpResponse:
    labels = dict(Organization.Sector.choices)
    rows = Organization.objects.filter(archived_at__isnull=True).order_by("name", "pk").values_list(*COLUMNS)[:50]
    rows = [(pk, name, labels[sector], rls, phone, email) for pk, name, sector, rls, phone, email in rows]
    return HttpResponse(BARE_TEMPLATE.render({"rows": rows}))


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *product_urlpatterns]
