"""Participation analytics: participation per year (the VES curve), attendance rate, turnover, concertation
load (ranking, top decile, threshold, concentration), the pages, their scope and their query counts."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concertation import analytics
from concertation.actions import instances as instance_actions
from concertation.models import Attendance, Instance, Meeting, Membership
from core import charts
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db

D = datetime.date
PRESENT, EXCUSED, ABSENT = Attendance.Status.PRESENT, Attendance.Status.EXCUSED, Attendance.Status.ABSENT


def make_instance(world, name="Assemblée", rls=None, **extra) -> Instance:
    rls = rls or world.rls
    data = {"name": name, "kind": "assembly", "basis": "territorial", "territory": rls, "rls": rls, "level": "local"}
    return instance_actions.create_instance(world.admin, {**data, **extra})


def member(instance, org, start, end=None, person=None) -> Membership:
    return Membership.objects.create(instance=instance, organization=org, person=person, start_date=start, end_date=end)


def meeting(instance, day: datetime.date, hours: float = 2, status=Meeting.Status.HELD) -> Meeting:
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return Meeting.objects.create(
        instance=instance, title=f"Rencontre {day}", starts_at=starts, ends_at=starts + datetime.timedelta(hours=hours),
        status=status,
    )  # fmt: skip


def attend(meeting_obj, membership, status=PRESENT, substitute=None) -> Attendance:
    return Attendance.objects.create(
        meeting=meeting_obj, membership=membership, organization_id=membership.organization_id, status=status,
        substitute=substitute,
    )  # fmt: skip


def orgs(world, n, prefix="Organisme", rls=None):
    return [OrganizationFactory(name=f"{prefix} {i:02d}", rls=rls or world.rls) for i in range(n)]


# Participation per year: the VES curve (domain.md §6) -----------------------------------------------------


def build_ves_curve(world) -> Instance:
    """16 organisations in 2010, 30 in 2011, 44 in 2012, then a decline: 35, 25, 18."""
    assembly = make_instance(world, "Assemblée des partenaires VES")
    actors = orgs(world, 44, "Partenaire")
    founders, second, third = actors[:16], actors[16:30], actors[30:]
    # How long each stays: the last members leave first (ending on 31 December counts for that year).
    leaves = {}
    for org in actors[35:]:  # 9 leave at the end of 2012
        leaves[org.pk] = D(2012, 12, 31)
    for org in actors[25:35]:  # 10 at the end of 2013
        leaves[org.pk] = D(2013, 12, 31)
    for org in actors[18:25]:  # 7 at the end of 2014
        leaves[org.pk] = D(2014, 12, 31)
    for org in founders:
        member(assembly, org, D(2010, 3, 1), leaves.get(org.pk))
    for org in second:
        member(assembly, org, D(2011, 9, 15), leaves.get(org.pk))
    for org in third:
        member(assembly, org, D(2012, 1, 10), leaves.get(org.pk))
    # Overlaps that must not double count: a founder changes role mid-2011 (two memberships, one organisation),
    # and a short membership that only overlaps 2011.
    first = Membership.objects.get(instance=assembly, organization=founders[0])
    first.end_date = D(2011, 6, 30)
    first.save()
    member(assembly, founders[0], D(2011, 7, 1))
    member(assembly, actors[40], D(2011, 2, 1), D(2011, 3, 31))
    return assembly


def test_participation_by_year_reproduces_the_ves_curve(world):
    assembly = build_ves_curve(world)
    series = analytics.participation_by_year(assembly, until=2015)
    assert series == [
        {"year": 2010, "organizations": 16, "citizens": 0},
        {"year": 2011, "organizations": 31, "citizens": 0},  # 16 + 14 from September + 1 there from February to March
        {"year": 2012, "organizations": 44, "citizens": 0},
        {"year": 2013, "organizations": 35, "citizens": 0},
        {"year": 2014, "organizations": 25, "citizens": 0},
        {"year": 2015, "organizations": 18, "citizens": 0},
    ]


def test_participation_runs_to_this_year_and_counts_a_membership_for_every_year_it_overlaps(world):
    instance = make_instance(world)
    member(instance, world.org_a, D(2019, 11, 30), D(2021, 1, 1))  # overlaps 2019, 2020 and 2021 by one day
    series = analytics.participation_by_year(instance)
    assert series[0] == {"year": 2019, "organizations": 1, "citizens": 0}
    assert series[-1]["year"] == timezone.localdate().year
    assert [row["organizations"] for row in series[:4]] == [1, 1, 1, 0]
    assert analytics.participation_by_year(make_instance(world, "Vide")) == []


def test_participation_takes_two_queries_whatever_the_number_of_years(world, django_assert_num_queries):
    instance = make_instance(world)
    member(instance, world.org_a, D(1995, 1, 1))
    with django_assert_num_queries(2):
        series = analytics.participation_by_year(instance)
    assert len(series) == timezone.localdate().year - 1995 + 1


def test_instance_page_shows_the_ves_curve_as_an_accessible_chart(client, world):
    assembly = build_ves_curve(world)
    client.force_login(world.coordinator)
    page = client.get(assembly.get_absolute_url()).content.decode()
    assert "<svg" in page and 'role="img"' in page
    assert "<title id=" in page
    assert "style=" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    # The table alternative carries the figures.
    assert '<th scope="row">2012</th><td class="num">44</td>' in page
    assert '<th scope="row">2010</th><td class="num">16</td>' in page
    assert reverse("concertation:instance_analytics", args=[assembly.pk]) in page


# Attendance rate and turnover -----------------------------------------------------------------------


def test_attendance_rate_per_organisation(world):
    instance = make_instance(world)
    seat_a, seat_b = member(instance, world.org_a, D(2020, 1, 1)), member(instance, world.org_b, D(2020, 1, 1))
    meetings = [meeting(instance, D(2021, m, 10)) for m in (1, 3, 5, 7)]
    for m, status in zip(meetings, [PRESENT, PRESENT, EXCUSED, ABSENT], strict=True):
        attend(m, seat_a, status)
    for m in meetings:
        attend(m, seat_b, PRESENT)
    cancelled = meeting(instance, D(2021, 9, 1), status=Meeting.Status.CANCELLED)
    attend(cancelled, seat_a, ABSENT)
    rows = {row["name"]: row for row in analytics.attendance_by_organization(instance)}
    a = rows[world.org_a.name]
    assert (a["present"], a["excused"], a["absent"], a["recorded"], a["rate"]) == (2, 1, 1, 4, 0.5)
    assert rows[world.org_b.name]["rate"] == 1.0
    assert analytics.attendance_by_organization(instance, year=2020) == []


def test_turnover_per_year(world):
    instance = make_instance(world)
    a, b, c = orgs(world, 3, "Roulement")
    member(instance, a, D(2018, 1, 1))
    member(instance, b, D(2018, 5, 1), D(2019, 6, 30))
    member(instance, c, D(2019, 2, 1), D(2019, 12, 31))
    member(instance, c, D(2021, 1, 1), D(2021, 3, 1))  # comes back for a while
    rows = {row["year"]: row for row in analytics.turnover_by_year(instance, until=2022)}
    assert (rows[2018]["members"], rows[2018]["joined"], rows[2018]["left"]) == (2, 2, 0)
    assert (rows[2019]["members"], rows[2019]["joined"], rows[2019]["left"]) == (3, 1, 2)
    assert rows[2019]["left_names"] == sorted([b.name, c.name])
    assert (rows[2020]["members"], rows[2020]["joined"], rows[2020]["left"]) == (1, 0, 0)
    assert (rows[2021]["joined"], rows[2021]["left"], rows[2021]["joined_names"]) == (1, 1, [c.name])
    # members(Y) = members(Y−1) + joined(Y) − left(Y−1)
    for year in range(2019, 2023):
        assert rows[year]["members"] == rows[year - 1]["members"] + rows[year]["joined"] - rows[year - 1]["left"]


def test_instance_analytics_page(client, world, ves):
    seat = ves["member_a"]
    m = meeting(ves["local"], D(2021, 4, 1))
    attend(m, seat, PRESENT)
    client.force_login(world.rep_a)  # a representative of a member organisation reads it
    response = client.get(reverse("concertation:instance_analytics", args=[ves["local"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert world.org_a.name in page and "100 %" in page
    client.force_login(world.rep_b)  # not a member of this private instance
    assert client.get(reverse("concertation:instance_analytics", args=[ves["local"].pk])).status_code == 404


# Concertation load (hyperconcertation) -------------------------------------------------------------------


@pytest.fixture
def load_world(world):
    """20 organisations of the RLS with different loads in 2023, plus noise that must not count."""
    tables = [make_instance(world, f"Table {i}") for i in range(4)]
    actors = orgs(world, 20, "Acteur")
    people = []
    for org in actors:
        person = PersonFactory(first_name="Rep", last_name=org.name.replace(" ", ""))
        AffiliationFactory(person=person, organization=org)
        people.append(person)
    meetings = {t.pk: [meeting(t, D(2023, month, 5), hours=2) for month in range(1, 13)] for t in tables}
    # Acteur 00 sits on four tables and attends all 48 meetings: 96 h; Acteur 01 two tables, all: 48 h;
    # Acteur i (i >= 2) sits on one table and attends 12 - i // 2 meetings.
    seats = {}
    for i, (org, person) in enumerate(zip(actors, people, strict=True)):
        sits_on = tables if i == 0 else tables[:2] if i == 1 else [tables[i % 4]]
        for table in sits_on:
            seats[(i, table.pk)] = member(table, org, D(2022, 1, 1), person=person)
            attended = 12 if i < 2 else 12 - i // 2
            for m in meetings[table.pk][:attended]:
                attend(m, seats[(i, table.pk)])
            for m in meetings[table.pk][attended:]:
                attend(m, seats[(i, table.pk)], ABSENT)
    # Noise: a meeting of 2022 and one of 2024, an organisation of another RLS.
    attend(meeting(tables[0], D(2022, 12, 31), hours=10), seats[(4, tables[0].pk)])
    attend(meeting(tables[0], D(2024, 1, 1), hours=10), seats[(4, tables[0].pk)])
    elsewhere_table = make_instance(world, "Table des Collines", rls=world.other_rls)
    far = member(elsewhere_table, world.org_elsewhere, D(2022, 1, 1))
    for m in [meeting(elsewhere_table, D(2023, 6, d), hours=8) for d in range(1, 20)]:
        attend(m, far)
    return {"tables": tables, "actors": actors, "people": people, "seats": seats}


def test_load_ranks_organisations_and_flags_the_top_decile(world, load_world):
    report = analytics.concertation_load(world.rls, 2023)
    rows = report["organizations"]
    names = [r["name"] for r in rows]
    assert world.org_elsewhere.name not in names
    assert len(rows) == 20
    top = rows[0]
    assert (top["name"], top["instances"], top["seats"], top["meetings"], top["hours"]) == (
        "Acteur 00", 4, 4, 48, Decimal("96.00"),
    )  # fmt: skip
    assert (rows[1]["name"], rows[1]["hours"]) == ("Acteur 01", Decimal("48.00"))
    assert [r["rank"] for r in rows] == list(range(1, 21))
    assert [r["name"] for r in rows if r["over_solicited"]] == ["Acteur 00", "Acteur 01"]  # 10 % of 20
    assert report["criterion"] == "top_decile"
    assert report["decile_cutoff_hours"] == Decimal("48.00")
    hours = [r["hours"] for r in rows]
    assert hours == sorted(hours, reverse=True)


def test_load_threshold_replaces_the_decile(world, load_world):
    report = analytics.concertation_load(world.rls, 2023, hours_threshold=20)
    flagged = {r["name"] for r in report["organizations"] if r["over_solicited"]}
    # Acteur 00 (96 h), 01 (48 h), 02 and 03 (11 meetings of 2 h: 22 h); 04 and 05 have exactly 20 h.
    assert flagged == {"Acteur 00", "Acteur 01", "Acteur 02", "Acteur 03"}
    assert report["criterion"] == "threshold"
    assert all(r["top_decile"] == (r["name"] in {"Acteur 00", "Acteur 01"}) for r in report["organizations"])


def test_load_per_person_counts_who_actually_sat(world, load_world):
    substitute = PersonFactory(first_name="Suppléante", last_name="Zed")
    seat = load_world["seats"][(19, load_world["tables"][3].pk)]
    extra = meeting(load_world["tables"][3], D(2023, 12, 20), hours=3)
    attend(extra, seat, PRESENT, substitute=substitute)
    report = analytics.concertation_load(world.rls, 2023)
    people = {p["name"]: p for p in report["people"]}
    assert people["Suppléante Zed"]["meetings"] == 1 and people["Suppléante Zed"]["hours"] == Decimal("3.00")
    assert people["Suppléante Zed"]["instances"] == 0
    top = report["people"][0]
    assert (top["name"], top["instances"], top["meetings"]) == ("Rep Acteur00", 4, 48)
    # The organisation is credited with its substitute's presence.
    org19 = next(r for r in report["organizations"] if r["name"] == "Acteur 19")
    assert org19["meetings"] == 12 - 19 // 2 + 1


def test_load_concentration_is_the_share_of_seats_of_the_most_present_tenth(world, load_world):
    report = analytics.concertation_load(world.rls, 2023)
    c = report["concentration"]
    assert (c["organizations"], c["top_organizations"]) == (20, 2)
    assert (c["seats"], c["top_seats"]) == (4 + 2 + 18, 6)
    assert c["share"] == round(6 / 24, 3)
    assert c["presences"] == report["totals"]["meetings"]
    assert c["top_presences"] == 48 + 24


def test_load_of_a_region_takes_in_its_rls_and_an_empty_year_is_empty(world, load_world):
    region = analytics.concertation_load(world.region, 2023)
    assert world.org_elsewhere.name in {r["name"] for r in region["organizations"]}
    assert [r["name"] for r in region["organizations"][:2]] == [world.org_elsewhere.name, "Acteur 00"]  # 152 h, 96 h
    empty = analytics.concertation_load(world.rls, 1999)
    assert empty["organizations"] == [] and empty["concentration"]["share"] is None


def test_load_runs_a_fixed_number_of_queries(world, load_world):
    with CaptureQueriesContext(connection) as small:
        analytics.concertation_load(world.region, 2023)
    more = orgs(world, 30, "Nouveau")
    for org in more:
        seat = member(load_world["tables"][0], org, D(2023, 1, 1))
        attend(Meeting.objects.filter(instance=load_world["tables"][0]).first(), seat)
    with CaptureQueriesContext(connection) as large:
        analytics.concertation_load(world.region, 2023)
    assert len(large) == len(small) <= 8


# The load page: scope and form ---------------------------------------------------------------------------


def load_url(**query) -> str:
    url = reverse("concertation:concertation_load")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_load_page_for_the_rls_coordinator(client, world, load_world):
    client.force_login(world.coordinator)
    response = client.get(load_url(territory=world.rls.pk, year=2023))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Acteur 00" in page
    assert [r["name"] for r in response.context["organizations"] if r["over_solicited"]] == ["Acteur 00", "Acteur 01"]
    assert "<svg" in page
    assert world.org_elsewhere.name not in page
    # With a threshold in the query string.
    response = client.get(load_url(territory=world.rls.pk, year=2023, hours=20))
    assert response.context["report"]["criterion"] == "threshold"
    # Without a query, the only territory in scope is shown for this year.
    response = client.get(load_url())
    assert response.context["report"]["territory"]["id"] == world.rls.pk


def test_load_page_is_scoped(client, world, load_world):
    client.force_login(world.other_coordinator)
    response = client.get(load_url(territory=world.rls.pk, year=2023))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "territory" in response.context["form"].errors
    assert "Acteur 00" not in response.content.decode()
    client.force_login(world.analyst)
    assert client.get(load_url(territory=world.rls.pk, year=2023)).context["report"] is not None
    client.force_login(world.rep_a)
    assert client.get(load_url(territory=world.rls.pk, year=2023)).status_code == 403
    client.force_login(world.nobody)
    assert client.get(load_url(territory=world.rls.pk, year=2023)).status_code == 403
    client.force_login(world.coordinator)
    assert "territory" in client.get(load_url(territory=world.region.pk, year=2023)).context["form"].errors
    client.force_login(world.admin)
    assert client.get(load_url(territory=world.region.pk, year=2023)).context["report"] is not None


@pytest.mark.parametrize("query", [{"year": "deux-mille"}, {"year": "2023", "hours": "-3"}, {"year": "1200"}])
def test_load_page_refuses_bad_input_with_a_message(client, world, query):
    client.force_login(world.coordinator)
    response = client.get(load_url(territory=world.rls.pk, **query))
    assert response.status_code == 200
    assert response.context["report"] is None
    assert response.context["form"].errors
    assert "error-summary" in response.content.decode()


# Query counts stay constant as data grows -----------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_analytics_pages_query_counts_do_not_grow_with_data(client, world, load_world):
    client.force_login(world.coordinator)
    table = load_world["tables"][0]
    urls = [
        table.get_absolute_url(),
        reverse("concertation:instance_analytics", args=[table.pk]),
        load_url(territory=world.rls.pk, year=2023),
    ]
    before = [count_queries(client, url) for url in urls]
    for i, org in enumerate(orgs(world, 15, "Croissance")):
        seat = member(table, org, D(2015 + i % 8, 1, 1))
        for m in Meeting.objects.filter(instance=table)[:6]:
            attend(m, seat, ABSENT if i % 3 else PRESENT)
        meeting(table, D(2023, 2, 1 + i))
    after = [count_queries(client, url) for url in urls]
    assert after == before


# Charts ----------------------------------------------------------------------------------------------------


def test_charts_escape_labels_and_carry_a_title_and_a_table():
    chart = charts.bar_chart(
        [("<b>2010</b>", 16), ("2011", 30)], title="Membres & <script>", label_header="Année", value_header="Nb"
    )
    svg = str(chart.svg)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&lt;b&gt;" in svg
    assert svg.count("<rect") == 2 and "<title id=" in svg and "style=" not in svg
    html = str(chart)
    assert "<table>" in html and '<th scope="row">&lt;b&gt;2010&lt;/b&gt;</th>' in html
    line = str(charts.line_chart([("a", 1), ("b", 3)], title="t", label_header="l", value_header="v").svg)
    assert "<polyline" in line
    bars = str(charts.hbar_chart([("x", 50)], title="t", label_header="l", value_header="v", maximum=100).svg)
    assert "<rect" in bars
    assert charts.nice_step(44) == 20 and charts.nice_step(7) == 2


def test_the_load_report_is_linked_for_those_who_may_see_it(client, world, ves):
    load = reverse("concertation:concertation_load")
    client.force_login(world.coordinator)
    assert load in client.get(ves["local"].get_absolute_url()).content.decode()
    assert load in client.get(reverse("concertation:instance_analytics", args=[ves["local"].pk])).content.decode()
    client.force_login(world.rep_a)
    assert load not in client.get(ves["local"].get_absolute_url()).content.decode()


def test_these_templates_use_no_inline_style_or_script():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "concertation" / "templates" / "concertation"
    names = ["demarche_*.html", "plan_*.html", "analytics_*.html", "_instance_plans.html", "_instance_analytics.html"]
    files = [f for pattern in names for f in folder.glob(pattern)]
    assert len(files) >= 8
    for f in files:
        text = f.read_text()
        assert "style=" not in text and "<script" not in text, f.name
