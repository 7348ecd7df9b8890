"""Legal bases that follow the calendar (issue 11): the basis in force on the drafting date, checked on the signing
date and switched to the one in force then; documents print the basis the agreement rests on, with the complaints
and information-sharing clauses from the data; the /legal-bases API; the financial resources "sans objet"; the
funding-dependence page reconciling agreements with declared funding lines."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from agreements.actions import agreements as actions
from agreements.actions import follow_up, legal_bases
from agreements.models import Agreement, LegalBasis
from core.models import AuditEvent
from registry.models import FundingLine
from tests.agreements.conftest import TEXTS, draft
from tests.parity import api_as

pytestmark = pytest.mark.django_db

IN_2024 = datetime.date(2024, 6, 1)
IN_2025 = datetime.date(2025, 2, 3)


def drafted_and_signed(world, drafted_on=IN_2024, signed_on=IN_2025, kind="service", **extra):
    """In negotiation, every required section written, both parties' signatures dated `signed_on`."""
    agreement = draft(world, kind, drafted_on=drafted_on, **extra)
    for code in actions.required_codes(kind):
        actions.update_section(world.coordinator, agreement, code, TEXTS[code])
    for party, person, user in zip(
        agreement.parties.order_by("pk"), (world.person_a, world.person_b), (world.rep_a, world.rep_b), strict=True
    ):
        actions.add_contact(user, party, {"person": person, "role": "signatory", "signed_on": signed_on})
    actions.transition(world.coordinator, agreement, "negotiation")
    return Agreement.objects.get(pk=agreement.pk)


def docx_text(client, agreement, language="") -> str:
    from docx import Document

    url = reverse("agreements:document", args=[agreement.pk, "docx"]) + (f"?lang={language}" if language else "")
    return "\n".join(p.text for p in Document(io.BytesIO(client.get(url).content)).paragraphs)


def basis(chapter: str, purpose: str) -> LegalBasis:
    return LegalBasis.objects.get(chapter=chapter, purpose=purpose)


# The basis in force on the drafting date, checked at signature -----------------------------------------------


def test_drafted_in_2024_signed_in_2025_is_refused_under_the_lsss_then_signed_after_the_switch(world, client):
    agreement = drafted_and_signed(world)
    lsss, current = basis("S-4.2", "service_agreement"), basis("G-1.021", "service_agreement")
    assert agreement.legal_basis == lsss and agreement.legal_basis.article == "108"

    client.force_login(world.rep_a)
    assert "c. S-4.2), art. 108" in docx_text(client, agreement)

    response = api_as(world.coordinator).post(
        f"/api/v1/agreements/{agreement.pk}/transition/", {"to": "signed"}, format="json"
    )
    assert response.status_code == 409
    body = response.json()
    assert body["offered_bases"]["legal_basis"] == current.pk
    assert "2025-02-03" in body["to"][0] and "G-1.021" in body["to"][0]
    assert Agreement.objects.get(pk=agreement.pk).status == "negotiation"

    # The page shows the same refusal, with the link that preselects the basis in force.
    client.force_login(world.coordinator)
    page = client.post(reverse("agreements:transition", args=[agreement.pk]), {"to": "signed"})
    assert page.status_code == 409
    assert f"?legal_basis={current.pk}" in page.content.decode()

    legal_bases.switch_legal_basis(world.coordinator, agreement)
    event = AuditEvent.objects.filter(
        object_id=str(agreement.pk), action="update", changes__has_key="legal_basis"
    ).get()
    assert event.changes["legal_basis"] == [str(lsss), str(current)]
    actions.transition(world.coordinator, agreement, "signed")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.legal_basis) == ("signed", current)
    assert agreement.versions.get().content["legal_basis"] == str(current)

    text = docx_text(client, agreement)
    assert "c. G-1.021" in text and "S-4.2" not in text
    assert "commissaire aux plaintes et à la qualité des services" in text
    assert "commissaire local" not in text
    english = docx_text(client, agreement, "en")
    assert "Act respecting the governance of the health and social services system" in english
    assert "service quality and complaints commissioner" in english


def test_drafted_and_signed_under_the_lsss_stays_on_it(world, client):
    agreement = drafted_and_signed(world, drafted_on=datetime.date(2023, 3, 1), signed_on=datetime.date(2024, 9, 2))
    actions.transition(world.coordinator, agreement, "signed")
    agreement.refresh_from_db()
    assert agreement.status == "signed" and agreement.legal_basis.article == "108"
    client.force_login(world.rep_b)
    text = docx_text(client, agreement)
    assert "Loi sur les services de santé et les services sociaux (RLRQ, c. S-4.2), art. 108" in text
    # The complaints clause and the officer's title come from the basis, not from the code or the catalogue.
    assert "commissaire local aux plaintes et à la qualité des services" in text


def test_the_complaints_clause_is_the_data_of_the_basis(world, client):
    agreement = draft(world, "collaboration")
    LegalBasis.objects.filter(pk=agreement.legal_basis_id).update(
        clause="Les plaintes vont à la personne désignée.", complaints_officer="ombudsman régional"
    )
    client.force_login(world.coordinator)
    text = docx_text(client, agreement)
    assert "Les plaintes vont à la personne désignée." in text and "ombudsman régional" in text


def test_switching_takes_only_a_basis_of_the_kind_in_force_then(world):
    agreement = drafted_and_signed(world)
    client = api_as(world.coordinator)
    url = f"/api/v1/agreements/{agreement.pk}/switch-legal-basis/"
    for wrong in (basis("G-1.021", "complaints"), basis("G-1.021", "collaboration_agreement")):
        response = client.post(url, {"legal_basis": wrong.pk}, format="json")
        assert response.status_code == 400 and "legal_basis" in response.json()
    assert Agreement.objects.get(pk=agreement.pk).legal_basis.chapter == "S-4.2"
    assert client.post(url, {"legal_basis": 999999}, format="json").status_code == 400

    current = basis("G-1.021", "service_agreement")
    response = client.post(url, {"legal_basis": current.pk}, format="json")
    assert response.status_code == 200 and response.json()["legal_basis"] == current.pk


def test_switching_is_for_the_writers_of_a_draft_or_negotiation(world):
    agreement = drafted_and_signed(world)
    url = f"/api/v1/agreements/{agreement.pk}/switch-legal-basis/"
    assert api_as(world.other_coordinator).post(url, {}, format="json").status_code == 404
    assert api_as(world.analyst).post(url, {}, format="json").status_code == 404
    assert Agreement.objects.get(pk=agreement.pk).legal_basis.chapter == "S-4.2"
    assert api_as(world.rep_b).post(url, {}, format="json").status_code == 200
    actions.transition(world.coordinator, agreement, "signed")
    assert api_as(world.rep_b).post(url, {}, format="json").status_code == 409


def test_the_edit_page_switches_the_basis(world, client):
    agreement = drafted_and_signed(world)
    current = basis("G-1.021", "service_agreement")
    client.force_login(world.coordinator)
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    form = client.get(url, {"legal_basis": current.pk}).context["form"]
    assert form["legal_basis"].value() == str(current.pk)
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"instances", "action_plans"}}
    data.update({"legal_basis": current.pk, "rls": world.rls.pk})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert Agreement.objects.get(pk=agreement.pk).legal_basis == current


def test_the_drafting_date_is_never_in_the_future_and_fixed_afterwards(world):
    client = api_as(world.coordinator)
    data = {"title": "Entente future", "kind": "service", "rls": world.rls.pk,
            "organizations": [world.org_a.pk, world.org_b.pk]}  # fmt: skip
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client.post("/api/v1/agreements/", {**data, "drafted_on": tomorrow.isoformat()}, format="json")
    assert response.status_code == 400 and "drafted_on" in response.json()
    assert not Agreement.objects.exists()

    created = client.post("/api/v1/agreements/", {**data, "drafted_on": "2024-03-01"}, format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["drafted_on"] == "2024-03-01"
    assert body["legal_basis"] == basis("S-4.2", "service_agreement").pk
    moved = client.patch(f"/api/v1/agreements/{body['id']}/", {"drafted_on": "2025-03-01"}, format="json")
    assert moved.status_code == 400 and "drafted_on" in moved.json()


# Information sharing (R-22.1) ------------------------------------------------------------------------------


def test_the_information_sharing_clause_cites_r_22_1_in_force_at_signature(world, client):
    # Drafted in May 2024, before came into force (July 2024): no information-sharing basis yet.
    agreement = drafted_and_signed(world, drafted_on=datetime.date(2024, 5, 1), shares_personal_information=True)
    assert agreement.shares_personal_information and agreement.information_basis is None
    response = api_as(world.coordinator).post(
        f"/api/v1/agreements/{agreement.pk}/transition/", {"to": "signed"}, format="json"
    )
    assert response.status_code == 409
    r_22_1 = basis("R-22.1", "information_sharing")
    assert response.json()["offered_bases"] == {
        "legal_basis": basis("G-1.021", "service_agreement").pk,
        "information_basis": r_22_1.pk,
    }
    legal_bases.switch_legal_basis(world.coordinator, agreement)
    actions.transition(world.coordinator, agreement, "signed")
    agreement.refresh_from_db()
    assert agreement.information_basis == r_22_1
    client.force_login(world.rep_a)
    text = docx_text(client, agreement)
    assert "c. R-22.1" in text and r_22_1.clause in text


def test_without_the_flag_no_information_clause(world, client):
    agreement = draft(world)
    assert agreement.information_basis is None
    client.force_login(world.coordinator)
    assert "R-22.1" not in docx_text(client, agreement)
    response = api_as(world.coordinator).patch(
        f"/api/v1/agreements/{agreement.pk}/", {"shares_personal_information": True}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["information_basis"] == basis("R-22.1", "information_sharing").pk
    assert "R-22.1" in docx_text(client, agreement)


# The /legal-bases API ---------------------------------------------------------------------------------------


def test_the_api_lists_the_bases_with_their_dates_and_filters(world):
    client = api_as(world.rep_a)
    body = client.get("/api/v1/legal-bases/").json()
    rows = {(row["chapter"], row["article"], row["purpose"]): row for row in body["results"]}
    lsss = rows[("S-4.2", "108", "service_agreement")]
    assert lsss["act"] == "Loi sur les services de santé et les services sociaux"
    assert (lsss["in_force_from"], lsss["in_force_to"], lsss["to_verify"]) == (None, "2024-11-30", False)
    assert {"id", "act", "chapter", "article", "title", "in_force_from", "in_force_to", "to_verify", "clause",
            "complaints_officer"} <= set(lsss)  # fmt: skip
    sante_quebec = rows[("G-1.021", "", "service_agreement")]
    assert sante_quebec["in_force_from"] == "2024-12-01" and sante_quebec["to_verify"] is True
    assert sante_quebec["verification_note"]

    def chapters(**query) -> set[str]:
        response = client.get("/api/v1/legal-bases/", query)
        assert response.status_code == 200
        return {row["chapter"] for row in response.json()["results"]}

    assert chapters(in_force_on="2024-06-01") == {"S-4.2"}
    assert chapters(in_force_on="2024-11-30") == {"S-4.2", "R-22.1"}
    assert chapters(in_force_on="2025-01-01") == {"G-1.021", "R-22.1"}
    assert chapters(in_force_on="2025-01-01", purpose="service_agreement") == {"G-1.021"}
    assert chapters(to_verify="false") == {"S-4.2"}
    detail = client.get(f"/api/v1/legal-bases/{lsss['id']}/")
    assert detail.status_code == 200 and detail.json()["article"] == "108"


def test_the_api_refuses_bad_filters_and_strangers(world, client):
    api = api_as(world.rep_a)
    assert api.get("/api/v1/legal-bases/", {"in_force_on": "2025-13-45"}).status_code == 400
    assert api.get("/api/v1/legal-bases/", {"purpose": "law"}).status_code == 400
    assert api.get("/api/v1/legal-bases/999999/").status_code == 404
    assert api.post("/api/v1/legal-bases/", {"law": "X"}, format="json").status_code == 405
    assert client.get("/api/v1/legal-bases/").status_code == 401


def test_to_verify_is_filterable_in_the_admin(world, client):
    client.force_login(world.admin)
    response = client.get(reverse("admin:agreements_legalbasis_changelist"), {"to_verify__exact": "1"})
    assert response.status_code == 200
    assert {b.chapter for b in response.context["cl"].result_list} == {"G-1.021", "R-22.1"}


# Financial resources "le cas échéant" -------------------------------------------------------------------------


def _signable_without_financial(world) -> Agreement:
    agreement = draft(world)
    for code in actions.required_codes("service"):
        if code != "financial_resources":
            actions.update_section(world.coordinator, agreement, code, TEXTS[code])
    for party, person in zip(agreement.parties.order_by("pk"), (world.person_a, world.person_b), strict=True):
        actions.add_contact(world.coordinator, party, {"person": person, "role": "signatory"})
    actions.transition(world.coordinator, agreement, "negotiation")
    return Agreement.objects.get(pk=agreement.pk)


def test_without_object_needs_a_reason_and_then_signing_accepts_the_empty_section(world, agreements_state, client):
    agreement = _signable_without_financial(world)
    assert actions.missing_sections(agreement) == ["financial_resources"]
    api = api_as(world.rep_a)
    url = f"/api/v1/agreements/{agreement.pk}/financial-resources/"
    before = agreements_state()
    response = api.post(url, {"not_applicable": True, "reason": "  "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert agreements_state() == before

    response = api.post(url, {"not_applicable": True, "reason": "Aucun argent n’est échangé."}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["financial_resources_not_applicable"] is True and body["missing_sections"] == []
    actions.transition(world.coordinator, agreement, "signed")
    agreement.refresh_from_db()
    assert agreement.status == "signed"
    client.force_login(world.rep_a)
    assert "Aucun argent n’est échangé." in docx_text(client, agreement)


def test_without_object_is_refused_when_the_agreement_records_amounts(world, agreements_state):
    agreement = _signable_without_financial(world)
    follow_up.set_amount(world.coordinator, agreement, {"year": 2025, "amount": Decimal("5000")})
    before = agreements_state()
    response = api_as(world.coordinator).post(
        f"/api/v1/agreements/{agreement.pk}/financial-resources/",
        {"not_applicable": True, "reason": "Rien à financer."}, format="json",
    )  # fmt: skip
    assert response.status_code == 409 and "not_applicable" in response.json()
    assert agreements_state() == before


def test_amounts_added_after_the_mark_make_the_section_required_again(world):
    agreement = _signable_without_financial(world)
    legal_bases.set_financial_resources(world.coordinator, agreement, True, "Aucun argent.")
    follow_up.set_amount(world.coordinator, agreement, {"year": 2025, "amount": Decimal("5000")})
    with pytest.raises(actions.TransitionRefused) as refused:
        actions.transition(world.coordinator, agreement, "signed")
    assert refused.value.missing_sections == ["financial_resources"]


def test_amounts_make_financial_resources_required_for_any_kind(world):
    agreement = draft(world, "other")
    assert "financial_resources" not in actions.missing_sections(agreement)
    follow_up.set_amount(world.coordinator, agreement, {"year": 2025, "amount": Decimal("100")})
    assert "financial_resources" in actions.missing_sections(agreement)


def test_the_edit_page_marks_without_object_like_the_api(world, client):
    agreement = _signable_without_financial(world)
    client.force_login(world.coordinator)
    url = reverse("agreements:agreement_edit", args=[agreement.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k not in {"instances", "action_plans"}}
    data.update({"rls": world.rls.pk, "financial_resources_not_applicable": "on"})
    response = client.post(url, data)
    assert response.status_code == 400 and "financial_resources_reason" in response.context["form"].errors
    data["financial_resources_reason"] = "Collaboration sans financement."
    assert client.post(url, data).status_code == 302
    assert actions.missing_sections(Agreement.objects.get(pk=agreement.pk)) == []


# Reconciliation on the funding-dependence page ---------------------------------------------------------------


def test_the_dependence_page_reconciles_agreements_with_declared_funding(world, client):
    agreement = drafted_and_signed(world, drafted_on=datetime.date(2025, 1, 10), signed_on=datetime.date(2025, 2, 1))
    payer = agreement.parties.get(organization=world.org_b)
    for year, amount in ((2025, "10000"), (2026, "12000"), (2027, "8000")):
        follow_up.set_amount(world.coordinator, agreement, {"year": year, "amount": Decimal(amount), "funder": payer})
    actions.transition(world.coordinator, agreement, "signed")
    service = FundingLine.Source.SERVICE_AGREEMENT
    FundingLine.objects.create(organization=world.org_a, year=2025, source=service, amount=10000)
    FundingLine.objects.create(organization=world.org_a, year=2026, source=service, amount=9000)
    FundingLine.objects.create(organization=world.org_a, year=2028, source=service, amount=5000)

    from agreements import analytics
    from agreements.rules import agreements_for

    rows = {row["year"]: row for row in analytics.reconcile(world.org_a, agreements_for(world.coordinator))}
    assert {year: row["status"] for year, row in rows.items()} == {
        2025: "match",
        2026: "mismatch",
        2027: "undeclared",
        2028: "unrecorded",
    }
    assert rows[2026]["difference"] == Decimal("3000")
    assert rows[2025]["agreements"] == [agreement.title]
    # The payer's own page: the money it pays is not money it receives.
    assert analytics.reconcile(world.org_b, agreements_for(world.coordinator)) == []

    client.force_login(world.coordinator)
    page = client.get(reverse("agreements:dependence", args=[world.org_a.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert page.context["reconciliation"] == list(rows.values())
    assert html.count('class="badge warn">') >= 3


def test_a_draft_amount_is_not_reconciled(world):
    from agreements import analytics
    from agreements.rules import agreements_for

    agreement = draft(world)
    follow_up.set_amount(world.coordinator, agreement, {"year": 2025, "amount": Decimal("100")})
    assert analytics.reconcile(world.org_a, agreements_for(world.coordinator)) == []
