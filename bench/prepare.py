"""Run by bench/run.py against a freshly generated database: issue API tokens, pick the detail pages
(organisation, instance, meeting, agreement, the diagnosed instance and the campaign whose results are shown) and
the territories of the concertation-load report.

Prints one JSON object on stdout. Settings come from the environment set by run.py.
"""

import json
import os
import re
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django  # noqa: E402

django.setup()

from django.core.management import CommandError, call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, F  # noqa: E402
from django.utils import timezone  # noqa: E402

from agreements.models import Agreement, AgreementVersion, Party, Report  # noqa: E402
from concertation.analytics import year_range  # noqa: E402
from concertation.models import Attendance, Instance, Meeting, Membership  # noqa: E402
from core.models import ApiToken, User  # noqa: E402
from evaluation.models import Answer, Campaign, Invitation, Response  # noqa: E402
from registry.models import Organization, RoleAssignment, Territory  # noqa: E402


def issue_token(username: str) -> str:
    """The lead's `create_api_token` command when present, else the model method it wraps."""
    out = StringIO()
    try:
        call_command("create_api_token", username, "--name", "make bench", stdout=out)
    except CommandError:  # an older tree without the command
        return ApiToken.issue(User.objects.get(username=username), "make bench")[1]
    return re.findall(r"mlg_[\w-]+", out.getvalue())[-1]


def detail_organization() -> Organization:
    """In the coordinator's RLS, the active organisation with the most affiliations and funding lines together:
    a full detail page, the worst case of that RLS."""
    rls = RoleAssignment.objects.get(user__username="bench-coord").rls
    return (
        Organization.objects.filter(rls=rls, archived_at__isnull=True)
        .annotate(people=Count("affiliations", distinct=True), lines=Count("funding_lines", distinct=True))
        .order_by((F("people") + F("lines")).desc(), "pk")
        .first()
    )


def concertation() -> dict:
    """In the coordinator's RLS: the instance with the most seats and the meeting with the most attendance
    records (worst cases of that RLS); the last year with meetings for the load report."""
    rls = RoleAssignment.objects.get(user__username="bench-coord").rls
    instance = (
        Instance.objects.filter(rls=rls)
        .annotate(seats=Count("memberships", distinct=True))
        .order_by("-seats", "pk")
        .first()
    )
    meeting = (
        Meeting.objects.filter(instance__rls=rls)
        .annotate(rows=Count("attendances"))
        .order_by("-rows", "-starts_at", "pk")
        .first()
    )
    year = timezone.localtime(Meeting.objects.latest("starts_at").starts_at).year
    start, end = year_range(year)
    that_year = Attendance.objects.filter(meeting__starts_at__gte=start, meeting__starts_at__lt=end)
    province = Territory.objects.get(pk=rls.path.strip("/").split("/")[0])
    return {
        "rls_id": rls.pk,
        "province_id": province.pk,
        "year": year,
        "instance_id": instance.pk,
        "instance_seats": instance.seats,
        "instance_meetings": instance.meetings.count(),
        "meeting_id": meeting.pk,
        "meeting_attendance": meeting.rows,
        "meeting_items": meeting.agenda_items.count(),
        "instances": Instance.objects.count(),
        "memberships": Membership.objects.count(),
        "meetings": Meeting.objects.count(),
        "attendance": Attendance.objects.count(),
        "province_year_attendance": that_year.count(),
        "rls_year_attendance": that_year.filter(meeting__instance__rls=rls).count(),
    }


def agreements() -> dict:
    """In the coordinator's RLS, the agreement with the most versions, reports and parties together (the worst
    case of that RLS), and the sizes behind the register, the dashboard and the API list."""
    rls = RoleAssignment.objects.get(user__username="bench-coord").rls
    agreement = (
        Agreement.objects.filter(rls=rls)
        .annotate(
            n_versions=Count("versions", distinct=True),
            n_reports=Count("reports", distinct=True),
            n_parties=Count("parties", distinct=True),
        )
        .order_by((F("n_versions") + F("n_reports") + F("n_parties")).desc(), "pk")
        .first()
    )
    in_force = Agreement.objects.filter(status=Agreement.Status.IN_FORCE)
    return {
        "agreement_id": agreement.pk,
        "agreement_versions": agreement.n_versions,
        "agreement_reports": agreement.n_reports,
        "agreement_parties": agreement.n_parties,
        "agreement_sections": agreement.sections.count(),
        "agreement_changes": agreement.status_changes.count(),
        "agreements": Agreement.objects.count(),
        "agreement_parties_total": Party.objects.count(),
        "agreement_versions_total": AgreementVersion.objects.count(),
        "agreement_reports_total": Report.objects.count(),
        "in_force": in_force.count(),
        "in_force_service": in_force.filter(kind=Agreement.Kind.SERVICE).count(),
        "rls_agreements": Agreement.objects.filter(rls=rls).count(),
        "rls_in_force_service": in_force.filter(kind=Agreement.Kind.SERVICE, rls=rls).count(),
    }


def evaluation() -> dict:
    """In the coordinator's RLS: its assembly for the diagnosis pages, and the latest campaign sent to it (the
    *Conditions de la concertation* survey, the instrument with the most items) for the results page."""
    rls = RoleAssignment.objects.get(user__username="bench-coord").rls
    assembly = Instance.objects.get(rls=rls, kind=Instance.Kind.ASSEMBLY)
    campaign = (
        Campaign.objects.filter(rls=rls, instances=assembly, mode=Campaign.Mode.INDIVIDUAL)
        .order_by("-opens_on", "-pk")
        .first()
    )
    return {
        "diagnosis_instance_id": assembly.pk,
        "campaign_id": campaign.pk,
        "campaign_year": campaign.opens_on.year,
        "campaign_invited": campaign.invitations.count(),
        "campaign_respondents": campaign.responses.count(),
        "campaign_answers": Answer.objects.filter(response__campaign=campaign).count(),
        "rls_campaigns": Campaign.objects.filter(rls=rls).count(),
        "campaigns": Campaign.objects.count(),
        "invitations": Invitation.objects.count(),
        "responses": Response.objects.count(),
        "answers": Answer.objects.count(),
    }


def network() -> dict:
    """The co-membership networks of the last full year of memberships: the coordinator's RLS (computed on request)
    and the province, computed and stored here as the background task does (timed)."""
    from evaluation.models import GraphKind
    from evaluation.network import store
    from evaluation.network.graphs import Scope
    from registry.models import Territory

    rls = RoleAssignment.objects.get(user__username="bench-coord").rls
    province = Territory.objects.get(kind=Territory.Kind.PROVINCE)
    year = store.years(GraphKind.CO_MEMBERSHIP, province)[1] - 1
    started = time.perf_counter()
    local = store.computed(GraphKind.CO_MEMBERSHIP, Scope(rls, year))["metrics"]
    local_ms = (time.perf_counter() - started) * 1000
    seconds = store.refresh(province.pk, year, GraphKind.CO_MEMBERSHIP)
    whole = store.stored(GraphKind.CO_MEMBERSHIP, Scope(province, year))["metrics"]
    return {
        "network_year": year,
        "rls_network_nodes": local["nodes"],
        "rls_network_edges": local["edges"],
        "rls_network_ms": local_ms,
        "province_network_nodes": whole["nodes"],
        "province_network_edges": whole["edges"],
        "province_network_seconds": seconds,
    }


def analyze() -> None:
    """PostgreSQL: planner statistics as autovacuum would soon have them after the bulk load."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def database() -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        cursor.execute("SELECT sqlite_version()")
        return f"SQLite {cursor.fetchone()[0]}"


if __name__ == "__main__":
    analyze()
    org = detail_organization()
    print(
        json.dumps(
            {
                "tokens": {name: issue_token(name) for name in ("bench-admin", "bench-coord")},
                "detail_id": org.pk,
                "detail_people": org.people,
                "detail_lines": org.lines,
                "organizations": Organization.objects.count(),
                "database": database(),
                **concertation(),
                **agreements(),
                **evaluation(),
                **network(),
            }
        )
    )
