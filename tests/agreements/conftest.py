"""An agreement between org_a (popote) and org_b (CAB) of the world's RLS, with a signatory each."""

import datetime

import pytest

from agreements.actions import agreements as actions
from agreements.models import SectionCode

TEXTS = {code: f"Texte de la section {code}." for code in SectionCode.values}


def draft(world, kind: str = "service", **extra):
    data = {
        "title": "Entente de services — repas à domicile",
        "kind": kind,
        "rls": world.rls,
        "parties": [world.org_a, world.org_b],
        "start_date": datetime.date(2025, 1, 1),
        "end_date": datetime.date(2027, 12, 31),
        **extra,
    }
    return actions.create_agreement(world.coordinator, data)


def ready_to_sign(world, kind: str = "service"):
    """In negotiation, every required section written, one signatory per party."""
    agreement = draft(world, kind)
    for code in actions.required_codes(kind):
        actions.update_section(world.coordinator, agreement, code, TEXTS[code])
    for party, person in zip(agreement.parties.order_by("pk"), (world.person_a, world.person_b), strict=True):
        actions.add_contact(world.coordinator, party, {"person": person, "role": "signatory"})
        actions.add_contact(world.coordinator, party, {"person": person, "role": "respondent"})
    actions.transition(world.coordinator, agreement, "negotiation")
    agreement.refresh_from_db()
    return agreement


@pytest.fixture
def agreement(world):
    return draft(world)


@pytest.fixture
def signable(world):
    return ready_to_sign(world)


@pytest.fixture
def agreements_state():
    """A callable returning everything the agreements hold, to assert that a refused request changed nothing."""
    from agreements.models import (
        Agreement,
        AgreementSection,
        Attachment,
        FundingAmount,
        NegotiationIssue,
        Party,
        PartyContact,
        Payment,
        Report,
    )
    from core.models import AuditEvent

    models = [
        Agreement, Party, PartyContact, AgreementSection, Attachment, FundingAmount, NegotiationIssue, Payment, Report
    ]  # fmt: skip
    written = [a for a in AuditEvent.Action.values if a not in {"view", "export", "login", "login_failed", "logout"}]

    def snapshot() -> dict:
        state = {model.__name__: list(model.objects.order_by("pk").values()) for model in models}
        state["audit_writes"] = AuditEvent.objects.filter(action__in=written).count()
        return state

    return snapshot


def pdf(name: str = "page-signee.pdf", content: bytes = b"%PDF-1.4 signed page"):
    """An upload the content check accepts as a PDF."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")
