"""The rules of an agreement's life: parties, sections, signature, states, amendments (issue 4)."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.actions import agreements as actions
from agreements.models import Agreement, AgreementVersion, KindRule, LegalBasis, StatusChange
from core.models import AuditEvent
from tests.agreements.conftest import TEXTS, draft, ready_to_sign
from tests.factories import OrganizationFactory, PersonFactory


def test_a_draft_gets_the_sections_its_kind_requires(agreement):
    codes = set(agreement.sections.values_list("code", flat=True))
    assert codes == set(actions.required_codes("service"))
    assert "autonomy_respect" not in codes
    # Drafted today: Santé Québec's act (G-1.021), in force since 2024-12-01.
    assert (agreement.legal_basis.chapter, agreement.legal_basis.purpose) == ("G-1.021", "service_agreement")
    assert agreement.status_changes.get().to_status == "draft"


def test_collaboration_requires_the_autonomy_and_complaints_clauses(world):
    collaboration = draft(world, kind="collaboration")
    codes = set(collaboration.sections.values_list("code", flat=True))
    assert {"autonomy_respect", "complaints"} <= codes
    assert (collaboration.legal_basis.chapter, collaboration.legal_basis.purpose) == (
        "G-1.021",
        "collaboration_agreement",
    )
    assert draft(world, kind="collaboration", drafted_on=datetime.date(2024, 5, 1)).legal_basis.article == "99.7"


def test_fewer_than_two_parties_is_refused(world):
    with pytest.raises(ValidationError) as error:
        draft(world, parties=[world.org_a])
    assert "parties" in error.value.message_dict
    assert not Agreement.objects.exists()


def test_end_before_start_is_refused(world):
    with pytest.raises(ValidationError) as error:
        draft(world, start_date=datetime.date(2026, 1, 1), end_date=datetime.date(2025, 1, 1))
    assert error.value.message_dict["end_date"] == ["La date de fin ne peut pas précéder la date de début."]
    assert not Agreement.objects.exists()


def test_signing_with_missing_sections_lists_exactly_which(world, agreement):
    actions.update_section(world.coordinator, agreement, "obligations", "Les obligations.")
    for party, person in zip(agreement.parties.order_by("pk"), (world.person_a, world.person_b), strict=True):
        actions.add_contact(world.coordinator, party, {"person": person, "role": "signatory"})
    actions.transition(world.coordinator, agreement, "negotiation")
    with pytest.raises(actions.TransitionRefused) as error:
        actions.transition(world.coordinator, agreement, "signed")
    expected = [c for c in actions.required_codes("service") if c != "obligations"]
    assert error.value.missing_sections == expected
    agreement.refresh_from_db()
    assert agreement.status == "negotiation" and agreement.version == 0
    assert not AgreementVersion.objects.exists()


def test_a_blank_section_counts_as_missing(world, signable):
    actions.update_section(world.coordinator, signable, "obligations", "   ")
    with pytest.raises(actions.TransitionRefused) as error:
        actions.transition(world.coordinator, signable, "signed")
    assert error.value.missing_sections == ["obligations"]


def test_signing_freezes_version_one(world, signable):
    actions.transition(world.coordinator, signable, "signed")
    signable.refresh_from_db()
    assert signable.status == "signed" and signable.version == 1
    version = signable.versions.get()
    assert version.content["sections"]["obligations"] == TEXTS["obligations"]
    assert [p["organization"] for p in version.content["parties"]] == [world.org_a.name, world.org_b.name]
    change = StatusChange.objects.get(agreement=signable, to_status="signed")
    assert change.by == world.coordinator and change.from_status == "negotiation"


def test_each_party_needs_a_signatory(world, agreement):
    for code in actions.required_codes("service"):
        actions.update_section(world.coordinator, agreement, code, TEXTS[code])
    actions.transition(world.coordinator, agreement, "negotiation")
    with pytest.raises(actions.TransitionRefused) as error:
        actions.transition(world.coordinator, agreement, "signed")
    assert error.value.missing_sections == []
    assert world.org_a.name in " ".join(error.value.messages)


def test_a_person_cannot_sign_for_an_organisation_they_do_not_belong_to(world, agreement):
    party_a = agreement.parties.get(organization=world.org_a)
    with pytest.raises(ValidationError) as error:
        actions.add_contact(world.coordinator, party_a, {"person": world.person_b, "role": "signatory"})
    assert "person" in error.value.message_dict
    assert not party_a.contacts.exists()


def test_a_former_employee_cannot_sign(world, agreement):
    leaver = PersonFactory()
    leaver.affiliations.create(
        organization=world.org_a, start_date=datetime.date(2015, 1, 1), end_date=datetime.date(2019, 1, 1)
    )
    with pytest.raises(ValidationError):
        actions.add_contact(
            world.coordinator, agreement.parties.get(organization=world.org_a), {"person": leaver, "role": "signatory"}
        )


@pytest.mark.parametrize(
    ("path", "refused"),
    [
        (["signed"], "draft"),  # draft goes through negotiation first
        (["negotiation", "in_force"], "negotiation"),
        (["terminated"], "draft"),  # no reason given
    ],
)
def test_moves_outside_the_lifecycle_are_refused(world, agreement, path, refused):
    with pytest.raises(actions.TransitionRefused):
        for status in path:
            actions.transition(world.coordinator, agreement, status)
    agreement.refresh_from_db()
    assert agreement.status == refused


def test_the_whole_life_is_dated_and_attributed(world, signable):
    actions.transition(world.coordinator, signable, "signed")
    actions.transition(world.rep_a, signable, "in_force")
    with pytest.raises(actions.TransitionRefused):
        actions.transition(world.coordinator, signable, "expired")  # its end date is still ahead
    actions.transition(world.coordinator, signable, "terminated", "Le service est repris par le CLSC.")
    signable.refresh_from_db()
    assert signable.status == "terminated" and signable.status_reason == "Le service est repris par le CLSC."
    moves = list(signable.status_changes.values_list("to_status", "by__username"))
    assert moves == [("draft", "coord"), ("negotiation", "coord"), ("signed", "coord"), ("in_force", "rep_a"),
                     ("terminated", "coord")]  # fmt: skip
    with pytest.raises(actions.TransitionRefused):
        actions.transition(world.coordinator, signable, "in_force")


def test_a_signed_agreement_is_not_edited(world, signable):
    actions.transition(world.coordinator, signable, "signed")
    signable.refresh_from_db()
    for attempt in (
        lambda: actions.update_section(world.coordinator, signable, "obligations", "Autre texte."),
        lambda: actions.update_agreement(world.coordinator, signable, {"title": "Autre titre"}),
        lambda: actions.add_party(world.coordinator, signable, {"organization": world.org_elsewhere}),
    ):
        with pytest.raises(ValidationError):
            attempt()
    signable.refresh_from_db()
    assert signable.title.startswith("Entente de services")
    assert signable.sections.get(code="obligations").body == TEXTS["obligations"]


def test_an_amendment_is_a_new_version(world, signable):
    actions.transition(world.coordinator, signable, "signed")
    signable.refresh_from_db()
    version = actions.amend(
        world.coordinator, signable,
        {"note": "Ajout des repas du samedi", "sections": {"clientele_offer": "Repas du lundi au samedi."},
         "end_date": datetime.date(2028, 3, 31)},
    )  # fmt: skip
    assert version.number == 2 and signable.version == 2
    first, second = signable.versions.order_by("number")
    assert first.content["sections"]["clientele_offer"] == TEXTS["clientele_offer"]
    assert second.content["sections"]["clientele_offer"] == "Repas du lundi au samedi."
    assert second.content["end_date"] == "2028-03-31"
    event = AuditEvent.objects.filter(object_id=str(signable.pk), content_type__model="agreement").first()
    assert event.changes["version"] == [1, 2]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"sections": {"obligations": "Nouveau."}}, "note"),
        ({"note": "Rien", "sections": {}}, None),
        ({"note": "Vider", "sections": {"obligations": ""}}, "obligations"),
        ({"note": "Dates", "end_date": datetime.date(2020, 1, 1)}, "end_date"),
    ],
)
def test_bad_amendments_change_nothing(world, signable, data, field):
    actions.transition(world.coordinator, signable, "signed")
    signable.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        actions.amend(world.coordinator, signable, data)
    if field:
        assert field in error.value.message_dict
    signable.refresh_from_db()
    assert signable.version == 1 and signable.end_date == datetime.date(2027, 12, 31)
    assert signable.sections.get(code="obligations").body == TEXTS["obligations"]


def test_a_draft_is_not_amended(world, agreement):
    with pytest.raises(ValidationError):
        actions.amend(world.coordinator, agreement, {"note": "x", "sections": {"obligations": "y"}})


def test_legal_bases_are_data(world):
    """When the law moves, an administrator adds the new basis (same purpose, its dates) or points the kind to
    another article: new agreements follow, those already drafted keep the basis they were drafted under."""
    old = draft(world)
    new_basis = LegalBasis.objects.create(
        law="Loi sur la gouvernance du système de santé et de services sociaux", chapter="G-1.021",
        article="999", summary="Nouvelle base.", purpose="service_agreement", in_force_from=datetime.date(2026, 1, 1),
    )  # fmt: skip
    KindRule.objects.filter(kind="service").update(required_sections=["obligations"])
    new = draft(world, title="Nouvelle entente")
    assert new.legal_basis == new_basis
    assert list(new.sections.values_list("code", flat=True)) == ["obligations"]
    old.refresh_from_db()
    assert old.legal_basis.chapter == "G-1.021" and old.legal_basis != new_basis
    # Drafted in 2025: the basis in force then, not the newer one.
    assert draft(world, title="Rédigée en 2025", drafted_on=datetime.date(2025, 6, 1)).legal_basis == old.legal_basis


def test_the_last_two_parties_stay(world, agreement):
    with pytest.raises(ValidationError):
        actions.remove_party(world.coordinator, agreement.parties.first())
    third = OrganizationFactory(name="Municipalité de Saint-Clément", sector="municipal", rls=world.rls)
    party = actions.add_party(world.coordinator, agreement, {"organization": third})
    actions.remove_party(world.coordinator, party)
    assert agreement.parties.count() == 2


def test_joint_committee_from_another_rls_is_refused(world):
    from concertation.actions import instances

    committee = instances.create_instance(
        world.admin, {"name": "Comité conjoint des Collines", "kind": "joint_committee", "basis": "thematic",
               "level": "local", "rls": world.other_rls},
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        draft(world, joint_committee=committee)
    assert "joint_committee" in error.value.message_dict


def test_ready_to_sign_helper_is_signable(world):
    agreement = ready_to_sign(world, "collaboration")
    assert actions.signing_problems(agreement) == ([], [])
