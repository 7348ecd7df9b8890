"""The API does what the agreement pages do, through the same actions and with the same refusals (issue 8):
drafting in one's own RLS, parties of that RLS, parties acting for themselves, and every follow-up write."""

import datetime
import json

import pytest
from django.utils import translation

from agreements.models import Agreement, Attachment, PartyContact
from core.models import AuditEvent
from tests.agreements.conftest import TEXTS, draft, pdf
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

API = "/api/v1/agreements/"
JSON = "application/json"
EVIDENCE = "Attach the signed page: a signature recorded for an organisation you do not represent needs it as evidence."


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def as_user(client, user):
    client.force_login(user)
    return client


def party_id(agreement: Agreement, org) -> int:
    return agreement.parties.get(organization=org).pk


# Drafting --------------------------------------------------------------------------------------------------


def test_a_representative_cannot_draft_in_another_rls(client, world, agreements_state):
    """The reproduction: `POST /agreements/` in another RLS with any organisation answered 201."""
    institution = OrganizationFactory(name="CISSS des Collines", rls=world.other_rls)
    before = agreements_state()
    as_user(client, world.rep_a)
    payload = {"title": "Ailleurs", "kind": "service", "rls": world.other_rls.pk,
               "organizations": [world.org_a.pk, institution.pk]}  # fmt: skip
    response = client.post(API, payload, content_type=JSON)
    assert response.status_code == 400
    body = response.content.decode()
    assert institution.name not in body and world.other_rls.name not in body
    assert agreements_state() == before
    # Within their own RLS, with their organisation, a representative drafts.
    payload = {**payload, "rls": world.rls.pk, "organizations": [world.org_a.pk, world.org_b.pk]}
    assert client.post(API, payload, content_type=JSON).status_code == 201


def test_a_hidden_organisation_answers_like_an_unknown_one(client, world, agreements_state):
    as_user(client, world.coordinator)
    before = agreements_state()
    answers = []
    for pk in (world.org_elsewhere.pk, 999999):
        payload = {"title": "X", "kind": "service", "rls": world.rls.pk, "organizations": [world.org_a.pk, pk]}
        response = client.post(API, payload, content_type=JSON)
        assert response.status_code == 400
        answers.append(json.dumps(response.json()).replace(str(pk), "ID"))
    assert answers[0] == answers[1] and world.org_elsewhere.name not in answers[0]
    assert agreements_state() == before


def test_the_administrator_names_only_organisations_of_the_rls(client, world):
    as_user(client, world.admin)
    payload = {"title": "X", "kind": "service", "rls": world.rls.pk,
               "organizations": [world.org_a.pk, world.org_elsewhere.pk]}  # fmt: skip
    response = client.post(API, payload, content_type=JSON)
    assert response.status_code == 400 and "organizations" in response.json()
    assert not Agreement.objects.exists()


def test_an_agreement_does_not_move_and_dates_are_checked_by_the_action(client, world):
    agreement = draft(world)
    as_user(client, world.coordinator)
    moved = client.patch(f"{API}{agreement.pk}/", {"rls": world.other_rls.pk}, content_type=JSON)
    assert moved.status_code == 400 and moved.json()["rls"] == [fr("An agreement cannot move to another RLS.")]
    dates = client.patch(f"{API}{agreement.pk}/", {"end_date": "2020-01-01"}, content_type=JSON)
    assert dates.status_code == 400
    assert dates.json()["end_date"] == [fr("The end date cannot be before the start date.")]


# Parties ---------------------------------------------------------------------------------------------------


def test_parties_are_added_and_removed(client, world, agreements_state):
    agreement = draft(world)
    third = OrganizationFactory(name="Municipalité de Saint-Clément", rls=world.rls)
    as_user(client, world.rep_a)
    url = f"{API}{agreement.pk}/parties/"
    before = agreements_state()
    elsewhere = client.post(url, {"organization": world.org_elsewhere.pk}, content_type=JSON)
    assert elsewhere.status_code == 400 and world.org_elsewhere.name not in elsewhere.content.decode()
    assert agreements_state() == before
    added = client.post(url, {"organization": third.pk, "role": "Municipalité"}, content_type=JSON)
    assert added.status_code == 201 and added.json()["organization"] == third.pk
    assert client.post(url, {"organization": third.pk}, content_type=JSON).status_code == 400  # already a party
    assert client.delete(f"{url}{added.json()['id']}/").status_code == 204
    last_two = client.delete(f"{url}{party_id(agreement, world.org_b)}/")
    assert last_two.status_code == 409 and agreement.parties.count() == 2


def test_strangers_do_not_touch_the_parties(client, world, agreements_state):
    agreement = draft(world)
    before = agreements_state()
    as_user(client, world.analyst)  # cannot see an unpublished agreement
    assert client.post(f"{API}{agreement.pk}/parties/", {"organization": world.org_a.pk}).status_code == 404
    Agreement.objects.filter(pk=agreement.pk).update(is_public=True)
    before = agreements_state()
    # Published, the analyst reads it but does not work on it.
    response = client.delete(f"{API}{agreement.pk}/parties/{party_id(agreement, world.org_a)}/")
    assert response.status_code == 403
    assert agreements_state() == before


# Contacts: parties act for themselves ---------------------------------------------------------------------


def signature(agreement, org, person, **extra) -> dict:
    return {"party": party_id(agreement, org), "person": person.pk, "role": "signatory", "signed_on": "2025-01-02",
            **extra}  # fmt: skip


def test_a_representative_does_not_record_another_partys_signature(client, world, agreements_state):
    agreement = draft(world)
    as_user(client, world.rep_a)
    before = agreements_state()
    response = client.post(
        f"{API}{agreement.pk}/contacts/", signature(agreement, world.org_b, world.person_b), content_type=JSON
    )
    assert response.status_code == 403
    assert agreements_state() == before
    respondent = {"party": party_id(agreement, world.org_b), "person": world.person_b.pk, "role": "respondent"}
    assert client.post(f"{API}{agreement.pk}/contacts/", respondent, content_type=JSON).status_code == 403
    assert agreements_state() == before


def test_a_representative_records_their_own(client, world):
    agreement = draft(world)
    as_user(client, world.rep_a)
    response = client.post(
        f"{API}{agreement.pk}/contacts/", signature(agreement, world.org_a, world.person_a), content_type=JSON
    )
    assert response.status_code == 201
    body = response.json()
    assert body["recorded_by"] == world.rep_a.pk and body["signed_on"] == "2025-01-02" and body["evidence"] == []
    # B's representative does not remove it; A's does.
    url = f"{API}{agreement.pk}/contacts/{body['id']}/"
    assert as_user(client, world.rep_b).delete(url).status_code == 403
    assert as_user(client, world.rep_a).delete(url).status_code == 204
    assert not PartyContact.objects.exists()


def test_the_coordinator_records_a_signature_with_the_signed_page(client, world, agreements_state):
    agreement = draft(world)
    as_user(client, world.coordinator)
    url = f"{API}{agreement.pk}/contacts/"
    before = agreements_state()
    missing = client.post(url, signature(agreement, world.org_b, world.person_b), content_type=JSON)
    assert missing.status_code == 400 and missing.json() == {"evidence": [fr(EVIDENCE)]}
    disguised = client.post(url, signature(agreement, world.org_b, world.person_b, evidence=pdf("p.pdf", b"MZ exe")))
    assert disguised.status_code == 400 and "evidence" in disguised.json()
    assert agreements_state() == before

    response = client.post(url, signature(agreement, world.org_b, world.person_b, evidence=pdf()))
    assert response.status_code == 201
    contact = PartyContact.objects.get(pk=response.json()["id"])
    evidence = Attachment.objects.get(pk=response.json()["evidence"][0])
    assert contact.recorded_by == world.coordinator and evidence.contact == contact and evidence.kind == "signed_scan"
    # The history says who recorded the signature, and with which page; the agreement page says so too.
    event = AuditEvent.objects.filter(object_id=str(agreement.pk), changes__has_key="evidence").get()
    assert event.actor == world.coordinator and event.changes["signatory"][1].startswith(str(world.person_b))
    history = client.get(f"/agreements/{agreement.pk}/history/").content.decode()
    assert world.coordinator.username in history and evidence.filename in history
    page = client.get(agreement.get_absolute_url()).content.decode()
    with translation.override("fr"):
        assert translation.gettext("recorded by %(user)s") % {"user": world.coordinator} in page

    # The agreement, alone and in the register, names the signed page beside the signature it proves.
    def contacts(body: dict) -> dict:
        return {c["id"]: (c["recorded_by"], c["evidence"]) for p in body["parties"] for c in p["contacts"]}

    assert contacts(client.get(f"{API}{agreement.pk}/").json()) == {contact.pk: (world.coordinator.pk, [evidence.pk])}
    assert contacts(client.get(API).json()["results"][0]) == {contact.pk: (world.coordinator.pk, [evidence.pk])}
    # The signed page downloads like any attachment, and stays while the signature is recorded.
    assert client.get(f"{API}{agreement.pk}/attachments/{evidence.pk}/").status_code == 200
    assert client.delete(f"{API}{agreement.pk}/attachments/{evidence.pk}/").status_code == 409


def test_signatories_are_people_currently_of_the_party(client, world, agreements_state):
    agreement = draft(world)
    former = PersonFactory(first_name="Denis", last_name="Ancien")
    AffiliationFactory(person=former, organization=world.org_a, start_date=datetime.date(2015, 1, 1),
                       end_date=datetime.date(2020, 1, 1))  # fmt: skip
    stranger = PersonFactory(first_name="Éloi", last_name="Dailleurs")
    AffiliationFactory(person=stranger, organization=world.org_elsewhere)
    as_user(client, world.coordinator)
    before = agreements_state()
    for person in (former, stranger, world.person_b):
        data = {"party": party_id(agreement, world.org_a), "person": person.pk, "role": "respondent"}
        response = client.post(f"{API}{agreement.pk}/contacts/", data, content_type=JSON)
        assert response.status_code == 400 and "person" in response.json()
        assert str(person) not in response.content.decode()
    assert agreements_state() == before


# An agreement made and signed through the API only ---------------------------------------------------------


def test_an_agreement_created_through_the_api_is_signed_through_it(client, world):
    third = OrganizationFactory(name="Municipalité de Saint-Clément", rls=world.rls)
    mayor = PersonFactory(first_name="Gilles", last_name="Maire")
    AffiliationFactory(person=mayor, organization=third)
    as_user(client, world.rep_a)
    payload = {"title": "Entente par l'API", "kind": "collaboration", "rls": world.rls.pk,
               "organizations": [world.org_a.pk, world.org_b.pk], "start_date": "2025-01-01",
               "end_date": "2027-12-31"}  # fmt: skip
    created = client.post(API, payload, content_type=JSON)
    assert created.status_code == 201
    pk = created.json()["id"]
    agreement = Agreement.objects.get(pk=pk)
    party = client.post(f"{API}{pk}/parties/", {"organization": third.pk, "role": "Municipalité"}, content_type=JSON)
    assert party.status_code == 201
    sections = {code: TEXTS[code] for code in created.json()["missing_sections"]}
    assert client.patch(f"{API}{pk}/sections/", {"sections": sections}, content_type=JSON).status_code == 200
    assert client.post(f"{API}{pk}/transition/", {"to": "negotiation"}, content_type=JSON).status_code == 200

    # Each party records its own signature; the municipality has no account: the coordinator records it with
    # the signed page.
    own = signature(agreement, world.org_a, world.person_a)
    assert client.post(f"{API}{pk}/contacts/", own, content_type=JSON).status_code == 201
    refused = client.post(f"{API}{pk}/transition/", {"to": "signed"}, content_type=JSON)
    assert refused.status_code == 409 and refused.json()["missing_sections"] == []
    as_user(client, world.rep_b)
    own = signature(agreement, world.org_b, world.person_b)
    assert client.post(f"{API}{pk}/contacts/", own, content_type=JSON).status_code == 201
    as_user(client, world.coordinator)
    municipality = signature(agreement, third, mayor, evidence=pdf())
    assert client.post(f"{API}{pk}/contacts/", municipality).status_code == 201

    as_user(client, world.rep_a)
    signed = client.post(f"{API}{pk}/transition/", {"to": "signed"}, content_type=JSON)
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    versions = client.get(f"{API}{pk}/versions/").json()
    assert [v["number"] for v in versions] == [1] and len(versions[0]["content"]["parties"]) == 3


# Follow-up writes ------------------------------------------------------------------------------------------


def test_attachments_upload_download_and_delete(client, world, agreements_state):
    agreement = draft(world)
    as_user(client, world.rep_a)
    url = f"{API}{agreement.pk}/attachments/"
    before = agreements_state()
    disguised = client.post(url, {"kind": "annex", "file": pdf("annexe.pdf", b"<html>not a pdf</html>")})
    assert disguised.status_code == 400 and "file" in disguised.json()
    assert client.post(url, {"kind": "annex"}).status_code == 400
    assert agreements_state() == before

    uploaded = client.post(url, {"kind": "annex", "file": pdf("annexe.pdf", b"%PDF-1.4 annexe")})
    assert uploaded.status_code == 201 and uploaded.json()["content_type"] == "application/pdf"
    assert [a["id"] for a in client.get(url).json()] == [uploaded.json()["id"]]
    download = client.get(f"{url}{uploaded.json()['id']}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 annexe"
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(action="view", object_id=str(agreement.pk)).exists()
    # Who does not see the agreement does not reach its files.
    stranger = as_user(client, world.other_coordinator)
    assert stranger.get(f"{url}{uploaded.json()['id']}/").status_code == 404
    assert stranger.delete(f"{url}{uploaded.json()['id']}/").status_code == 404
    assert as_user(client, world.rep_b).delete(f"{url}{uploaded.json()['id']}/").status_code == 204
    assert not Attachment.objects.exists()


def test_funding_payments_and_reports(client, world):
    agreement, other = draft(world), draft(world)
    as_user(client, world.coordinator)
    base = f"{API}{agreement.pk}"
    foreign = client.post(f"{base}/funding/", {"year": 2025, "amount": "100", "funder": other.parties.first().pk},
                          content_type=JSON)  # fmt: skip
    assert foreign.status_code == 400 and "funder" in foreign.json()
    negative = client.post(f"{base}/funding/", {"year": 2025, "amount": "-1"}, content_type=JSON)
    assert negative.status_code == 400 and "amount" in negative.json()
    line = client.post(f"{base}/funding/", {"year": 2025, "amount": "1000.00",
                                            "funder": party_id(agreement, world.org_a)}, content_type=JSON)  # fmt: skip
    assert line.status_code == 201
    assert client.get(f"{base}/").json()["amounts"] == [line.json()]
    assert client.delete(f"{base}/funding/{line.json()['id']}/").status_code == 204

    payment = client.post(f"{base}/payments/", {"due_on": "2025-04-01", "amount": "500"}, content_type=JSON)
    assert payment.status_code == 201 and payment.json()["paid_on"] is None
    paid = client.post(f"{base}/payments/{payment.json()['id']}/paid/", {"paid_on": "2025-04-03"}, content_type=JSON)
    assert paid.status_code == 200 and paid.json()["paid_on"] == "2025-04-03"
    assert client.post(f"{base}/payments/{payment.json()['id']}/paid/", {}, content_type=JSON).status_code == 409
    assert client.get(f"{base}/payments/").json() == [paid.json()]

    report = client.post(f"{base}/reports/", {"title": "Bilan", "due_on": "2025-06-30"}, content_type=JSON)
    filed = client.post(f"{base}/reports/{report.json()['id']}/submit/",
                        {"submitted_on": "2025-06-01", "file": pdf("bilan.pdf")})  # fmt: skip
    assert filed.status_code == 200 and filed.json()["submitted_on"] == "2025-06-01"
    assert Attachment.objects.get().kind == "report"
    # A part of another agreement is not found through this one.
    other_payment = client.post(f"{API}{other.pk}/payments/", {"due_on": "2025-04-01", "amount": "5"},
                                content_type=JSON).json()  # fmt: skip
    assert client.post(f"{base}/payments/{other_payment['id']}/paid/", {}, content_type=JSON).status_code == 404


def test_a_negotiated_issue_is_edited_until_signature(client, world, signable):
    as_user(client, world.rep_a)
    base = f"{API}{signable.pk}/negotiation/"
    party_a = party_id(signable, world.org_a)
    issue = client.post(base, {"subject": "Accueil", "positions": [{"party": party_a, "initial_position": "Nous"}]},
                        content_type=JSON).json()  # fmt: skip
    edited = client.patch(f"{base}{issue['id']}/", {"compromise": "Chacun son rôle."}, content_type=JSON)
    assert edited.status_code == 200
    assert edited.json()["subject"] == "Accueil" and edited.json()["compromise"] == "Chacun son rôle."
    assert edited.json()["positions"] == [{"party": party_a, "initial_position": "Nous", "concession": ""}]
    as_user(client, world.coordinator).post(f"{API}{signable.pk}/transition/", {"to": "signed"}, content_type=JSON)
    late = client.patch(f"{base}{issue['id']}/", {"compromise": "Autre"}, content_type=JSON)
    assert late.status_code == 409


# The register's filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["status=bogus", "kind=x", "party=abc", "party=999999", "territory=abc", "expiring=abc", "expiring=-3",
     "funded=maybe"],
)  # fmt: skip
def test_a_bad_filter_value_answers_400_naming_it(client, world, query):
    draft(world)
    response = as_user(client, world.coordinator).get(f"{API}?{query}")
    assert response.status_code == 400
    assert list(response.json()) == [query.split("=")[0]]


def test_filtering_by_a_hidden_organisation_is_like_an_unknown_one(client, world):
    draft(world)
    as_user(client, world.coordinator)
    hidden, unknown = client.get(f"{API}?party={world.org_elsewhere.pk}"), client.get(f"{API}?party=999999")
    assert hidden.status_code == unknown.status_code == 400
    # A representative filters by the other parties of their agreements.
    response = as_user(client, world.rep_a).get(f"{API}?party={world.org_b.pk}&funded=false")
    assert response.status_code == 200 and response.json()["count"] == 1


# The schema says what is answered --------------------------------------------------------------------------


def test_the_schema_documents_lists_files_and_refusals():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    base = "/api/v1/agreements/{id}/"
    for name in ("versions", "negotiation", "reports", "payments", "attachments"):
        body = paths[f"{base}{name}/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert body["type"] == "array", name
    document = paths[base + "document/{extension}/"]["get"]["responses"]["200"]["content"]
    assert {"application/pdf", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"} <= set(
        document
    )
    assert "409" in paths[base + "transition/"]["post"]["responses"]
    assert "multipart/form-data" in paths[base + "contacts/"]["post"]["requestBody"]["content"]
    assert {"delete"} <= set(paths[base + "parties/{party_id}/"])
    assert {"delete"} <= set(paths[base + "contacts/{contact_id}/"])
    assert {"get", "delete"} <= set(paths[base + "attachments/{attachment_id}/"])


def test_an_unknown_section_changes_nothing(client, world, agreements_state):
    agreement = draft(world)
    as_user(client, world.rep_a)
    before = agreements_state()
    body = {"sections": {"obligations": "Écrit.", "nope": "?"}}
    response = client.patch(f"{API}{agreement.pk}/sections/", body, content_type=JSON)
    assert response.status_code == 400 and response.json() == {"sections": [fr("Unknown section.")]}
    assert agreements_state() == before
