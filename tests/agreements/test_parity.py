"""The same input through the page and through the API, for each write of the agreements module: the same outcome
(accepted and written alike, or refused on the same field, with the same message when the action refuses it; 403
and 409 alike), and nothing written on refusal. The machinery is in tests/parity.py."""

import pytest

from agreements.actions import agreements as actions
from agreements.models import (
    Agreement,
    AgreementVersion,
    Attachment,
    FundingAmount,
    NegotiationIssue,
    PartyContact,
    Payment,
    Report,
)
from tests.agreements.conftest import TEXTS, draft, pdf, ready_to_sign
from tests.factories import OrganizationFactory
from tests.parity import ACCEPTED, Case, api_as, check, state_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(world) -> dict:
    """A draft between org A and org B, one in negotiation with its sections still empty, one signed; a third
    organisation of the RLS and an institution of the other RLS."""
    agreement = draft(world)
    negotiating = draft(world, title="Entente en négociation")
    actions.transition(world.coordinator, negotiating, "negotiation")
    signed = ready_to_sign(world)
    actions.transition(world.coordinator, signed, "signed")
    party_a, party_b = (agreement.parties.get(organization=org) for org in (world.org_a, world.org_b))
    return {
        **{name: getattr(world, name) for name in ("rls", "other_rls", "org_a", "org_b", "org_elsewhere",
                                                    "person_a", "person_b")},
        "agreement": agreement, "negotiating": negotiating, "signed": Agreement.objects.get(pk=signed.pk),
        "party_a": party_a, "party_b": party_b,
        "third": OrganizationFactory(name="Fondation du Val", rls=world.rls),
        "institution": OrganizationFactory(name="CISSS des Collines", rls=world.other_rls),
    }  # fmt: skip


# What an accepted write left, read back from the database (no ids of rows the write itself created).


def _agreement(title: str):
    fields = ["title", "kind", "status", "rls", "legal_basis", "summary", "start_date", "end_date", "renewal_terms",
              "reminder_days", "is_public", "version"]  # fmt: skip

    def read(o):
        agreement = Agreement.objects.get(title=title)
        row = Agreement.objects.filter(pk=agreement.pk).values(*fields).get()
        parties = sorted(agreement.parties.values_list("organization", "role"))
        sections = sorted(agreement.sections.values_list("code", "body"))
        return {**row, "parties": parties, "sections": sections}

    return read


def _parties(o):
    return sorted(o["agreement"].parties.values_list("organization", "role"))


def _contacts(o):
    contacts = PartyContact.objects.filter(party__agreement=o["agreement"]).order_by("pk")
    evidence = Attachment.objects.filter(agreement=o["agreement"]).values_list("kind", "filename", "content_type")
    return [list(contacts.values_list("party", "person", "role", "signed_on", "recorded_by")), list(evidence)]


def _amounts(o):
    return list(FundingAmount.objects.filter(agreement=o["agreement"]).values_list("year", "amount", "funder"))


def _payments(o):
    return list(Payment.objects.filter(agreement=o["agreement"]).values_list("due_on", "amount", "paid_on"))


def _reports(o):
    return list(Report.objects.filter(agreement=o["agreement"]).values_list("title", "due_on", "submitted_on"))


def _issues(o):
    issue = NegotiationIssue.objects.get(agreement=o["agreement"])
    positions = sorted(issue.positions.values_list("party", "initial_position", "concession"))
    return [issue.subject, issue.compromise, issue.settled_on, positions]


def _status(name: str):
    def read(o):
        agreement = Agreement.objects.get(pk=o[name].pk)
        changes = list(agreement.status_changes.order_by("pk").values_list("from_status", "to_status", "by", "reason"))
        return [agreement.status, agreement.status_reason, changes]

    return read


def _amendment(o):
    agreement = Agreement.objects.get(pk=o["signed"].pk)
    version = AgreementVersion.objects.get(agreement=agreement, number=agreement.version)
    return [agreement.end_date, sorted(agreement.sections.values_list("code", "body")), version.number, version.note,
            version.content]  # fmt: skip


DRAFT = {"title": "Entente de transport", "kind": "collaboration", "rls": "RLS", "summary": "Transport des aînés.",
         "start_date": "2025-04-01", "end_date": "2026-03-31", "renewal_terms": "Reconduite d'année en année.",
         "reminder_days": 60, "is_public": True}  # fmt: skip
# The page's form names the parties "parties"; the API reads an agreement's parties back under that name (objects
# with their contacts), so it takes the organisations to make parties of as "organizations".
BOTH = ["ORG_A", "ORG_B"]
EDIT = {"title": "Entente de services — repas", "kind": "service", "summary": "Repas livrés à domicile.",
        "start_date": "2025-01-01", "end_date": "2026-12-31", "renewal_terms": "", "reminder_days": 30,
        "is_public": False}  # fmt: skip
# The negotiation page has two fields per party (initial_<party id>, concession_<party id>); the API takes positions.
ISSUE = {"subject": "Nombre de repas par semaine", "compromise": "Cinq repas, livrés le midi.",
         "settled_on": "2025-02-15"}  # fmt: skip
ISSUE_PAGE = {"initial_{party_a}": "Sept repas", "concession_{party_a}": "Pas de repas la fin de semaine",
              "initial_{party_b}": "Trois repas", "concession_{party_b}": "Deux repas de plus"}  # fmt: skip
ISSUE_API = {"positions": [
    {"party": "PARTY_A", "initial_position": "Sept repas", "concession": "Pas de repas la fin de semaine"},
    {"party": "PARTY_B", "initial_position": "Trois repas", "concession": "Deux repas de plus"},
]}  # fmt: skip
CONTACT = {"person": "PERSON_A", "role": "respondent"}
SIGNATURE = {"person": "PERSON_B", "role": "signatory", "signed_on": "2025-01-20"}


def _sections_page(changed: dict[str, str]):
    """The amendment page shows every section of the agreement (section_<code>) and sends them all back."""
    return lambda o: {f"section_{code}": changed.get(code, body) for code, body in o["signed"].sections.values_list(
        "code", "body")}  # fmt: skip


def _sections_api(changed: dict[str, str]):
    return lambda o: {"sections": dict(o["signed"].sections.values_list("code", "body")) | changed}


AMENDED = {"obligations": "Les obligations révisées des parties."}

CASES = {
    # Drafting ---------------------------------------------------------------------------------------------------
    "create": Case(
        "coordinator", ("agreements:agreement_create",), "post /agreements/", DRAFT,
        page_only={"parties": BOTH}, api_only={"organizations": BOTH}, read=_agreement(DRAFT["title"]),
    ),
    "create_by_a_representative": Case(
        "rep_a", ("agreements:agreement_create",), "post /agreements/", DRAFT,
        page_only={"parties": BOTH}, api_only={"organizations": BOTH}, read=_agreement(DRAFT["title"]),
    ),
    "representative_drafting_in_another_rls": Case(
        # The page offers only the RLS where rep_a drafts; the API takes any RLS and the action refuses it.
        "rep_a", ("agreements:agreement_create",), "post /agreements/", {**DRAFT, "rls": "OTHER_RLS"}, "rls",
        page_only={"parties": BOTH}, api_only={"organizations": BOTH}, same_message=False,
    ),
    "representative_drafting_without_their_organisation": Case(
        "rep_a", ("agreements:agreement_create",), "post /agreements/", DRAFT, "parties",
        page_only={"parties": ["ORG_B", "THIRD"]}, api_only={"organizations": ["ORG_B", "THIRD"]},
        api_field="organizations",
    ),
    "party_of_another_rls": Case(
        # The administrator is offered every organisation: the action refuses the one of another RLS.
        "admin", ("agreements:agreement_create",), "post /agreements/", DRAFT, "parties",
        page_only={"parties": ["ORG_A", "INSTITUTION"]}, api_only={"organizations": ["ORG_A", "INSTITUTION"]},
        api_field="organizations",
    ),
    "party_of_another_rls_not_offered": Case(
        "coordinator", ("agreements:agreement_create",), "post /agreements/", DRAFT, "parties",
        page_only={"parties": ["ORG_A", "INSTITUTION"]}, api_only={"organizations": ["ORG_A", "INSTITUTION"]},
        api_field="organizations", same_message=False,
    ),
    # A form sends every field and the API's PATCH only those given: the cases send them all to both.
    "edit": Case(
        "coordinator", ("agreements:agreement_edit", "agreement"), "patch /agreements/{agreement}/", EDIT,
        read=_agreement(EDIT["title"]),
    ),
    "edit_ends_before_it_starts": Case(
        "coordinator", ("agreements:agreement_edit", "agreement"), "patch /agreements/{agreement}/",
        {**EDIT, "end_date": "2024-12-31"}, "end_date",
    ),
    # Parties and contacts ---------------------------------------------------------------------------------------
    "party_add": Case(
        "coordinator", ("agreements:party_add", "agreement"), "post /agreements/{agreement}/parties/",
        {"organization": "THIRD", "role": "Bailleur de fonds"}, read=_parties,
    ),
    "party_add_of_another_rls": Case(
        "coordinator", ("agreements:party_add", "agreement"), "post /agreements/{agreement}/parties/",
        {"organization": "INSTITUTION"}, "organization", same_message=False,
    ),
    "party_add_of_another_rls_by_the_administrator": Case(
        "admin", ("agreements:party_add", "agreement"), "post /agreements/{agreement}/parties/",
        {"organization": "INSTITUTION"}, "organization", same_message=False,
    ),
    # The contact page has the party in its address; the API names it in the body.
    "contact_add": Case(
        "rep_a", ("agreements:contact_add", "party_a"), "post /agreements/{agreement}/contacts/", CONTACT,
        api_only={"party": "PARTY_A"}, read=_contacts,
    ),
    "contact_not_affiliated_with_the_party": Case(
        # The page offers party A's people; the API anyone affiliated with a party, and the action refuses Bruno.
        "coordinator", ("agreements:contact_add", "party_a"), "post /agreements/{agreement}/contacts/",
        {**CONTACT, "person": "PERSON_B"}, "person", api_only={"party": "PARTY_A"}, same_message=False,
    ),
    "representative_recording_another_partys_signatory": Case(
        "rep_a", ("agreements:contact_add", "party_b"), "post /agreements/{agreement}/contacts/", SIGNATURE, 403,
        api_only={"party": "PARTY_B"},
    ),
    "signature_recorded_by_the_coordinator_without_evidence": Case(
        "coordinator", ("agreements:contact_add", "party_b"), "post /agreements/{agreement}/contacts/", SIGNATURE,
        "evidence", api_only={"party": "PARTY_B"},
    ),
    "signature_recorded_by_the_coordinator_with_evidence": Case(
        "coordinator", ("agreements:contact_add", "party_b"), "post /agreements/{agreement}/contacts/",
        {**SIGNATURE, "evidence": pdf}, api_only={"party": "PARTY_B"}, multipart=True, read=_contacts,
    ),
    # Funding, payments, reports -------------------------------------------------------------------------------
    "amount": Case(
        "coordinator", ("agreements:amount_add", "agreement"), "post /agreements/{agreement}/funding/",
        {"year": 2025, "amount": "15000.00", "funder": "PARTY_A"}, read=_amounts,
    ),
    "negative_amount": Case(
        "coordinator", ("agreements:amount_add", "agreement"), "post /agreements/{agreement}/funding/",
        {"year": 2025, "amount": "-1.00"}, "amount",
    ),
    "funding_year": Case(
        "coordinator", ("agreements:amount_add", "agreement"), "post /agreements/{agreement}/funding/",
        {"year": 1492, "amount": "100.00"}, "year",
    ),
    "payment": Case(
        "coordinator", ("agreements:payment_add", "agreement"), "post /agreements/{agreement}/payments/",
        {"due_on": "2025-03-31", "amount": "5000.00", "paid_on": "2025-03-28"}, read=_payments,
    ),
    "negative_payment": Case(
        # The bound the model states, checked by the API's serializer in Django REST framework's words.
        "coordinator", ("agreements:payment_add", "agreement"), "post /agreements/{agreement}/payments/",
        {"due_on": "2025-03-31", "amount": "-5.00"}, "amount", same_message=False,
    ),
    "report": Case(
        "coordinator", ("agreements:report_add", "agreement"), "post /agreements/{agreement}/reports/",
        {"title": "Rapport annuel 2025", "due_on": "2026-06-30"}, read=_reports,
    ),
    # Negotiation, lifecycle, amendments -----------------------------------------------------------------------
    "negotiation_issue": Case(
        "rep_a", ("agreements:issue_add", "agreement"), "post /agreements/{agreement}/negotiation/", ISSUE,
        page_only=ISSUE_PAGE, api_only=ISSUE_API, read=_issues,
    ),
    "negotiation_issue_once_signed": Case(
        "coordinator", ("agreements:issue_add", "signed"), "post /agreements/{signed}/negotiation/", ISSUE, 409,
    ),
    "transition": Case(
        "rep_a", ("agreements:transition", "agreement"), "post /agreements/{agreement}/transition/",
        {"to": "negotiation", "reason": ""}, read=_status("agreement"),
    ),
    "signature_with_empty_sections": Case(
        # Refused by the agreement's state: 409 both, with the same reasons and the same missing sections.
        "coordinator", ("agreements:transition", "negotiating"), "post /agreements/{negotiating}/transition/",
        {"to": "signed"}, 409,
    ),
    "termination_without_a_reason": Case(
        "coordinator", ("agreements:transition", "agreement"), "post /agreements/{agreement}/transition/",
        {"to": "terminated", "reason": ""}, 409,
    ),
    "amend": Case(
        "coordinator", ("agreements:amend", "signed"), "post /agreements/{signed}/amendments/",
        {"note": "Obligations précisées après un an.", "end_date": "2028-12-31"},
        page_only=_sections_page(AMENDED), api_only=_sections_api(AMENDED), read=_amendment,
    ),
    "amend_ends_before_it_starts": Case(
        "coordinator", ("agreements:amend", "signed"), "post /agreements/{signed}/amendments/",
        {"note": "Fin avancée.", "end_date": "2024-12-31"}, "end_date",
        page_only=_sections_page({}), api_only=_sections_api({}),
    ),
    "amend_emptying_a_required_section": Case(
        # The refusal names the section: next to its field on the page, by its code (a key of "sections") in the API.
        "coordinator", ("agreements:amend", "signed"), "post /agreements/{signed}/amendments/",
        {"note": "Sans obligations.", "end_date": "2027-12-31"}, "obligations",
        page_only=_sections_page({"obligations": ""}), api_only=_sections_api({"obligations": ""}),
        page_field="section_obligations",
    ),
}  # fmt: skip


def test_the_table_covers_accepted_writes_and_refusals():
    accepted = [name for name, case in CASES.items() if case.expect == ACCEPTED]
    assert len(accepted) >= 4 and len(CASES) - len(accepted) >= 4
    assert set(TEXTS) >= set(AMENDED)


@pytest.mark.parametrize("name", CASES)
def test_page_and_api_answer_alike(client, world, objects, name):
    case = CASES[name]
    user = getattr(world, case.user)
    client.force_login(user)
    check(case, client, api_as(user), objects, state_of("agreements"))
