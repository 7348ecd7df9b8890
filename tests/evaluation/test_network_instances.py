"""The map of concertations: instances tied by the organisations they share in a year, the organisations that sit on
several of them, and the merges or coordination suggested where two share most of their members; the page and
GET /api/v1/network/instances/ answer the same figures to the same readers."""

import datetime
import re
from dataclasses import dataclass
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import translation

from concertation.models import Instance, Membership
from evaluation.network import instances as instances_module
from evaluation.network.graphs import Scope
from evaluation.network.instance_drawing import instance_svg, short_name
from evaluation.network.instances import instance_map
from tests.factories import OrganizationFactory

API = "/api/v1/network/instances/"
YEAR = 2020
D = datetime.date
SINCE_2019 = D(2019, 1, 1)
SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Case:
    """Three instances in 2020: “Comité des aînés” and “Table des aînés” share four organisations and the theme;
    “Table jeunesse” shares one with “Table des aînés”."""

    committee: Instance  # 5 members: o1–o4, o6
    seniors: Instance  # 6 members: o1–o5, o9
    youth: Instance  # 3 members that year: o5, o7, o8
    orgs: dict


@pytest.fixture(autouse=True)
def _in_english(settings):
    """The suggestions are read in English here (the French catalogue has its own wording)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def make_instance(rls, name: str, kind: str = "table", theme: str = "") -> Instance:
    basis = Instance.Basis.THEMATIC if theme else Instance.Basis.TERRITORIAL
    return Instance.objects.create(name=name, kind=kind, basis=basis, theme=theme, level="local", rls=rls)


def sit(instance: Instance, org, start: datetime.date = SINCE_2019, end: datetime.date | None = None) -> None:
    Membership.objects.create(instance=instance, organization=org, start_date=start, end_date=end)


@pytest.fixture
def case(world) -> Case:
    orgs = {n: OrganizationFactory(name=f"Organisme {n}", rls=world.rls) for n in range(1, 11)}
    seniors = make_instance(world.rls, "Table des aînés", theme="Aînés")
    committee = make_instance(world.rls, "Comité des aînés", kind="working_group", theme=" aînés ")
    youth = make_instance(world.rls, "Table jeunesse", theme="Jeunesse")
    for n in (1, 2, 3, 4, 5, 9):
        sit(seniors, orgs[n])
    sit(seniors, orgs[1], D(2020, 3, 1), D(2020, 6, 30))  # a second seat: the organisation counts once
    for n in (1, 2, 3, 4, 6):
        sit(committee, orgs[n], D(2020, 12, 31))  # the last day of the year counts
    sit(youth, orgs[5])
    sit(youth, orgs[7], D(2015, 1, 1), D(2020, 1, 1))  # the first day of the year counts
    sit(youth, orgs[8])
    sit(youth, orgs[1], D(2015, 1, 1), D(2019, 12, 31))  # gone before the year
    sit(youth, orgs[2], D(2021, 1, 1))  # not yet
    # Elsewhere, with the same organisations: another RLS's instance is not on this RLS's map.
    elsewhere = make_instance(world.other_rls, "Table des Collines", theme="Aînés")
    for n in (1, 2, 3, 4, 5):
        sit(elsewhere, orgs[n])
    return Case(committee, seniors, youth, orgs)


def by_pair(found: dict) -> dict:
    return {(edge["source"], edge["target"]): edge for edge in found["edges"]}


# instance_map --------------------------------------------------------------------------------------------------


def test_instances_with_their_members_that_year(world, case):
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    assert found["nodes"] == [
        {"id": case.committee.pk, "name": "Comité des aînés", "kind": "working_group", "members": 5},
        {"id": case.seniors.pk, "name": "Table des aînés", "kind": "table", "members": 6},
        {"id": case.youth.pk, "name": "Table jeunesse", "kind": "table", "members": 3},
    ]


def test_ties_with_the_shares_computed_by_hand(world, case):
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    # Committee–seniors: o1–o4, 4 of the committee's 5 and 4 of the table's 6. Seniors–youth: o5, 1 of 6 and 1 of 3.
    assert found["edges"] == [
        {"source": case.committee.pk, "target": case.seniors.pk, "shared": 4,
         "share_of_source": 0.8, "share_of_target": 0.667},
        {"source": case.seniors.pk, "target": case.youth.pk, "shared": 1,
         "share_of_source": 0.167, "share_of_target": 0.333},
    ]  # fmt: skip


def test_organisations_on_several_instances_most_first_then_by_name(world, case):
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    assert found["organizations"] == [
        {"organization": case.orgs[n].pk, "name": f"Organisme {n}", "instances": 2} for n in (1, 2, 3, 4, 5)
    ]
    Membership.objects.create(instance=case.youth, organization=case.orgs[3], start_date=D(2020, 5, 1))
    assert instance_map(world.coordinator, Scope(world.rls, YEAR))["organizations"][0] == {
        "organization": case.orgs[3].pk, "name": "Organisme 3", "instances": 3
    }  # fmt: skip


def test_two_thirds_each_and_the_same_theme_suggest_a_merge_and_one_shared_suggests_nothing(world, case):
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    assert len(found["suggestions"]) == 1
    suggestion = found["suggestions"][0]
    assert suggestion["kind"] == "merge"
    assert suggestion["instances"] == [case.committee.pk, case.seniors.pk]
    for words in ("Comité des aînés", "Table des aînés", "80%", "67%", "4 organisations"):
        assert words in suggestion["reason"]


def test_different_themes_only_coordinate(world, case):
    case.committee.theme = "Proches aidants"
    case.committee.save()
    suggestions = instance_map(world.coordinator, Scope(world.rls, YEAR))["suggestions"]
    assert [(s["kind"], s["instances"]) for s in suggestions] == [("coordinate", [case.committee.pk, case.seniors.pk])]
    # The smaller one (the committee, 5 members) is named first, with its share; the rule is said once by the page.
    assert suggestions[0]["reason"] == (
        "80% of the members of “Comité des aînés” also sit on “Table des aînés” (4 organisations; "
        "67% of the members of “Table des aînés”)."
    )


@pytest.mark.parametrize("kind", [Instance.Kind.ASSEMBLY, Instance.Kind.COORDINATION_COMMITTEE])
def test_a_structural_instance_is_tied_but_never_suggested(world, case, kind):
    """An assembly or a coordination committee gathers the others' members by design: its pairs are listed and
    drawn, never suggested, even when it shares most of both memberships and the theme."""
    case.committee.kind = kind
    case.committee.save()
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    assert by_pair(found)[(case.committee.pk, case.seniors.pk)]["shared"] == 4
    assert found["suggestions"] == []


def test_a_small_instance_nested_in_a_big_one_is_to_coordinate(world, case):
    big = make_instance(world.rls, "Table intersectorielle", theme="Développement social")
    for n in range(1, 11):
        sit(big, case.orgs[n])
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    edges = by_pair(found)
    assert edges[(big.pk, case.youth.pk)] == {
        "source": big.pk, "target": case.youth.pk, "shared": 3, "share_of_source": 0.3, "share_of_target": 1.0
    }  # fmt: skip
    coordinated = {tuple(s["instances"]) for s in found["suggestions"] if s["kind"] == "coordinate"}
    assert coordinated == {(case.committee.pk, big.pk), (case.seniors.pk, big.pk), (big.pk, case.youth.pk)}
    assert [s["kind"] for s in found["suggestions"]][0] == "merge"  # merges first


def test_a_big_assembly_adds_ties_but_no_suggestion(world, case):
    assembly = make_instance(world.rls, "Assemblée des partenaires", kind="assembly")
    for n in range(1, 11):
        sit(assembly, case.orgs[n])
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    assert {pair for pair in by_pair(found) if assembly.pk in pair} == {
        (assembly.pk, case.committee.pk), (assembly.pk, case.seniors.pk), (assembly.pk, case.youth.pk)
    }  # fmt: skip
    assert [(s["kind"], s["instances"]) for s in found["suggestions"]] == [
        ("merge", [case.committee.pk, case.seniors.pk])
    ]


def test_an_instance_the_user_may_not_read_is_not_on_the_map(world, case, monkeypatch):
    hidden = case.committee.pk
    real = instances_module.instances_for
    monkeypatch.setattr(instances_module, "instances_for", lambda user: real(user).exclude(pk=hidden))
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    assert [node["id"] for node in found["nodes"]] == [case.seniors.pk, case.youth.pk]
    assert all(hidden not in (edge["source"], edge["target"]) for edge in found["edges"])
    assert found["suggestions"] == []
    assert [row["name"] for row in found["organizations"]] == ["Organisme 5"]


def test_a_year_without_members_gives_an_empty_map(world, case):
    assert instance_map(world.coordinator, Scope(world.rls, 2010)) == {
        "nodes": [], "edges": [], "organizations": [], "suggestions": []
    }  # fmt: skip


def test_queries_do_not_grow_with_the_data(world, case, django_assert_num_queries):
    scope = Scope(world.rls, YEAR)
    instance_map(world.coordinator, scope)  # the user's roles, read once and kept on the user
    with django_assert_num_queries(2):
        instance_map(world.coordinator, scope)
    for n in range(5):
        extra = make_instance(world.rls, f"Groupe de travail {n}", kind="working_group")
        for org in case.orgs.values():
            sit(extra, org)
    with django_assert_num_queries(2):
        found = instance_map(world.coordinator, scope)
    assert len(found["nodes"]) == 8


# The page and the API ------------------------------------------------------------------------------------------


def sign_in(client, user) -> None:
    """Signed in and reading English: a signed-in user's saved language wins over Accept-Language
    (core.middleware.UserLanguageMiddleware), so it is set too."""
    user.language = "en"
    user.save(update_fields=["language"])
    client.force_login(user)


def page(client, **query):
    return client.get(reverse("evaluation:network_instances"), query, HTTP_ACCEPT_LANGUAGE="en")


def test_the_page_shows_the_suggestion_the_pairs_and_the_sedimentation(client, world, case):
    sign_in(client, world.coordinator)
    response = page(client, territory=world.rls.pk, year=YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    suggestions, ties, seats = html.index("suggestions-title"), html.index("ties-title"), html.index("seats-title")
    assert suggestions < ties < seats
    suggestions_html = html[suggestions:ties]
    # The rule is said once, above the list; each item is the kind as a short word and the pair's figures.
    assert suggestions_html.index("two thirds") < suggestions_html.index('<ul class="suggestions">')
    items = re.findall(r"<li>(.*?)</li>", suggestions_html, re.S)
    assert len(items) == 1
    assert items[0].startswith("<strong>Merge?</strong> “Comité des aînés” and “Table des aînés” share 4")
    assert "two thirds" not in items[0]
    ties_html = html[ties:seats]
    assert ties_html.index("Comité des aînés") < ties_html.index("Table jeunesse")  # most shared first
    for figure in ("80 %", "67 %", "17 %", "33 %"):
        assert figure in ties_html
    assert case.committee.get_absolute_url() in html
    network = f"{reverse('evaluation:network')}?territory={world.rls.pk}&amp;year={YEAR}&amp;instance={case.youth.pk}"
    assert network in html
    assert 'class="table-wrap" tabindex="0" role="region"' in html
    assert "Table des Collines" not in html
    assert response.context["organizations"] == instance_map(world.coordinator, Scope(world.rls, YEAR))["organizations"]


def the_drawing(html: str) -> ElementTree.Element:
    start, end = html.index("<svg"), html.index("</svg>") + len("</svg>")
    return ElementTree.fromstring(html[start:end])  # noqa: S314 (the page's own drawing, not outside input)


def test_the_page_draws_the_instances_with_members_and_their_strong_ties(client, world, case):
    make_instance(world.rls, "Table sans membres cette année")  # no member in 2020: not drawn
    sit(make_instance(world.rls, "Table dissoute"), case.orgs[1], D(2015, 1, 1), D(2019, 12, 31))
    sign_in(client, world.coordinator)
    html = page(client, territory=world.rls.pk, year=YEAR).content.decode()
    assert html.index("map-title") < html.index("<svg") < html.index("suggestions-title")  # the tables follow
    svg = the_drawing(html)
    assert svg.get("role") == "img"
    assert svg.get("aria-label") == "Map of the instances and the organisations they share"
    assert svg.get("viewBox") == "0 0 390 390"
    assert svg.get("width") == "100%"
    assert svg.find(f"{SVG}title").text == svg.get("aria-label")
    assert svg.find(f"{SVG}desc").text.startswith("3 instances placed on a circle in name order")
    # One disc per instance with members that year, in name order, its area proportional to its members (5, 6, 3)
    # and its full name in its <title>.
    groups = svg.findall(f"{SVG}g")
    assert [g.find(f"{SVG}title").text for g in groups] == [
        "Comité des aînés: 5 member organisations",
        "Table des aînés: 6 member organisations",
        "Table jeunesse: 3 member organisations",
    ]
    radii = [float(g.find(f"{SVG}circle").get("r")) for g in groups]
    assert len(svg.findall(f".//{SVG}circle")) == 3
    assert [round((r / radii[1]) ** 2, 2) for r in radii] == [round(5 / 6, 2), 1.0, 0.5]
    # Only the ties of two shared organisations or more are drawn: committee–seniors (4), not seniors–youth (1).
    lines = svg.findall(f"{SVG}line")
    assert [line.find(f"{SVG}title").text for line in lines] == [
        "Comité des aînés and Table des aînés: 4 shared organisations"
    ]
    assert "style=" not in html[html.index("<svg") : html.index("</svg>")]
    assert "<script" not in html[html.index("<svg") : html.index("</svg>")]


def test_no_drawing_without_an_instance():
    assert instance_svg([], []) is None  # the page then says so under each table


def test_a_long_name_is_shortened_on_the_drawing_and_whole_in_its_title():
    names = [f"Comité d’action locale {end}" for end in ("des Coteaux", "des Rangs", "du Plateau", "du Pôle urbain")]
    nodes = [{"id": n, "name": name, "kind": "local_action_committee", "members": 4} for n, name in enumerate(names)]
    svg = the_drawing(instance_svg(nodes, []))
    labels = [g.findall(f"{SVG}text")[-1].text for g in svg.findall(f"{SVG}g")]
    # The names differ only by their end: the label keeps the first word and as many last words as fit (26 signs).
    assert labels == [
        "Comité … des Coteaux",
        "Comité … locale des Rangs",
        "Comité … locale du Plateau",
        "Comité … du Pôle urbain",
    ]
    assert [g.find(f"{SVG}title").text for g in svg.findall(f"{SVG}g")] == [
        f"{name}: 4 member organisations" for name in names
    ]
    assert short_name("Assemblée des partenaires « Vieillir en santé au Haut-Bocage »") == "Assemblée … Haut-Bocage »"
    assert short_name("Table jeunesse") == "Table jeunesse"


def test_the_api_answers_the_same_figures(client, world, case):
    sign_in(client, world.coordinator)
    response = client.get(API, {"territory": world.rls.pk, "year": YEAR})
    assert response.status_code == 200
    body = response.json()
    assert body["territory"] == world.rls.pk
    assert body["year"] == YEAR
    expected = instance_map(world.coordinator, Scope(world.rls, YEAR))
    assert {key: body[key] for key in expected} == expected
    assert by_pair(body)[(case.committee.pk, case.seniors.pk)]["share_of_target"] == 0.667
    assert page(client, territory=world.rls.pk, year=YEAR).context["suggestions"] == body["suggestions"]


def test_the_analyst_and_the_administrator_read_it(client, world, case):
    for user in (world.analyst, world.admin):
        sign_in(client, user)
        assert page(client, territory=world.rls.pk, year=YEAR).status_code == 200
        assert client.get(API, {"territory": world.rls.pk, "year": YEAR}).status_code == 200


def test_a_coordinator_of_another_rls_gets_404(client, world, case):
    sign_in(client, world.other_coordinator)
    assert page(client, territory=world.rls.pk, year=YEAR).status_code == 404
    assert client.get(API, {"territory": world.rls.pk, "year": YEAR}).status_code == 404


def test_without_a_network_to_read_the_page_and_the_api_refuse(client, world, case):
    sign_in(client, world.rep_a)
    assert page(client, territory=world.rls.pk, year=YEAR).status_code == 403
    assert client.get(API, {"territory": world.rls.pk, "year": YEAR}).status_code == 403


@pytest.mark.parametrize("year", ["1999", "2999", "deux-mille"])
def test_a_bad_year_is_a_400_naming_the_field(client, world, case, year):
    sign_in(client, world.coordinator)
    response = client.get(API, {"territory": world.rls.pk, "year": year})
    assert response.status_code == 400
    assert "year" in response.json()
    response = page(client, territory=world.rls.pk, year=year)
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert "ties" not in response.context


def test_anonymous_is_sent_to_sign_in(client, world):
    response = page(client)
    assert response.status_code == 302
    assert "login" in response["Location"]


# The demo -------------------------------------------------------------------------------------------------------


def test_demo_the_seniors_table_and_the_assembly_share_most_members(demo, client):
    """The seniors' table sits almost whole on the partners' assembly every year of the VES démarche; in 2010, the
    assembly's first year, they share most of both memberships (9 organisations: 90 % of the table's 10, 56 % of
    the assembly's 16). The assembly gathers everyone by design, so the pair is listed but suggests nothing; the
    demo's only suggestion is to coordinate the local action committee of the Vallée des Saules, two thirds of
    whose members sit on the seniors' table, from 2012 to 2015 (4 of its 6; 4 of 7 in 2016 is no longer most)."""
    from django.contrib.auth import get_user_model

    from evaluation.actions.network import default_territory

    coordinator = get_user_model().objects.get(username="coordination")
    rls = default_territory(coordinator)
    table = Instance.objects.get(rls=rls, kind=Instance.Kind.TABLE, theme="Aînés")
    assembly = Instance.objects.get(rls=rls, kind=Instance.Kind.ASSEMBLY)
    saules = Instance.objects.get(rls=rls, kind=Instance.Kind.LOCAL_ACTION_COMMITTEE, name__contains="Saules")
    structural = set(
        Instance.objects.filter(rls=rls, kind__in=instances_module.STRUCTURAL).values_list("pk", flat=True)
    )
    assert assembly.pk in structural and len(structural) == 2  # the assembly and the coordination committee
    source, target = sorted([table, assembly], key=lambda i: i.name.casefold())
    figures, suggested = {}, {}
    for year in range(2010, 2017):
        found = instance_map(coordinator, Scope(rls, year))
        edge = by_pair(found)[(source.pk, target.pk)]
        shares = {source.pk: edge["share_of_source"], target.pk: edge["share_of_target"]}
        figures[year] = (edge["shared"], shares[table.pk], shares[assembly.pk])
        suggested[year] = [(s["kind"], s["instances"]) for s in found["suggestions"]]
        assert not any(structural & set(s["instances"]) for s in found["suggestions"]), year
    assert [year for year, (_n, of_table, of_assembly) in figures.items() if min(of_table, of_assembly) > 0.5] == [2010]
    assert figures[2010] == (9, 0.9, 0.562)
    assert all(of_table >= 0.75 for _n, of_table, _of_assembly in figures.values())
    saules_and_table = [("coordinate", [saules.pk, table.pk])]
    assert suggested == {
        2010: [], 2011: [], 2012: saules_and_table, 2013: saules_and_table, 2014: saules_and_table,
        2015: saules_and_table, 2016: [],
    }  # fmt: skip

    sign_in(client, coordinator)
    html = page(client, territory=rls.pk, year=2010).content.decode()
    suggestions, ties = html.index("suggestions-title"), html.index("ties-title")
    assert "Nothing to merge or coordinate this year" in html[suggestions:ties]
    assert "Coordinate?" not in html
    assert assembly.get_absolute_url() in html[ties:] and table.get_absolute_url() in html[ties:]  # still a pair
    assert len(the_drawing(html).findall(f"{SVG}g")) == 2
    html = page(client, territory=rls.pk, year=2012).content.decode()
    suggestions, ties = html.index("suggestions-title"), html.index("ties-title")
    assert "<strong>Coordinate?</strong> 67% of the members of “Comité" in html[suggestions:ties]
    assert len(the_drawing(html).findall(f"{SVG}g")) == 8  # every instance of the démarche with members in 2012
