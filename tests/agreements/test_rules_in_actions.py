"""The agreement actions are the only guard (issue 8): each checks the user's permission and the scope of every
object it names, whoever calls it (page, API, command). Called directly here."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from agreements.actions import agreements as actions
from agreements.actions import follow_up
from agreements.models import Agreement, Attachment, PartyContact
from core.errors import Conflict
from tests.agreements.conftest import draft, pdf, ready_to_sign
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

GENERIC = "Choose among the options offered: this choice is not available to you."
EVIDENCE = "Attach the signed page: a signature recorded for an organisation you do not represent needs it as evidence."


def fr(message: str) -> str:
    """The message as users read it (French by default)."""
    with translation.override("fr"):
        return translation.gettext(message)


def party_of(agreement: Agreement, org):
    return agreement.parties.get(organization=org)


# Role × action ---------------------------------------------------------------------------------------------

ACTIONS = {
    "update": lambda w, a, u: actions.update_agreement(u, a, {"summary": "Résumé"}),
    "add_party": lambda w, a, u: actions.add_party(
        u, a, {"organization": OrganizationFactory(name="Municipalité de Saint-Clément", rls=w.rls)}
    ),
    "section": lambda w, a, u: actions.update_section(u, a, "obligations", "Les obligations."),
    "transition": lambda w, a, u: actions.transition(u, a, "negotiation"),
    "issue": lambda w, a, u: follow_up.log_issue(u, a, {"subject": "Accueil"}),
    "funding": lambda w, a, u: follow_up.set_amount(u, a, {"year": 2025, "amount": "1000"}),
    "payment": lambda w, a, u: follow_up.add_payment(u, a, {"due_on": datetime.date(2025, 4, 1), "amount": "500"}),
    "report": lambda w, a, u: follow_up.add_report(u, a, {"title": "Bilan", "due_on": datetime.date(2025, 6, 30)}),
    "attach": lambda w, a, u: follow_up.attach(u, a, {"file": pdf("annexe.pdf")}),
    "contact_of_a": lambda w, a, u: actions.add_contact(
        u, party_of(a, w.org_a), {"person": w.person_a, "role": "respondent"}
    ),
    "contact_of_b": lambda w, a, u: actions.add_contact(
        u, party_of(a, w.org_b), {"person": w.person_b, "role": "respondent"}
    ),
}
EVERYTHING = set(ACTIONS)
ALLOWED = {
    "admin": EVERYTHING,
    "coordinator": EVERYTHING,
    "rep_a": EVERYTHING - {"contact_of_b"},  # parties act for themselves
    "rep_b": EVERYTHING - {"contact_of_a"},
    "analyst": set(),
    "other_coordinator": set(),
    "nobody": set(),
}


@pytest.mark.parametrize("role", sorted(ALLOWED))
@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_role_action_table(world, agreement, role, name):
    user = getattr(world, role)
    if name in ALLOWED[role]:
        ACTIONS[name](world, agreement, user)
    else:
        with pytest.raises(PermissionDenied):
            ACTIONS[name](world, agreement, user)


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_anonymous_users_are_refused(world, agreement, name):
    with pytest.raises(PermissionDenied):
        ACTIONS[name](world, agreement, AnonymousUser())


def test_only_writers_draft(world):
    for user in (world.analyst, world.nobody, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            actions.create_agreement(user, {"title": "X", "kind": "service", "rls": world.rls, "parties": []})


# Drafting: the RLS and the parties -------------------------------------------------------------------------


def data(world, **extra) -> dict:
    return {"title": "Entente", "kind": "service", "rls": world.rls, "parties": [world.org_a, world.org_b], **extra}


def refused_on(field: str, call) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        call()
    assert field in error.value.message_dict, error.value.message_dict
    return error.value


def test_a_representative_does_not_draft_in_another_rls(world):
    institution = OrganizationFactory(name="CISSS des Collines", rls=world.other_rls)
    error = refused_on(
        "rls",
        lambda: actions.create_agreement(
            world.rep_a, data(world, rls=world.other_rls, parties=[world.org_a, institution])
        ),
    )
    assert error.message_dict["rls"] == [fr(GENERIC)]
    assert not Agreement.objects.exists()


def test_parties_are_organisations_of_the_agreements_rls(world):
    for user in (world.coordinator, world.rep_a, world.admin):
        error = refused_on(
            "parties",
            lambda user=user: actions.create_agreement(user, data(world, parties=[world.org_a, world.org_elsewhere])),
        )
        assert world.org_elsewhere.name not in str(error)
    assert not Agreement.objects.exists()


def test_a_representative_drafts_only_with_their_organisation(world):
    third = OrganizationFactory(name="Municipalité de Saint-Clément", rls=world.rls)
    error = refused_on(
        "parties", lambda: actions.create_agreement(world.rep_b, data(world, parties=[world.org_a, third]))
    )
    assert error.message_dict["parties"] == [fr("Your organisation must be one of the parties.")]
    assert actions.create_agreement(world.rep_b, data(world, parties=[world.org_b, third])).parties.count() == 2
    # A coordinator names any organisations of the RLS.
    assert actions.create_agreement(world.coordinator, data(world, parties=[world.org_a, third]))


def test_an_agreement_does_not_move_to_another_rls(world, agreement):
    refused_on("rls", lambda: actions.update_agreement(world.admin, agreement, {"rls": world.other_rls}))


def test_a_party_added_later_is_of_the_rls(world, agreement):
    refused_on(
        "organization", lambda: actions.add_party(world.coordinator, agreement, {"organization": world.org_elsewhere})
    )
    assert agreement.parties.count() == 2


# Linked instances and plans --------------------------------------------------------------------------------


def committee(world, rls, **extra):
    from concertation.actions import instances

    values = {"name": f"Comité conjoint {rls.name}", "kind": "joint_committee", "basis": "thematic",
              "level": "local", "rls": rls, **extra}  # fmt: skip
    return instances.create_instance(world.admin, values)


def test_links_are_of_the_rls_and_visible(world, agreement):
    elsewhere = committee(world, world.other_rls)
    # Even the administrator, who sees it, links only instances of the agreement's RLS.
    refused_on("joint_committee", lambda: draft(world, joint_committee=elsewhere))
    refused_on("instances", lambda: actions.update_agreement(world.admin, agreement, {"instances": [elsewhere]}))
    # A representative links only the instances of the RLS they see (a private committee is hidden from them).
    private = committee(world, world.rls, is_public=False)
    error = refused_on("instances", lambda: actions.update_agreement(world.rep_a, agreement, {"instances": [private]}))
    assert private.name not in str(error)
    actions.update_agreement(world.coordinator, agreement, {"instances": [private], "joint_committee": private})
    # A link already there, hidden from the representative, stays when they edit something else.
    actions.update_agreement(world.rep_a, agreement, {"summary": "Résumé", "instances": [private]})
    assert list(agreement.instances.all()) == [private]


def test_action_plans_are_of_the_rls(world, agreement):
    from concertation.models import ActionPlan

    plan = ActionPlan.objects.create(instance=committee(world, world.other_rls), title="Plan des Collines")
    refused_on("action_plans", lambda: actions.update_agreement(world.admin, agreement, {"action_plans": [plan]}))


# Parties act for themselves -------------------------------------------------------------------------------


def test_signatories_are_currently_of_the_party(world, agreement):
    party_a = party_of(agreement, world.org_a)
    refused_on(
        "person",
        lambda: actions.add_contact(world.coordinator, party_a, {"person": world.person_b, "role": "signatory"}),
    )
    former = PersonFactory(first_name="Denis", last_name="Ancien")
    AffiliationFactory(
        person=former, organization=world.org_a, start_date=datetime.date(2015, 1, 1),
        end_date=datetime.date(2020, 1, 1),
    )  # fmt: skip
    refused_on("person", lambda: actions.add_contact(world.rep_a, party_a, {"person": former, "role": "respondent"}))
    assert not PartyContact.objects.exists()


def test_one_party_cannot_record_anothers_signature_then_sign(world, agreement, agreements_state):
    """The reproduction: A's representative records B's signatory and signature, then signs. Refused."""
    party_a, party_b = party_of(agreement, world.org_a), party_of(agreement, world.org_b)
    for code in actions.required_codes(agreement.kind):
        actions.update_section(world.rep_a, agreement, code, "Texte.")
    actions.add_contact(
        world.rep_a, party_a, {"person": world.person_a, "role": "signatory", "signed_on": datetime.date(2025, 1, 2)}
    )
    actions.transition(world.rep_a, agreement, "negotiation")
    before = agreements_state()
    with pytest.raises(PermissionDenied):
        actions.add_contact(
            world.rep_a, party_b,
            {"person": world.person_b, "role": "signatory", "signed_on": datetime.date(2025, 1, 2)},
        )  # fmt: skip
    with pytest.raises(actions.TransitionRefused) as refusal:
        actions.transition(world.rep_a, agreement, "signed")
    assert isinstance(refusal.value, Conflict) and refusal.value.extra == {"missing_sections": []}
    assert agreements_state() == before


def test_the_coordinator_records_a_signature_with_the_signed_page(world, agreement):
    party_b = party_of(agreement, world.org_b)
    signature = {"person": world.person_b, "role": "signatory", "signed_on": datetime.date(2025, 1, 2)}
    error = refused_on("evidence", lambda: actions.add_contact(world.coordinator, party_b, signature))
    assert error.message_dict["evidence"] == [fr(EVIDENCE)]
    refused_on(
        "evidence",
        lambda: actions.add_contact(
            world.coordinator, party_b, {**signature, "evidence": pdf("page.pdf", b"not a pdf at all")}
        ),
    )
    assert not PartyContact.objects.exists() and not Attachment.objects.exists()

    contact = actions.add_contact(world.coordinator, party_b, {**signature, "evidence": pdf()})
    assert contact.recorded_by == world.coordinator
    evidence = contact.evidence.get()
    assert evidence.kind == Attachment.Kind.SIGNED_SCAN and evidence.agreement == agreement
    # Naming a signatory before they sign, or a respondent, needs no evidence.
    respondent = actions.add_contact(world.coordinator, party_b, {"person": world.person_b, "role": "respondent"})
    assert respondent.recorded_by == world.coordinator and not respondent.evidence.exists()
    # The signed page stays while the signature it proves is recorded.
    with pytest.raises(Conflict):
        follow_up.delete_attachment(world.coordinator, evidence)


def test_a_representative_records_their_own_signature_without_evidence(world, agreement):
    party_a = party_of(agreement, world.org_a)
    contact = actions.add_contact(
        world.rep_a, party_a, {"person": world.person_a, "role": "signatory", "signed_on": datetime.date(2025, 1, 2)}
    )
    assert contact.recorded_by == world.rep_a
    with pytest.raises(PermissionDenied):
        actions.remove_contact(world.rep_b, contact)
    actions.remove_contact(world.rep_a, contact)


def test_only_a_signatory_has_a_signature_date(world, agreement):
    refused_on(
        "signed_on",
        lambda: actions.add_contact(
            world.rep_a, party_of(agreement, world.org_a),
            {"person": world.person_a, "role": "respondent", "signed_on": datetime.date(2025, 1, 2)},
        ),
    )  # fmt: skip


# Refused state changes are conflicts ----------------------------------------------------------------------


def test_refused_state_changes_are_conflicts(world):
    agreement = ready_to_sign(world)
    actions.transition(world.coordinator, agreement, "signed")
    agreement.refresh_from_db()
    for call in (
        lambda: actions.update_agreement(world.coordinator, agreement, {"summary": "Autre"}),
        lambda: actions.update_section(world.coordinator, agreement, "obligations", "Autre"),
        lambda: follow_up.log_issue(world.coordinator, agreement, {"subject": "Trop tard"}),
        lambda: actions.add_party(
            world.coordinator, agreement, {"organization": OrganizationFactory(name="Tardif", rls=world.rls)}
        ),
    ):
        with pytest.raises(Conflict):
            call()
    report = follow_up.add_report(
        world.coordinator, agreement, {"title": "Bilan", "due_on": datetime.date(2025, 6, 30)}
    )
    follow_up.submit_report(world.coordinator, report, {"submitted_on": datetime.date(2025, 6, 1)})
    with pytest.raises(Conflict):
        follow_up.submit_report(world.coordinator, report, {"submitted_on": datetime.date(2025, 6, 2)})
    payment = follow_up.add_payment(world.coordinator, agreement, {"due_on": datetime.date(2025, 4, 1), "amount": 5})
    follow_up.mark_paid(world.coordinator, payment)
    with pytest.raises(Conflict):
        follow_up.mark_paid(world.coordinator, payment)


def test_the_funder_is_a_party_of_this_agreement(world, agreement):
    other = draft(world)
    refused_on(
        "funder",
        lambda: follow_up.set_amount(
            world.coordinator, agreement, {"year": 2025, "amount": "1", "funder": other.parties.first()}
        ),
    )
