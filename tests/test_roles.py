"""Role × action matrix of the registry pages, by table.

Objects outside a user's scope answer 404 (they do not exist for that user); objects the user may see but not
change answer 403. Every refused request leaves the registry as it was; every allowed write changes it.
"""

from html import unescape

import pytest
from django.urls import reverse

from registry import actions

ROLES = ["admin", "coordinator", "other_coordinator", "analyst", "rep_a", "rep_b", "nobody"]

# The target objects are organisation A, its person Alice and the municipality Saint-Clément, all in the
# coordinator's RLS. `other_coordinator` coordinates another RLS; `rep_b` represents organisation B.
# Organisation A has a representative and keeps its own record: the coordinator proposes changes to it and its people
# (tests/registry/test_change_requests.py) and is refused a direct edit (403).
#                     admin coord other analyst rep_a rep_b nobody
MATRIX = {
    "organization_list": "200 200 200 200 200 200 403",
    "organization_export": "200 200 200 200 200 200 403",
    "organization_detail": "200 200 404 200 200 404 404",
    "organization_create": "200 200 200 403 403 403 403",
    "organization_create_post": "302 302 400 403 403 403 403",
    "organization_edit": "200 403 404 403 200 404 404",
    "organization_edit_post": "302 403 404 403 302 404 404",
    "organization_archive": "302 302 404 403 403 404 404",
    "organization_restore": "302 302 404 403 403 404 404",
    "organization_history": "200 200 404 200 200 404 404",
    "funding_add": "302 403 404 403 302 404 404",
    "funding_delete": "302 403 404 403 302 404 404",
    "person_list": "200 200 200 200 200 200 403",
    "person_export": "200 200 200 200 200 200 403",
    "person_detail": "200 200 404 200 200 404 404",
    "person_create": "200 200 200 403 200 200 403",
    "person_edit": "200 403 404 403 200 404 404",
    "person_edit_post": "302 403 404 403 302 404 404",
    "person_archive": "302 403 404 403 302 404 404",
    "person_restore": "302 403 404 403 302 404 404",
    "person_history": "200 200 404 200 200 404 404",
    # The analyst, and the coordinator for organisation A, have no organisation to choose from: the form refuses the
    # input before the action would say 403.
    "affiliation_add": "302 400 404 400 302 404 404",
    "affiliation_end": "302 403 404 403 302 404 404",
    # Territories are shared reference data: every signed-in user reads them; coordinators change their RLS's.
    "territory_list": "200 200 200 200 200 200 200",
    "territory_export": "200 200 200 200 200 200 200",
    "territory_detail": "200 200 200 200 200 200 200",
    "territory_create": "200 200 200 403 403 403 403",
    "territory_edit": "200 200 403 403 403 403 403",
    "territory_edit_post": "302 302 403 403 403 403 403",
    "territory_history": "200 200 200 200 200 200 200",
    "import_upload": "200 200 200 403 403 403 403",
}


def org_form(w, **changes) -> dict:
    o = w.org_a
    data = {"name": o.name, "sector": o.sector, "rls": o.rls_id, "territories": [w.town.pk], "neq": "", "mission": ""}
    return {**data, **changes}


def person_form(w) -> dict:
    p = w.person_a
    return {"first_name": p.first_name, "last_name": "Tremblay-Roy", "email": p.email, "decision_level": "manager"}


def archive_org(w) -> None:
    actions.archive_organization(w.admin, w.org_a)


def archive_person(w) -> None:
    actions.archive_person(w.admin, w.person_a)


def r(name: str, *args) -> str:
    return reverse(f"registry:{name}", args=args)


# action: (method, url, POST data, set-up)
ACTIONS = {
    "organization_list": ("get", lambda w: r("organization_list"), None, None),
    "organization_export": ("get", lambda w: r("organization_list") + "?format=csv", None, None),
    "organization_detail": ("get", lambda w: r("organization_detail", w.org_a.pk), None, None),
    "organization_create": ("get", lambda w: r("organization_create"), None, None),
    "organization_create_post": (
        "post",
        lambda w: r("organization_create"),
        lambda w: org_form(w, name="Nouvel organisme", territories=[]),
        None,
    ),
    "organization_edit": ("get", lambda w: r("organization_edit", w.org_a.pk), None, None),
    "organization_edit_post": (
        "post",
        lambda w: r("organization_edit", w.org_a.pk),
        lambda w: org_form(w, name="Popote roulante du Val-des-Sources"),
        None,
    ),
    "organization_archive": ("post", lambda w: r("organization_archive", w.org_a.pk), lambda w: {}, None),
    "organization_restore": (
        "post",
        lambda w: r("organization_archive", w.org_a.pk),
        lambda w: {"restore": "1"},
        archive_org,
    ),
    "organization_history": ("get", lambda w: r("organization_history", w.org_a.pk), None, None),
    "funding_add": (
        "post",
        lambda w: r("funding_add", w.org_a.pk),
        lambda w: {"year": 2025, "source": "programme", "amount": "2500.00", "funder": "Centraide"},
        None,
    ),
    "funding_delete": (
        "post",
        lambda w: r("funding_delete", w.org_a.pk, w.org_a.funding_lines.get().pk),
        lambda w: {},
        None,
    ),
    "person_list": ("get", lambda w: r("person_list"), None, None),
    "person_export": ("get", lambda w: r("person_list") + "?format=xlsx", None, None),
    "person_detail": ("get", lambda w: r("person_detail", w.person_a.pk), None, None),
    "person_create": ("get", lambda w: r("person_create"), None, None),
    "person_edit": ("get", lambda w: r("person_edit", w.person_a.pk), None, None),
    "person_edit_post": ("post", lambda w: r("person_edit", w.person_a.pk), person_form, None),
    "person_archive": ("post", lambda w: r("person_archive", w.person_a.pk), lambda w: {}, None),
    "person_restore": (
        "post",
        lambda w: r("person_archive", w.person_a.pk),
        lambda w: {"restore": "1"},
        archive_person,
    ),
    "person_history": ("get", lambda w: r("person_history", w.person_a.pk), None, None),
    "affiliation_add": (
        "post",
        lambda w: r("affiliation_add", w.person_a.pk),
        lambda w: {
            "organization": w.org_a.pk,
            "title": "Bénévole",
            "start_date": "2018-05-01",
            "end_date": "2019-12-31",
        },
        None,
    ),
    "affiliation_end": (
        "post",
        lambda w: r("affiliation_end", w.person_a.pk, w.person_a.affiliations.get().pk),
        lambda w: {"end_date": "2024-06-30"},
        None,
    ),
    "territory_list": ("get", lambda w: r("territory_list"), None, None),
    "territory_export": ("get", lambda w: r("territory_list") + "?format=csv", None, None),
    "territory_detail": ("get", lambda w: r("territory_detail", w.town.pk), None, None),
    "territory_create": ("get", lambda w: r("territory_create"), None, None),
    "territory_edit": ("get", lambda w: r("territory_edit", w.town.pk), None, None),
    "territory_edit_post": (
        "post",
        lambda w: r("territory_edit", w.town.pk),
        lambda w: {"name": "Saint-Clément-de-Val", "kind": "municipality", "parent": w.mrc.pk},
        None,
    ),
    "territory_history": ("get", lambda w: r("territory_history", w.town.pk), None, None),
    "import_upload": ("get", lambda w: r("import", "organizations"), None, None),
}

CASES = [
    pytest.param(action, role, int(code), id=f"{action}-{role}")
    for action, codes in MATRIX.items()
    for role, code in zip(ROLES, codes.split(), strict=True)
]


def test_the_matrix_covers_every_action():
    assert set(MATRIX) == set(ACTIONS)


@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_role_action_matrix(client, world, registry_state, action, role, expected):
    method, url, data, setup = ACTIONS[action]
    if setup:
        setup(world)
    client.force_login(getattr(world, role))
    before = registry_state()

    response = client.get(url(world)) if method == "get" else client.post(url(world), data(world))

    assert response.status_code == expected
    if expected == 302:
        assert not response["Location"].startswith(reverse("login"))
    if method == "post" and expected == 302:
        assert registry_state() != before, "an allowed write must change the registry"
    else:
        assert registry_state() == before, "a read or a refused request must change nothing"


# Lists show only what each user may see ---------------------------------------------------------

VISIBLE_ORGANIZATIONS = {
    "admin": {"org_a", "org_b", "org_elsewhere"},
    "coordinator": {"org_a", "org_b"},
    "analyst": {"org_a", "org_b"},
    "other_coordinator": {"org_elsewhere"},
    "rep_a": {"org_a"},
    "rep_b": {"org_b"},
}
VISIBLE_PEOPLE = {
    "admin": {"person_a", "person_b"},
    "coordinator": {"person_a", "person_b"},
    "analyst": {"person_a", "person_b"},
    "other_coordinator": set(),
    "rep_a": {"person_a"},
    "rep_b": {"person_b"},
}


@pytest.mark.parametrize("role", VISIBLE_ORGANIZATIONS)
def test_organization_list_and_export_show_only_what_the_user_may_see(client, world, role):
    client.force_login(getattr(world, role))
    page = client.get(r("organization_list")).content.decode()
    export = b"".join(client.get(r("organization_list") + "?format=csv").streaming_content).decode()
    for name in ("org_a", "org_b", "org_elsewhere"):
        org = getattr(world, name)
        shown = name in VISIBLE_ORGANIZATIONS[role]
        assert (r("organization_detail", org.pk) + '"' in page) is shown, name
        assert (org.name in export) is shown, name


@pytest.mark.parametrize("role", VISIBLE_PEOPLE)
def test_person_list_shows_only_what_the_user_may_see(client, world, role):
    client.force_login(getattr(world, role))
    page = client.get(r("person_list")).content.decode()
    export = b"".join(client.get(r("person_list") + "?format=csv").streaming_content).decode()
    for name in ("person_a", "person_b"):
        person = getattr(world, name)
        shown = name in VISIBLE_PEOPLE[role]
        assert (r("person_detail", person.pk) + '"' in page) is shown, name
        assert (person.last_name in export) is shown, name


def test_a_user_without_role_is_told_to_ask_for_access(client, world):
    client.force_login(world.nobody)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert "Votre compte n’a pas encore de rôle" in page
    assert world.org_a.name not in page


def test_representative_cannot_move_their_organisation_to_another_rls(client, world, registry_state):
    client.force_login(world.rep_a)
    before = registry_state()
    response = client.post(r("organization_edit", world.org_a.pk), org_form(world, rls=world.other_rls.pk))
    assert response.status_code == 400
    assert "rls" in response.context["form"].errors
    assert registry_state() == before


def test_coordinator_cannot_create_an_organisation_in_another_rls(client, world, registry_state):
    client.force_login(world.coordinator)
    before = registry_state()
    data = org_form(world, name="Organisme ailleurs", rls=world.other_rls.pk, territories=[])
    response = client.post(r("organization_create"), data)
    assert response.status_code == 400
    assert "rls" in response.context["form"].errors
    assert registry_state() == before


def test_representative_cannot_affiliate_someone_with_another_organisation(client, world, registry_state):
    client.force_login(world.rep_a)
    before = registry_state()
    data = {"organization": world.org_b.pk, "start_date": "2022-01-01"}
    response = client.post(r("affiliation_add", world.person_a.pk), data)
    assert response.status_code == 400
    assert "organization" in response.context["affiliation_form"].errors
    assert registry_state() == before


@pytest.mark.parametrize("query", [{}, {"sector": "not-a-sector"}, {"territory": "999999"}, {"search": "Popote"}])
def test_archived_organisations_stay_out_of_lists_whatever_the_filters(client, world, query):
    actions.archive_organization(world.admin, world.org_a)
    client.force_login(world.coordinator)
    page = client.get(r("organization_list"), query)
    assert world.org_a not in list(page.context["page"])
    export = b"".join(client.get(r("organization_list"), {**query, "format": "csv"}).streaming_content).decode()
    assert world.org_a.name not in export
    shown = client.get(r("organization_list"), {**query, "archived": "true"})
    assert list(shown.context["page"]) == [world.org_a]
