"""Bad input through the pages: the form comes back with an error that names the field and says what to do,
in the user's language (French by default), and the registry is left exactly as it was."""

from html import unescape

import pytest
from django.urls import reverse

from registry.models import Organization


def assert_field_error(response, field: str, message: str, form_name: str = "form") -> None:
    assert response.status_code == 400
    form = response.context[form_name]
    assert field in form.errors, dict(form.errors)
    assert any(message in error for error in form.errors[field]), form.errors[field]
    html = unescape(response.content.decode())
    assert message in html
    # The error summary links to the field it is about (a group of checkboxes: its first one).
    assert f'href="#{form[field].id_for_label or form[field].auto_id + "_0"}"' in html


def org_data(world, **changes) -> dict:
    return {"name": "Maison de la famille du Val", "sector": "community", "rls": world.rls.pk, **changes}


ORGANISATION_CASES = [
    ("neq", {"neq": "12345"}, "compte exactement 10 chiffres"),
    ("neq", {"neq": "12345678AB"}, "compte exactement 10 chiffres"),
    ("email", {"email": "pas-un-courriel"}, "Saisissez une adresse e-mail valide."),
    # The eight criteria of independent community action are the community sector's (the message names ACA).
    ("aca_criteria", {"sector": "public", "aca_criteria": "aca_rooted"}, "ACA"),
    ("name", {"name": "POPOTE roulante du val"}, "existe déjà dans RLS du Val-des-Sources"),
    ("name", {"name": "  Popote roulante du Val "}, "existe déjà"),
    ("founded_year", {"founded_year": "1492"}, "1600"),
    ("website", {"website": "javascript:alert(1)"}, "URL"),
]


@pytest.mark.parametrize(("field", "changes", "message"), ORGANISATION_CASES)
def test_new_organisation_with_bad_input(client, world, registry_state, field, changes, message):
    client.force_login(world.coordinator)
    before = registry_state()
    response = client.post(reverse("registry:organization_create"), org_data(world, **changes))
    assert_field_error(response, field, message)
    assert registry_state() == before


@pytest.mark.parametrize(("field", "changes", "message"), ORGANISATION_CASES[:4])
def test_editing_an_organisation_with_bad_input(client, world, registry_state, field, changes, message):
    client.force_login(world.rep_a)
    before = registry_state()
    data = org_data(world, name=world.org_b.name if field == "name" else world.org_a.name, **changes)
    if field == "name":
        data["name"] = world.org_b.name.upper()
    response = client.post(reverse("registry:organization_edit", args=[world.org_a.pk]), data)
    assert_field_error(response, field, message if field != "name" else "existe déjà")
    assert registry_state() == before


def test_the_same_name_is_allowed_in_another_rls(client, world):
    client.force_login(world.other_coordinator)
    data = {"name": "popote roulante du val", "sector": "community", "rls": world.other_rls.pk}
    response = client.post(reverse("registry:organization_create"), data)
    assert response.status_code == 302
    assert Organization.objects.filter(name__iexact="popote roulante du val").count() == 2


def test_keeping_its_own_name_is_not_a_duplicate(client, world):
    client.force_login(world.rep_a)  # organisation A keeps its own record
    data = org_data(world, name=world.org_a.name.upper(), mission="Repas chauds")
    response = client.post(reverse("registry:organization_edit", args=[world.org_a.pk]), data)
    assert response.status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.mission == "Repas chauds"


def test_neq_may_be_typed_with_spaces(client, world):
    client.force_login(world.coordinator)
    response = client.post(reverse("registry:organization_create"), org_data(world, neq="1234 567 890"))
    assert response.status_code == 302
    assert Organization.objects.get(name="Maison de la famille du Val").neq == "1234567890"


def test_errors_follow_the_users_language(client, world, registry_state):
    world.coordinator.language = "en"
    world.coordinator.save()
    client.force_login(world.coordinator)
    before = registry_state()
    response = client.post(reverse("registry:organization_create"), org_data(world, neq="12345", email="nope"))
    assert_field_error(response, "neq", "The Quebec enterprise number (NEQ) has exactly 10 digits.")
    assert_field_error(response, "email", "Enter a valid email address.")
    assert registry_state() == before


# Funding and affiliations --------------------------------------------------------------------------


def test_negative_funding_amount(client, world, registry_state):
    client.force_login(world.rep_a)
    before = registry_state()
    response = client.post(
        reverse("registry:funding_add", args=[world.org_a.pk]), {"year": 2025, "source": "programme", "amount": "-500"}
    )
    assert response.status_code == 400
    form = response.context["funding_form"]
    assert list(form.errors) == ["amount"]
    assert "Le montant ne peut pas être négatif." in form.errors["amount"]
    html = unescape(response.content.decode())
    assert "Le montant ne peut pas être négatif." in html
    assert 'value="-500"' in html, "the user's input is kept"
    assert registry_state() == before


def test_affiliation_ending_before_it_starts(client, world, registry_state):
    client.force_login(world.rep_a)
    before = registry_state()
    data = {"organization": world.org_a.pk, "start_date": "2022-05-01", "end_date": "2021-01-31"}
    response = client.post(reverse("registry:affiliation_add", args=[world.person_a.pk]), data)
    assert_field_error(
        response, "end_date", "La date de fin ne peut pas précéder la date de début.", "affiliation_form"
    )
    assert registry_state() == before


def test_ending_an_affiliation_before_its_start(client, world, registry_state):
    client.force_login(world.rep_a)
    affiliation = world.person_a.affiliations.get()
    before = registry_state()
    url = reverse("registry:affiliation_end", args=[world.person_a.pk, affiliation.pk])
    response = client.post(url, {"end_date": "2019-12-31"}, follow=True)
    assert "La date de fin ne peut pas précéder la date de début." in unescape(response.content.decode())
    assert registry_state() == before


def test_person_with_invalid_email(client, world, registry_state):
    client.force_login(world.rep_a)
    before = registry_state()
    data = {"first_name": "Alice", "last_name": "Tremblay", "email": "alice@", "decision_level": "staff"}
    response = client.post(reverse("registry:person_edit", args=[world.person_a.pk]), data)
    assert_field_error(response, "email", "Saisissez une adresse e-mail valide.")
    assert registry_state() == before


def test_new_person_with_an_unknown_decision_level(client, world, registry_state):
    client.force_login(world.rep_a)
    before = registry_state()
    data = {
        "first_name": "Marc",
        "last_name": "Roy",
        "decision_level": "boss",
        "organization": world.org_a.pk,
        "start_date": "2024-01-01",
    }
    response = client.post(reverse("registry:person_create"), data)
    assert_field_error(response, "decision_level", "Sélectionnez un choix valide")
    assert registry_state() == before


# Territories --------------------------------------------------------------------------------------


def territory_data(world, **changes) -> dict:
    return {"name": "Secteur Nord", "kind": "community", "parent": world.mrc.pk, **changes}


@pytest.mark.parametrize("user", ["admin", "coordinator"])
def test_older_population_larger_than_population(client, world, registry_state, user):
    client.force_login(getattr(world, user))
    before = registry_state()
    data = territory_data(world, year=2024, population=1000, population_65_plus=1200)
    response = client.post(reverse("registry:territory_create"), data)
    assert_field_error(response, "population_65_plus", "ne peut pas dépasser la population totale")
    assert registry_state() == before


def test_population_without_a_year(client, world, registry_state):
    client.force_login(world.coordinator)
    before = registry_state()
    response = client.post(reverse("registry:territory_create"), territory_data(world, population=1000))
    assert_field_error(response, "year", "année")
    assert registry_state() == before


def test_rls_under_a_municipality(client, world, registry_state):
    client.force_login(world.admin)
    before = registry_state()
    response = client.post(
        reverse("registry:territory_create"),
        territory_data(world, name="RLS Fantôme", kind="rls", parent=world.town.pk),
    )
    assert_field_error(response, "parent", "ne peut pas être placé sous")
    assert registry_state() == before


@pytest.mark.parametrize("user", ["admin", "coordinator"])
@pytest.mark.parametrize("new_parent", ["itself", "descendant"])
def test_territory_under_itself_or_its_descendant(client, world, registry_state, user, new_parent):
    client.force_login(getattr(world, user))
    parent = world.mrc if new_parent == "itself" else world.town
    before = registry_state()
    data = {"name": world.mrc.name, "kind": "mrc", "parent": parent.pk}
    response = client.post(reverse("registry:territory_edit", args=[world.mrc.pk]), data)
    assert response.status_code == 400
    assert "parent" in response.context["form"].errors
    assert registry_state() == before


def test_moving_under_a_descendant_is_refused_with_a_clear_message(world):
    """The action refuses cycles itself, whatever form or API calls it."""
    from django.core.exceptions import ValidationError

    from registry import actions

    with pytest.raises(ValidationError) as error:
        actions.update_territory(world.admin, world.rls, {"parent": world.town})
    assert "parent" in error.value.message_dict
    world.rls.refresh_from_db()
    assert world.rls.parent == world.region


@pytest.mark.parametrize("name", ["CENTRE D'ACTION BÉNÉVOLE DU VAL", "centre d'action bénévole du val"])
def test_duplicate_names_differing_only_by_accented_capitals(client, world, registry_state, name):
    """SQLite compares case only for ASCII letters; French names have accents."""
    client.force_login(world.coordinator)
    before = registry_state()
    response = client.post(reverse("registry:organization_create"), org_data(world, name=name))
    assert_field_error(response, "name", "existe déjà")
    assert registry_state() == before
