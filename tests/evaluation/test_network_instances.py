"""The map of concertations: instances tied by the organisations they share in a year, the organisations that sit on
several of them, and the merges or coordination suggested where two share most of their members; the page and
GET /api/v1/network/instances/ answer the same figures to the same readers."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse

from concertation.models import Instance, Membership
from evaluation.network import instances as instances_module
from evaluation.network.graphs import Scope
from evaluation.network.instances import instance_map
from tests.factories import OrganizationFactory

API = "/api/v1/network/instances/"
YEAR = 2020
D = datetime.date
SINCE_2019 = D(2019, 1, 1)


@dataclass
class Case:
    """Three instances in 2020: “Comité des aînés” and “Table des aînés” share four organisations and the theme;
    “Table jeunesse” shares one with “Table des aînés”."""

    committee: Instance  # 5 members: o1–o4, o6
    seniors: Instance  # 6 members: o1–o5, o9
    youth: Instance  # 3 members that year: o5, o7, o8
    orgs: dict


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


def test_different_themes_or_a_structural_instance_only_coordinate(world, case):
    case.committee.theme = "Proches aidants"
    case.committee.save()
    suggestion = instance_map(world.coordinator, Scope(world.rls, YEAR))["suggestions"][0]
    assert suggestion["kind"] == "coordinate"
    case.committee.theme, case.committee.kind = "Aînés", Instance.Kind.ASSEMBLY
    case.committee.save()
    suggestion = instance_map(world.coordinator, Scope(world.rls, YEAR))["suggestions"][0]
    assert suggestion["kind"] == "coordinate"
    # The smaller one (the committee, 5 members) is named first, with its share.
    assert suggestion["reason"].startswith("80% of the members of “Comité des aînés” also sit on “Table des aînés”")


def test_a_small_instance_nested_in_a_big_one_is_to_coordinate(world, case):
    big = make_instance(world.rls, "Assemblée des partenaires", kind="assembly")
    for n in range(1, 11):
        sit(big, case.orgs[n])
    found = instance_map(world.coordinator, Scope(world.rls, YEAR))
    edges = by_pair(found)
    assert edges[(big.pk, case.youth.pk)] == {
        "source": big.pk, "target": case.youth.pk, "shared": 3, "share_of_source": 0.3, "share_of_target": 1.0
    }  # fmt: skip
    coordinated = {tuple(s["instances"]) for s in found["suggestions"] if s["kind"] == "coordinate"}
    assert {(big.pk, case.committee.pk), (big.pk, case.seniors.pk), (big.pk, case.youth.pk)} <= coordinated
    assert [s["kind"] for s in found["suggestions"]][0] == "merge"  # merges first


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


def page(client, **query):
    return client.get(reverse("evaluation:network_instances"), query)


def test_the_page_shows_the_suggestion_the_pairs_and_the_sedimentation(client, world, case):
    client.force_login(world.coordinator)
    response = page(client, territory=world.rls.pk, year=YEAR)
    assert response.status_code == 200
    html = response.content.decode()
    suggestions, ties, seats = html.index("suggestions-title"), html.index("ties-title"), html.index("seats-title")
    assert suggestions < ties < seats
    assert "Merge?" in html[suggestions:ties]
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


def test_the_api_answers_the_same_figures(client, world, case):
    client.force_login(world.coordinator)
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
        client.force_login(user)
        assert page(client, territory=world.rls.pk, year=YEAR).status_code == 200
        assert client.get(API, {"territory": world.rls.pk, "year": YEAR}).status_code == 200


def test_a_coordinator_of_another_rls_gets_404(client, world, case):
    client.force_login(world.other_coordinator)
    assert page(client, territory=world.rls.pk, year=YEAR).status_code == 404
    assert client.get(API, {"territory": world.rls.pk, "year": YEAR}).status_code == 404


def test_without_a_network_to_read_the_page_and_the_api_refuse(client, world, case):
    client.force_login(world.rep_a)
    assert page(client, territory=world.rls.pk, year=YEAR).status_code == 403
    assert client.get(API, {"territory": world.rls.pk, "year": YEAR}).status_code == 403


@pytest.mark.parametrize("year", ["1999", "2999", "deux-mille"])
def test_a_bad_year_is_a_400_naming_the_field(client, world, case, year):
    client.force_login(world.coordinator)
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
    the assembly's 16). An assembly is never merged: the demo's map suggests coordination."""
    from django.contrib.auth import get_user_model

    from evaluation.actions.network import default_territory

    coordinator = get_user_model().objects.get(username="coordination")
    rls = default_territory(coordinator)
    table = Instance.objects.get(rls=rls, kind=Instance.Kind.TABLE, theme="Aînés")
    assembly = Instance.objects.get(rls=rls, kind=Instance.Kind.ASSEMBLY)
    source, target = sorted([table, assembly], key=lambda i: i.name.casefold())
    figures = {}
    for year in range(2010, 2017):
        found = instance_map(coordinator, Scope(rls, year))
        edge = by_pair(found)[(source.pk, target.pk)]
        shares = {source.pk: edge["share_of_source"], target.pk: edge["share_of_target"]}
        suggested = [s for s in found["suggestions"] if set(s["instances"]) == {table.pk, assembly.pk}]
        assert [s["kind"] for s in suggested] == ["coordinate"], year
        assert table.name in suggested[0]["reason"] and assembly.name in suggested[0]["reason"]
        figures[year] = (edge["shared"], shares[table.pk], shares[assembly.pk])
    assert [year for year, (_n, of_table, of_assembly) in figures.items() if min(of_table, of_assembly) > 0.5] == [2010]
    assert figures[2010] == (9, 0.9, 0.562)
    assert all(of_table >= 0.75 for _n, of_table, _of_assembly in figures.values())
    client.force_login(coordinator)
    response = page(client, territory=rls.pk, year=2010)
    assert response.status_code == 200
    assert "Coordinate?" in response.content.decode()
