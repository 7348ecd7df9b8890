"""The agreement pages offer only what the actions accept and show their refusals (issue 8): the forms list the
organisations of the agreement's RLS and the people currently of the party; parties act for themselves."""

import datetime

from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement, PartyContact
from tests.agreements.conftest import draft, pdf
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

EVIDENCE = "Attach the signed page: a signature recorded for an organisation you do not represent needs it as evidence."


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def test_a_representative_cannot_draft_in_another_rls_on_the_page(client, world, agreements_state):
    institution = OrganizationFactory(name="CISSS des Collines", rls=world.other_rls)
    client.force_login(world.rep_a)
    form = client.get(reverse("agreements:agreement_create")).content.decode()
    assert institution.name not in form and world.other_rls.name not in form
    before = agreements_state()
    data = {"title": "Ailleurs", "kind": "service", "rls": world.other_rls.pk, "reminder_days": 90,
            "parties": [world.org_a.pk, institution.pk]}  # fmt: skip
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400 and institution.name not in response.content.decode()
    assert agreements_state() == before


def test_the_coordinator_cannot_name_an_organisation_elsewhere(client, world, agreements_state):
    client.force_login(world.coordinator)
    before = agreements_state()
    data = {"title": "X", "kind": "service", "rls": world.rls.pk, "reminder_days": 90,
            "parties": [world.org_a.pk, world.org_elsewhere.pk]}  # fmt: skip
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400 and "parties" in response.context["form"].errors
    assert agreements_state() == before


def test_the_action_refuses_on_the_page_as_in_the_api(client, world):
    third = OrganizationFactory(name="Municipalité de Saint-Clément", rls=world.rls)
    client.force_login(world.rep_b)
    data = {"title": "Pour A", "kind": "service", "rls": world.rls.pk, "reminder_days": 90,
            "parties": [world.org_a.pk, third.pk], "start_date": "2026-01-01", "end_date": "2025-01-01"}  # fmt: skip
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["parties"] == [fr("Your organisation must be one of the parties.")]
    data["parties"] = [world.org_b.pk, third.pk]
    response = client.post(reverse("agreements:agreement_create"), data)
    assert response.context["form"].errors["end_date"] == [fr("The end date cannot be before the start date.")]
    assert not Agreement.objects.exists()


def test_the_party_form_lists_the_organisations_of_the_rls(client, world):
    agreement = draft(world)
    neighbour = OrganizationFactory(name="Centre des Collines voisin", rls=world.other_rls)  # same health region
    third = OrganizationFactory(name="Municipalité de Saint-Clément", rls=world.rls)
    client.force_login(world.coordinator)
    page = client.get(reverse("agreements:party_add", args=[agreement.pk])).content.decode()
    assert third.name in page and neighbour.name not in page and world.org_elsewhere.name not in page
    response = client.post(reverse("agreements:party_add", args=[agreement.pk]), {"organization": neighbour.pk})
    assert response.status_code == 400 and agreement.parties.count() == 2


def test_the_contact_form_lists_the_people_currently_of_the_party(client, world):
    agreement = draft(world)
    former = PersonFactory(first_name="Denis", last_name="Ancien")
    AffiliationFactory(person=former, organization=world.org_a, start_date=datetime.date(2015, 1, 1),
                       end_date=datetime.date(2020, 1, 1))  # fmt: skip
    client.force_login(world.rep_a)
    party_a = agreement.parties.get(organization=world.org_a)
    page = client.get(reverse("agreements:contact_add", args=[party_a.pk])).content.decode()
    assert str(world.person_a) in page and str(former) not in page and str(world.person_b) not in page


def test_a_representative_does_not_record_another_partys_signature_on_the_page(client, world, agreements_state):
    agreement = draft(world)
    party_b = agreement.parties.get(organization=world.org_b)
    client.force_login(world.rep_a)
    url = reverse("agreements:contact_add", args=[party_b.pk])
    assert client.get(url).status_code == 403
    before = agreements_state()
    data = {"person": world.person_b.pk, "role": "signatory", "signed_on": "2025-01-02"}
    assert client.post(url, data).status_code == 403
    assert agreements_state() == before
    # The agreement page offers A's representative nothing for B's contacts.
    assert url not in client.get(agreement.get_absolute_url()).content.decode()


def test_the_coordinator_records_a_signature_with_the_signed_page_on_the_page(client, world, agreements_state):
    agreement = draft(world)
    party_b = agreement.parties.get(organization=world.org_b)
    client.force_login(world.coordinator)
    url = reverse("agreements:contact_add", args=[party_b.pk])
    data = {"person": world.person_b.pk, "role": "signatory", "signed_on": "2025-01-02"}
    before = agreements_state()
    response = client.post(url, data)
    assert response.status_code == 400 and response.context["form"].errors["evidence"] == [fr(EVIDENCE)]
    assert agreements_state() == before

    assert client.post(url, {**data, "evidence": pdf()}).status_code == 302
    contact = PartyContact.objects.get()
    assert contact.recorded_by == world.coordinator and contact.evidence.count() == 1
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert fr("recorded by %(user)s") % {"user": world.coordinator} in page
    assert reverse("agreements:attachment_download", args=[contact.evidence.get().pk]) in page
    history = client.get(reverse("agreements:agreement_history", args=[agreement.pk])).content.decode()
    assert world.coordinator.username in history and "page-signee.pdf" in history


def test_a_refused_button_says_why(client, world):
    agreement = draft(world)
    client.force_login(world.coordinator)
    party = agreement.parties.first()
    response = client.post(reverse("agreements:party_remove", args=[party.pk]), follow=True)
    assert agreement.parties.count() == 2
    assert fr("An agreement needs at least two parties: add another one before removing this one.") in (
        response.content.decode()
    )
