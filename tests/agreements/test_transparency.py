"""Issue 11 §3: a signed agreement with a public body as a party is read by the members of the RLS's concertation
instances; its confidential files, its negotiation log and its history stay with the parties and the coordinators,
and nothing of it is theirs to change. The page and the API answer the same."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.actions import agreements as actions
from agreements.actions import follow_up
from agreements.models import Agreement, Attachment
from concertation.actions import instances
from concertation.models import Membership
from tests.agreements.conftest import draft, pdf
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory, UserFactory
from tests.parity import api_as

API = "/api/v1/agreements/"
SIGNED = ["signed", "in_force", "expired", "terminated"]


@pytest.fixture
def table(world):
    """A concertation table of the world's RLS where org_b (not a party to the agreements below) sits today."""
    values = {"name": "Table des aînés du Val", "kind": "table", "basis": "thematic", "level": "local",
              "rls": world.rls}  # fmt: skip
    table = instances.create_instance(world.admin, values)
    Membership.objects.create(instance=table, organization=world.org_b, start_date=datetime.date(2024, 1, 1))
    return table


@pytest.fixture
def clsc(world):
    return OrganizationFactory(name="CISSS du Val — CLSC", sector="public", rls=world.rls)


def public_agreement(world, clsc, status: str = "in_force", **extra) -> Agreement:
    """An agreement between the public body and org_a, moved to `status` (the lifecycle is tested elsewhere)."""
    agreement = draft(world, parties=[clsc, world.org_a], **extra)
    Agreement.objects.filter(pk=agreement.pk).update(status=status)
    agreement.refresh_from_db()
    return agreement


def page(agreement: Agreement) -> str:
    return reverse("agreements:agreement_detail", args=[agreement.pk])


def listed(user) -> set[int]:
    return {row["id"] for row in api_as(user).get(API, {"page_size": 100}).json()["results"]}


# Who reads ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", SIGNED)
def test_a_member_of_a_table_reads_a_signed_agreement_with_a_public_party(client, world, table, clsc, status):
    agreement = public_agreement(world, clsc, status)
    client.force_login(world.rep_b)
    response = client.get(page(agreement))
    assert response.status_code == 200 and agreement.title in response.content.decode()
    assert api_as(world.rep_b).get(f"{API}{agreement.pk}/").status_code == 200
    assert agreement.pk in listed(world.rep_b)
    assert client.get(reverse("agreements:agreement_list")).content.decode().count(agreement.title) >= 1
    # The document itself is the public body's accessible document.
    assert client.get(reverse("agreements:document", args=[agreement.pk, "pdf"])).status_code == 200


@pytest.mark.parametrize("status", ["draft", "negotiation"])
def test_drafts_and_negotiations_stay_with_the_parties(client, world, table, clsc, status):
    agreement = public_agreement(world, clsc, status)
    client.force_login(world.rep_b)
    assert client.get(page(agreement)).status_code == 404
    assert api_as(world.rep_b).get(f"{API}{agreement.pk}/").status_code == 404
    assert agreement.pk not in listed(world.rep_b)
    # The parties still read it.
    assert agreement.pk in listed(world.rep_a)


def test_not_without_a_public_party(client, world, table):
    community = OrganizationFactory(name="Maison de la famille du Val", rls=world.rls)
    agreement = draft(world, parties=[world.org_a, community])
    Agreement.objects.filter(pk=agreement.pk).update(status="in_force")
    client.force_login(world.rep_b)
    assert client.get(page(agreement)).status_code == 404
    assert api_as(world.rep_b).get(f"{API}{agreement.pk}/").status_code == 404
    assert agreement.pk not in listed(world.rep_b)


def test_not_one_of_another_rls(client, world, table):
    public_there = OrganizationFactory(name="CISSS des Collines", sector="public", rls=world.other_rls)
    data = {"title": "Entente des Collines", "kind": "service", "rls": world.other_rls,
            "parties": [public_there, world.org_elsewhere]}  # fmt: skip
    agreement = actions.create_agreement(world.admin, data)
    Agreement.objects.filter(pk=agreement.pk).update(status="in_force")
    client.force_login(world.rep_b)
    assert client.get(page(agreement)).status_code == 404
    assert api_as(world.rep_b).get(f"{API}{agreement.pk}/").status_code == 404
    assert agreement.pk not in listed(world.rep_b)


def test_a_seat_that_ended_no_longer_reads(client, world, table, clsc):
    agreement = public_agreement(world, clsc)
    Membership.objects.filter(instance=table).update(end_date=datetime.date(2024, 12, 31))
    client.force_login(world.rep_b)
    assert client.get(page(agreement)).status_code == 404
    assert agreement.pk not in listed(world.rep_b)


def test_without_a_seat_a_representative_of_the_rls_does_not_read(client, world, clsc):
    agreement = public_agreement(world, clsc)
    client.force_login(world.rep_b)  # org_b sits nowhere: no table fixture
    assert client.get(page(agreement)).status_code == 404


def test_a_person_holding_a_seat_through_their_account_reads(client, world, table, clsc):
    """As concertation.rules counts members: a citizen seat, or the person named on an organisation's seat."""
    agreement = public_agreement(world, clsc)
    citizen = PersonFactory(first_name="Chantal", last_name="Roy", account=UserFactory(username="citoyenne"))
    Membership.objects.create(instance=table, person=citizen, role="citizen", start_date=datetime.date(2024, 1, 1))
    delegate = PersonFactory(first_name="Denis", last_name="Côté", account=UserFactory(username="delegue"))
    AffiliationFactory(person=delegate, organization=world.org_b)
    Membership.objects.create(
        instance=table, organization=world.org_b, person=delegate, start_date=datetime.date(2024, 1, 1)
    )
    for user in (citizen.account, delegate.account):
        client.force_login(user)
        assert client.get(page(agreement)).status_code == 200
        assert agreement.pk in listed(user)


# What such a reader does not see ------------------------------------------------------------------------


@pytest.fixture
def furnished(world, clsc):
    """A signed agreement with a public annex, a confidential annex, a signed page, a negotiated issue and funding."""
    agreement = draft(world, parties=[clsc, world.org_a])
    public = follow_up.attach(world.coordinator, agreement, {"file": pdf("annexe-publique.pdf"), "kind": "annex"})
    secret = follow_up.attach(
        world.coordinator, agreement, {"file": pdf("annexe-tarifs.pdf"), "kind": "annex", "confidential": True}
    )
    party_a = agreement.parties.get(organization=world.org_a)
    actions.add_contact(
        world.coordinator, party_a,
        {"person": world.person_a, "role": "signatory", "signed_on": datetime.date(2025, 1, 10),
         "evidence": pdf("page-signee-popote.pdf")},
    )  # fmt: skip
    follow_up.log_issue(
        world.coordinator, agreement,
        {"subject": "Tarif par repas", "compromise": "Huit dollars", "positions": {party_a: ("Dix dollars", "Deux")}},
    )  # fmt: skip
    follow_up.set_amount(world.coordinator, agreement, {"year": 2025, "amount": "16000.00"})
    Agreement.objects.filter(pk=agreement.pk).update(status="in_force")
    agreement.refresh_from_db()
    evidence = Attachment.objects.get(contact__isnull=False)
    return agreement, public, secret, evidence


def test_the_signed_page_is_confidential_by_default(furnished):
    _, public, secret, evidence = furnished
    assert (public.confidential, secret.confidential, evidence.confidential) == (False, True, True)


def test_confidential_files_are_hidden_and_404_for_a_member(client, world, table, furnished):
    agreement, public, secret, evidence = furnished
    client.force_login(world.rep_b)
    html = client.get(page(agreement)).content.decode()
    assert "annexe-publique.pdf" in html
    assert "annexe-tarifs.pdf" not in html
    assert reverse("agreements:attachment_download", args=[evidence.pk]) not in html
    download = "agreements:attachment_download"
    assert client.get(reverse(download, args=[public.pk])).status_code == 200
    assert client.get(reverse(download, args=[secret.pk])).status_code == 404
    assert client.get(reverse(download, args=[evidence.pk])).status_code == 404

    api = api_as(world.rep_b)
    assert [f["id"] for f in api.get(f"{API}{agreement.pk}/attachments/").json()] == [public.pk]
    assert api.get(f"{API}{agreement.pk}/attachments/{public.pk}/").status_code == 200
    assert api.get(f"{API}{agreement.pk}/attachments/{secret.pk}/").status_code == 404
    assert api.get(f"{API}{agreement.pk}/attachments/{evidence.pk}/").status_code == 404
    contacts = [c for p in api.get(f"{API}{agreement.pk}/").json()["parties"] for c in p["contacts"]]
    assert contacts and all(c["evidence"] == [] for c in contacts)


@pytest.mark.parametrize("role", ["rep_a", "coordinator", "admin"])
def test_confidential_files_stay_with_the_parties_and_coordinators(client, world, table, furnished, role):
    agreement, public, secret, evidence = furnished
    user = getattr(world, role)
    client.force_login(user)
    html = client.get(page(agreement)).content.decode()
    assert "annexe-publique.pdf" in html and "annexe-tarifs.pdf" in html
    assert client.get(reverse("agreements:attachment_download", args=[secret.pk])).status_code == 200
    api = api_as(user)
    listed_files = {f["id"]: f["confidential"] for f in api.get(f"{API}{agreement.pk}/attachments/").json()}
    assert listed_files == {public.pk: False, secret.pk: True, evidence.pk: True}
    assert api.get(f"{API}{agreement.pk}/attachments/{evidence.pk}/").status_code == 200
    contacts = [c for p in api.get(f"{API}{agreement.pk}/").json()["parties"] for c in p["contacts"]]
    assert [c["evidence"] for c in contacts if c["evidence"]] == [[evidence.pk]]


def test_the_analyst_of_a_published_agreement_does_not_see_confidential_files(client, world, furnished):
    agreement, public, secret, _ = furnished
    Agreement.objects.filter(pk=agreement.pk).update(is_public=True)
    client.force_login(world.analyst)
    assert client.get(reverse("agreements:attachment_download", args=[public.pk])).status_code == 200
    assert client.get(reverse("agreements:attachment_download", args=[secret.pk])).status_code == 404


def test_a_member_sees_the_text_and_funding_but_not_the_negotiation_nor_contact_details(
    client, world, table, furnished
):
    agreement, *_ = furnished
    world.person_a.__class__.objects.filter(pk=world.person_a.pk).update(
        email="alice@popote.example", phone="819 555-0101"
    )
    client.force_login(world.rep_b)
    response = client.get(page(agreement))
    html = response.content.decode()
    assert "Alice Tremblay" in html  # the signatory's name and role stay
    assert "alice@popote.example" not in html and "555-0101" not in html
    assert [line.amount for line in response.context["amounts"]] == [Decimal("16000.00")]  # funding is public
    assert "Tarif par repas" not in html and "Dix dollars" not in html
    assert reverse("agreements:agreement_history", args=[agreement.pk]) not in html
    assert client.get(reverse("agreements:agreement_history", args=[agreement.pk])).status_code == 403
    api = api_as(world.rep_b)
    assert api.get(f"{API}{agreement.pk}/negotiation/").status_code == 403
    assert api.get(f"{API}{agreement.pk}/").json()["amounts"][0]["amount"] == "16000.00"
    # The parties keep their log and their history.
    client.force_login(world.rep_a)
    assert "Tarif par repas" in client.get(page(agreement)).content.decode()
    assert client.get(reverse("agreements:agreement_history", args=[agreement.pk])).status_code == 200
    assert api_as(world.rep_a).get(f"{API}{agreement.pk}/negotiation/").status_code == 200


# Nothing to change ----------------------------------------------------------------------------------------


def test_nothing_is_writable_for_a_member(client, world, table, furnished, agreements_state):
    agreement, public, secret, evidence = furnished
    party_a = agreement.parties.get(organization=world.org_a)
    before = agreements_state()
    client.force_login(world.rep_b)
    pages = [
        ("agreements:agreement_edit", agreement.pk, {"title": "Prise"}),
        ("agreements:amend", agreement.pk, {"note": "Prise"}),
        ("agreements:transition", agreement.pk, {"to": "terminated", "reason": "Prise"}),
        ("agreements:attachment_add", agreement.pk, {"kind": "annex", "file": pdf("intrus.pdf")}),
        ("agreements:attachment_delete", public.pk, {}),
        ("agreements:attachment_confidential", public.pk, {"confidential": "1"}),
        ("agreements:amount_add", agreement.pk, {"year": 2026, "amount": "1"}),
        ("agreements:report_add", agreement.pk, {"title": "Bilan", "due_on": "2026-06-30"}),
        ("agreements:contact_add", party_a.pk, {"person": world.person_a.pk, "role": "respondent"}),
    ]
    for name, pk, data in pages:
        assert client.post(reverse(name, args=[pk]), data).status_code in (403, 404), name
    # A confidential file is not even there for them.
    assert client.post(reverse("agreements:attachment_delete", args=[secret.pk])).status_code == 404
    assert (
        client.post(reverse("agreements:attachment_confidential", args=[secret.pk]), {"confidential": "0"}).status_code
        == 404
    )

    api = api_as(world.rep_b)
    base = f"{API}{agreement.pk}/"
    writes = [
        api.patch(base, {"title": "Prise"}, format="json"),
        api.post(f"{base}transition/", {"to": "terminated", "reason": "Prise"}, format="json"),
        api.post(f"{base}amendments/", {"note": "Prise"}, format="json"),
        api.post(f"{base}funding/", {"year": 2026, "amount": "1.00"}, format="json"),
        api.post(f"{base}attachments/", {"kind": "annex", "file": pdf("intrus.pdf")}, format="multipart"),
        api.patch(f"{base}attachments/{public.pk}/", {"confidential": True}, format="json"),
        api.delete(f"{base}attachments/{public.pk}/"),
        api.post(f"{base}contacts/", {"party": party_a.pk, "person": world.person_a.pk, "role": "respondent"},
                 format="json"),
        api.post(f"{base}reports/", {"title": "Bilan", "due_on": "2026-06-30"}, format="json"),
    ]  # fmt: skip
    assert [r.status_code for r in writes] == [403] * len(writes)
    assert api.patch(f"{base}attachments/{secret.pk}/", {"confidential": False}, format="json").status_code == 404
    assert api.delete(f"{base}attachments/{secret.pk}/").status_code == 404
    assert agreements_state() == before


# The parties decide what is confidential ----------------------------------------------------------------


def test_a_party_marks_a_file_confidential_on_upload_and_changes_it(client, world, table, clsc):
    agreement = public_agreement(world, clsc)
    client.force_login(world.rep_a)
    url = reverse("agreements:attachment_add", args=[agreement.pk])
    response = client.post(url, {"kind": "annex", "file": pdf("grille-tarifaire.pdf"), "confidential": "on"})
    assert response.status_code == 302
    attachment = Attachment.objects.get(filename="grille-tarifaire.pdf")
    assert attachment.confidential

    client.force_login(world.rep_b)
    assert client.get(reverse("agreements:attachment_download", args=[attachment.pk])).status_code == 404

    # The party shares it on the page; the coordinator takes it back through the API.
    client.force_login(world.rep_a)
    toggle = reverse("agreements:attachment_confidential", args=[attachment.pk])
    assert client.post(toggle, {"confidential": "0"}).status_code == 302
    attachment.refresh_from_db()
    assert not attachment.confidential
    client.force_login(world.rep_b)
    assert client.get(reverse("agreements:attachment_download", args=[attachment.pk])).status_code == 200

    api = api_as(world.coordinator)
    answer = api.patch(f"{API}{agreement.pk}/attachments/{attachment.pk}/", {"confidential": True}, format="json")
    assert answer.status_code == 200 and answer.json()["confidential"] is True
    assert api_as(world.rep_b).get(f"{API}{agreement.pk}/attachments/{attachment.pk}/").status_code == 404
    history = client.get(reverse("agreements:agreement_history", args=[agreement.pk]))
    assert history.status_code == 403  # rep_b is still logged in on the page client


def test_api_upload_takes_confidential_and_a_bad_value_changes_nothing(world, clsc, agreements_state):
    agreement = public_agreement(world, clsc)
    api = api_as(world.rep_a)
    created = api.post(
        f"{API}{agreement.pk}/attachments/",
        {"kind": "annex", "file": pdf("annexe.pdf"), "confidential": "true"}, format="multipart",
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["confidential"] is True
    before = agreements_state()
    refused = api.patch(f"{API}{agreement.pk}/attachments/{created.json()['id']}/", {"confidential": "peut-être"},
                        format="json")  # fmt: skip
    assert refused.status_code == 400 and "confidential" in refused.json()
    assert agreements_state() == before


def test_a_report_file_can_be_filed_confidential(world, table, clsc):
    agreement = public_agreement(world, clsc)
    report = follow_up.add_report(world.coordinator, agreement, {"title": "Bilan 2025", "due_on": "2026-06-30"})
    filed = api_as(world.rep_a).post(
        f"{API}{agreement.pk}/reports/{report.pk}/submit/",
        {"file": pdf("bilan-2025.pdf"), "confidential": "true"}, format="multipart",
    )  # fmt: skip
    assert filed.status_code == 200
    attachment = Attachment.objects.get(report=report)
    assert attachment.confidential
    assert api_as(world.rep_b).get(f"{API}{agreement.pk}/attachments/").json() == []
