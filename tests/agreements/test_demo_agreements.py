"""The agreements of the demo network (agreements/demo_data.py), loaded by `load_demo`.

The demo is loaded once for the module, inside a transaction rolled back at the end (as TestCase.setUpTestData
does); each test runs in its own savepoint on top of it.
"""

import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

import agreements.rules  # noqa: F401 (registers the agreements' permissions)
from agreements import demo_data
from agreements.actions.agreements import is_affiliated, missing_sections
from agreements.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    FundingAmount,
    NegotiationIssue,
    NegotiationPosition,
    Party,
    PartyContact,
    Payment,
    Report,
    StatusChange,
)
from concertation.models import Instance
from core.models import AuditEvent, User
from registry.models import Territory

pytestmark = pytest.mark.django_db

MODELS = [
    Agreement, Party, PartyContact, AgreementSection, AgreementVersion, StatusChange, NegotiationIssue,
    NegotiationPosition, FundingAmount, Payment, Report, AuditEvent,
]  # fmt: skip
S = Agreement.Status


def agreement(spec: demo_data.AgreementSpec) -> Agreement:
    return Agreement.objects.get(title=spec.title)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def agreements_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("Ententes :"))


SIGNED = [demo_data.SERVICE_MEALS, demo_data.COLLABORATION_TRANSPORT, demo_data.PILOT_TRANSPORT]


def test_load_demo_reports_the_agreements(demo):
    assert agreements_line(demo).startswith("Ententes : 6 ententes, dont 2 signées ou en vigueur ; 5 redditions")
    assert "dont 1 en retard" in agreements_line(demo)


def test_each_agreement_has_its_status(demo):
    expected = [
        (demo_data.SERVICE_MEALS, S.SIGNED),
        (demo_data.COLLABORATION_TRANSPORT, S.IN_FORCE),
        (demo_data.CAREGIVERS, S.NEGOTIATION),
        (demo_data.PILOT_TRANSPORT, S.EXPIRED),
        (demo_data.WOMEN, S.TERMINATED),
        (demo_data.REFERRALS, S.DRAFT),
    ]
    assert len(expected) == len(demo_data.AGREEMENTS) == Agreement.objects.count()
    for spec, status in expected:
        found = agreement(spec)
        assert (found.status, found.kind) == (status, spec.kind)
        assert found.legal_basis_id or spec.kind == "framework"
        # The whole lifecycle went through transition(): every state is in the history, in order.
        path = list(found.status_changes.order_by("at", "pk").values_list("to_status", flat=True))
        assert path == [S.DRAFT, *spec.path]
        assert AuditEvent.objects.filter(
            content_type__model="agreement", object_id=str(found.pk), action="create", actor__username="admin"
        ).exists()
    assert agreement(demo_data.WOMEN).status_reason.startswith("Le conseil d'administration du Centre de femmes")


@pytest.mark.parametrize("spec", SIGNED, ids=lambda s: s.key)
def test_signed_agreements_are_complete_and_at_version_one(demo, spec):
    found = agreement(spec)
    assert found.version == 1
    version = found.versions.get()
    assert version.number == 1
    assert missing_sections(found) == []
    assert set(version.content["sections"]) == set(spec.sections)
    assert all(len(body) > 200 for body in version.content["sections"].values())
    parties = list(found.parties.select_related("organization").prefetch_related("contacts__person"))
    assert len(parties) >= 2
    for party in parties:
        signatories = [c for c in party.contacts.all() if c.role == PartyContact.Role.SIGNATORY]
        assert len(signatories) == 1
        signatory = signatories[0]
        assert signatory.signed_on and signatory.signed_on <= min(found.start_date, timezone.localdate())
        assert is_affiliated(signatory.person, party.organization, signatory.signed_on)
        respondents = [c for c in party.contacts.all() if c.role == PartyContact.Role.RESPONDENT]
        assert respondents and all(c.person.email for c in respondents)
    amounts = list(found.amounts.all())
    assert amounts and all(isinstance(line.amount, Decimal) for line in amounts)
    assert all(line.funder.organization.name.startswith("CISSS") for line in amounts)


def test_the_service_agreement_with_the_popote(demo):
    found = agreement(demo_data.SERVICE_MEALS)
    today = timezone.localdate()
    start = (today.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    assert found.start_date == start
    assert found.end_date == datetime.date(start.year + 3, start.month, 1) - datetime.timedelta(days=1)
    names = sorted(p.organization.name for p in found.parties.all())
    assert names[0].startswith("CISSS") and names[1].startswith("Popote roulante")
    # Drafted and signed in 2026: Santé Québec's act, with the information-sharing clause of.
    assert (found.legal_basis.chapter, found.legal_basis.purpose) == ("G-1.021", "service_agreement")
    assert found.shares_personal_information and found.information_basis.chapter == "R-22.1"
    assert "pour le compte de l'établissement" in found.sections.get(code="clientele_offer").body
    amounts = {line.year: line.amount for line in found.amounts.all()}
    assert amounts == {
        start.year: Decimal("152000.00"),
        start.year + 1: Decimal("156500.00"),
        start.year + 2: Decimal("161000.00"),
    }
    payments = list(found.payments.all())
    assert len(payments) == 12 and not any(p.paid_on for p in payments)
    assert sum(p.amount for p in payments) == sum(amounts.values())
    assert payments[0].due_on == start and payments[-1].due_on < found.end_date
    assert found.is_public


def test_the_collaboration_agreement_in_force(demo):
    found = agreement(demo_data.COLLABORATION_TRANSPORT)
    today = timezone.localdate()
    assert found.start_date <= today <= found.end_date
    assert found.joint_committee.kind == "joint_committee"
    assert found.joint_committee.rls_id == found.rls_id
    # Signed after 2024-11-30 (drafted before, when loaded in 2026: switched as the refused signature offers).
    assert (found.legal_basis.chapter, found.legal_basis.purpose) == ("G-1.021", "collaboration_agreement")
    signed = max(c.signed_on for c in PartyContact.objects.filter(party__agreement=found, role="signatory"))
    assert found.legal_basis.is_in_force(signed) and found.drafted_on < signed
    sections = dict(found.sections.values_list("code", "body"))
    assert "autonome" in sections["autonomy_respect"]
    assert "commissaire aux plaintes et à la qualité des services" in sections["complaints"]
    for party in found.parties.all():
        assert party.contacts.filter(role=PartyContact.Role.RESPONDENT).exclude(person__email="").exists()
    reports = found.reports.all()
    assert reports.filter(submitted_on__isnull=False, submitted_on__lte=today).count() >= 1
    late = Report.objects.late().filter(agreement=found)
    assert late.count() == 1 and late.get().is_late and late.get().due_on < today
    assert reports.filter(due_on__gt=today).exists()
    # Payments already due are paid; none paid in the future.
    payments = found.payments.all()
    assert not payments.filter(due_on__lte=today, paid_on__isnull=True).exists()
    assert not payments.filter(paid_on__gt=today).exists()


def test_the_negotiation_log(demo):
    found = agreement(demo_data.CAREGIVERS)
    assert found.version == 0 and not found.versions.exists()
    parties = set(found.parties.values_list("pk", flat=True))
    issues = list(found.negotiation_issues.prefetch_related("positions"))
    assert 2 <= len(issues) <= 3
    for issue in issues:
        positions = list(issue.positions.all())
        assert {p.party_id for p in positions} == parties
        assert all(p.initial_position and p.concession for p in positions)
    settled = [i for i in issues if i.compromise]
    assert len(settled) >= 2 and all(i.settled_on and i.settled_on <= timezone.localdate() for i in settled)
    assert any("propre accueil" in i.compromise for i in settled)
    assert any("temps partiel" in i.compromise for i in settled)
    # Still in negotiation: some required sections are not written yet.
    assert missing_sections(found)
    assert found.action_plans.exists()


def test_the_expired_pilot_came_before_the_collaboration(demo):
    pilot = agreement(demo_data.PILOT_TRANSPORT)
    collaboration = agreement(demo_data.COLLABORATION_TRANSPORT)
    assert pilot.end_date < timezone.localdate()
    assert pilot.end_date + datetime.timedelta(days=1) == collaboration.start_date
    assert pilot.joint_committee == collaboration.joint_committee
    assert pilot.reports.get().submitted_on
    # Signed before Santé Québec: the LSSSS, art. 108.
    assert (pilot.legal_basis.chapter, pilot.legal_basis.article) == ("S-4.2", "108")


def test_dates_follow_the_day_of_loading():
    first = datetime.date(2027, 1, 1)
    assert demo_data.add_months(first, -20) == datetime.date(2025, 5, 1)
    assert demo_data.add_months(first, -1) == datetime.date(2026, 12, 1)
    assert demo_data.add_months(datetime.date(2026, 12, 1), 1) == datetime.date(2027, 1, 1)
    assert demo_data.add_months(datetime.date(2026, 6, 1), 36) == datetime.date(2029, 6, 1)


def test_only_parties_and_coordinators_see_the_private_agreements(demo):
    collaboration = agreement(demo_data.COLLABORATION_TRANSPORT)
    service = agreement(demo_data.SERVICE_MEALS)
    assert User.objects.get(username="cab").has_perm("agreements.view_agreement", collaboration)
    assert User.objects.get(username="coordination").has_perm("agreements.change_agreement", collaboration)
    # The collaboration is in force and the CISSS is a party: the popote, a member of the RLS's concertation, reads
    # it (issue 11 §3, a public body's signed agreement) but does not work on it.
    popote = User.objects.get(username="popote")
    assert popote.has_perm("agreements.view_agreement", collaboration)
    assert not popote.has_perm("agreements.change_agreement", collaboration)
    assert not popote.has_perm("agreements.view_confidential", collaboration)
    assert popote.has_perm("agreements.change_agreement", service)


def test_idempotent(demo):
    before = counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert counts() == before
    assert "(0 enregistrements créés par ce chargement)" in agreements_line(out.getvalue())
    out = StringIO()
    call_command("load_demo_agreements", stdout=out)
    assert counts() == before
    assert "(0 enregistrements créés par ce chargement)" in out.getvalue()


def test_agreements_step_needs_the_demo(demo):
    joint = Instance.objects.filter(kind="joint_committee")
    name = joint.get().name
    joint.update(name="Un autre comité")
    with pytest.raises(CommandError, match="load_demo_concertation"):
        call_command("load_demo_agreements", stdout=StringIO())
    joint.update(name=name)
    Territory.objects.filter(kind="rls").update(name="Un autre RLS")
    with pytest.raises(CommandError, match="load_demo"):
        call_command("load_demo_agreements", stdout=StringIO())
