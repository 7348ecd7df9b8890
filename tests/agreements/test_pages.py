"""Agreement pages: who may do what (role × action), refusals that change nothing, files, documents."""

import datetime
import io

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from agreements.actions import agreements as actions
from agreements.actions import follow_up
from agreements.models import Agreement, Attachment, Reminder
from tests.agreements.conftest import TEXTS, ready_to_sign
from tests.factories import OrganizationFactory


def fr(text: str, **values) -> str:
    """What a French-speaking user reads for a source string (the source until the catalogue has it)."""
    with translation.override("fr"):
        return translation.gettext(text) % values if values else translation.gettext(text)


ROLES = ["admin", "coordinator", "analyst", "rep_a", "rep_b", "other_coordinator", "nobody"]


@pytest.fixture
def service(world):
    """A service agreement between the CLSC and A (B is no party)."""
    clsc = OrganizationFactory(name="CISSS du Val — CLSC", sector="public", rls=world.rls)
    return actions.create_agreement(
        world.coordinator,
        {"title": "Repas à domicile", "kind": "service", "rls": world.rls, "parties": [clsc, world.org_a]},
    )


# Who reads and who writes: (role, sees the page, may edit) --------------------------------------------------
MATRIX = [
    ("admin", 200, 200),
    ("coordinator", 200, 200),
    ("analyst", 404, 404),  # not published: only parties and coordinators
    ("rep_a", 200, 200),  # a party
    ("rep_b", 404, 404),
    ("other_coordinator", 404, 404),
    ("nobody", 404, 404),
]


@pytest.mark.parametrize(("role", "read", "write"), MATRIX)
def test_role_matrix(client, world, service, role, read, write):
    client.force_login(getattr(world, role))
    assert client.get(reverse("agreements:agreement_detail", args=[service.pk])).status_code == read
    assert client.get(reverse("agreements:document", args=[service.pk, "docx"])).status_code == read
    assert client.get(reverse("agreements:sections_edit", args=[service.pk])).status_code == write
    response = client.post(reverse("agreements:transition", args=[service.pk]), {"to": "negotiation"})
    assert response.status_code == (302 if write == 200 else write)
    service.refresh_from_db()
    assert service.status == ("negotiation" if write == 200 else "draft")


@pytest.mark.parametrize(("role", "expected"), [("analyst", 200), ("rep_b", 200), ("other_coordinator", 404)])
def test_published_agreements_are_read_by_the_rls(client, world, service, role, expected):
    Agreement.objects.filter(pk=service.pk).update(is_public=True, status="in_force")
    client.force_login(getattr(world, role))
    assert client.get(reverse("agreements:agreement_detail", args=[service.pk])).status_code == expected
    # Reading is not writing.
    assert client.get(reverse("agreements:agreement_edit", args=[service.pk])).status_code in (403, 404)


def test_the_public_sees_only_what_the_parties_publish(client, service):
    url = reverse("public_agreement", args=[service.pk])
    assert client.get(url).status_code == 404
    Agreement.objects.filter(pk=service.pk).update(is_public=True, status="in_force")
    assert "Repas à domicile" in client.get(url).content.decode()
    assert client.get(reverse("agreements:agreement_detail", args=[service.pk])).status_code == 302  # sign in


@pytest.mark.parametrize("role", ["analyst", "nobody"])
def test_who_may_not_draft(client, world, role):
    client.force_login(getattr(world, role))
    assert client.get(reverse("agreements:agreement_create")).status_code == 403


def test_a_representative_drafts_with_their_organisation(client, world):
    client.force_login(world.rep_a)
    data = {"title": "Collaboration", "kind": "collaboration", "rls": world.rls.pk, "reminder_days": 90}
    response = client.post(reverse("agreements:agreement_create"), {**data, "parties": [world.org_b.pk]})
    assert fr("An agreement needs at least two parties.") in response.content.decode()
    clsc = OrganizationFactory(name="CLSC du Val", sector="public", rls=world.rls)
    response = client.post(reverse("agreements:agreement_create"), {**data, "parties": [world.org_b.pk, clsc.pk]})
    assert fr("Your organisation must be one of the parties.") in response.content.decode()
    assert not Agreement.objects.exists()
    response = client.post(reverse("agreements:agreement_create"), {**data, "parties": [world.org_a.pk, clsc.pk]})
    agreement = Agreement.objects.get()
    assert response.status_code == 302 and response["Location"] == agreement.get_absolute_url()
    assert {"autonomy_respect", "complaints"} <= set(agreement.sections.values_list("code", flat=True))


def test_signing_refused_then_accepted_on_the_page(client, world):
    agreement = ready_to_sign(world)
    actions.update_section(world.coordinator, agreement, "financial_resources", "")
    client.force_login(world.coordinator)
    url = reverse("agreements:transition", args=[agreement.pk])
    response = client.post(url, {"to": "signed"})
    assert response.status_code == 409
    page = response.content.decode()
    assert fr("This change of state was refused") in page
    assert fr("Financial resources") in page
    agreement.refresh_from_db()
    assert agreement.status == "negotiation" and not agreement.versions.exists()
    client.post(reverse("agreements:sections_edit", args=[agreement.pk]), {**TEXTS})
    assert client.post(url, {"to": "signed"}).status_code == 302
    agreement.refresh_from_db()
    assert agreement.status == "signed" and agreement.version == 1


def test_editing_a_signed_agreement_leads_to_the_amendment(client, world):
    agreement = ready_to_sign(world)
    actions.transition(world.coordinator, agreement, "signed")
    client.force_login(world.coordinator)
    response = client.post(reverse("agreements:sections_edit", args=[agreement.pk]), {"obligations": "Autre"})
    assert response["Location"] == reverse("agreements:amend", args=[agreement.pk])
    assert agreement.sections.get(code="obligations").body == TEXTS["obligations"]
    response = client.post(
        reverse("agreements:amend", args=[agreement.pk]),
        {
            **{f"section_{c}": TEXTS[c] for c in actions.required_codes("service")},
            "note": "Nouvelle obligation",
            "end_date": "2027-12-31",
            "section_obligations": "Nouvelle ligne.\nAutre.",
        },  # fmt: skip
    )
    assert response.status_code == 302
    diff = client.get(reverse("agreements:version_diff", args=[agreement.pk]) + "?from=1&to=2").content.decode()
    assert "<del>Texte de la section obligations.</del>" in diff and "<ins>Nouvelle ligne.</ins>" in diff
    assert client.get(reverse("agreements:version_detail", args=[agreement.pk, 1])).status_code == 200
    assert client.get(reverse("agreements:version_diff", args=[agreement.pk]) + "?from=1&to=9").status_code == 404


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "rapport.pdf",
            b"MZ\x90\x00 this is a program",
            (
                "The content of “%(name)s” is not a %(type)s file: it cannot be attached.",
                {"name": "rapport.pdf", "type": "PDF"},
            ),
        ),
        ("rapport.exe", b"MZ\x90\x00", ("Accepted files: PDF, PNG, JPEG, DOCX and XLSX.", {})),
        (
            "scan.png",
            b"%PDF-1.4 a pdf named png",
            (
                "The content of “%(name)s” is not a %(type)s file: it cannot be attached.",
                {"name": "scan.png", "type": "PNG"},
            ),
        ),
        (
            "gros.pdf",
            b"%PDF-1.4" + b"0" * (10 * 1024 * 1024),
            (
                "The file is too large (%(size)s); the limit is %(limit)s.",
                {"size": "10,0\xa0Mo", "limit": "10,0\xa0Mo"},
            ),
        ),
    ],
)
def test_disguised_or_oversized_files_are_refused(client, world, service, name, content, message):
    client.force_login(world.coordinator)
    response = client.post(
        reverse("agreements:attachment_add", args=[service.pk]), {"kind": "annex", "file": _upload(name, content)}
    )
    assert response.status_code == 400
    text, values = message
    from django.utils.html import escape

    expected = fr(text, **values)
    assert escape(expected.split("(")[0]) in response.content.decode()
    assert not Attachment.objects.exists()


def test_attachments_are_served_to_readers_only(client, world, service):
    client.force_login(world.rep_a)
    response = client.post(
        reverse("agreements:attachment_add", args=[service.pk]),
        {"kind": "signed_scan", "file": _upload("entente signée.pdf", b"%PDF-1.4 signed")},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf" and "entente" not in attachment.file.name
    url = reverse("agreements:attachment_download", args=[attachment.pk])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    assert download["Content-Disposition"].startswith("attachment")
    client.force_login(world.rep_b)
    assert client.get(url).status_code == 404


def test_a_report_is_filed_with_its_file(client, world, service):
    report = follow_up.add_report(
        world.coordinator, service, {"title": "Bilan 2025", "due_on": datetime.date(2025, 6, 30)}
    )
    assert report.is_late
    client.force_login(world.rep_a)
    response = client.post(
        reverse("agreements:report_submit", args=[report.pk]),
        {"submitted_on": "2025-07-15", "note": "En retard, désolé.", "file": _upload("bilan.pdf", b"%PDF-1.7 x")},
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.submitted_on == datetime.date(2025, 7, 15) and report.attachments.get().kind == "report"


def test_documents_in_docx_and_pdf(client, world):
    from docx import Document

    agreement = ready_to_sign(world, "collaboration")
    client.force_login(world.rep_a)
    docx = client.get(reverse("agreements:document", args=[agreement.pk, "docx"]))
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert agreement.title in text and fr("Respect of the community organisation's autonomy") in text
    assert TEXTS["complaints"] in text
    # Drafted today: the basis of G-1.021, its complaints clause and officer, from the data.
    assert "c. G-1.021" in text and "commissaire aux plaintes et à la qualité des services" in text
    english = client.get(reverse("agreements:document", args=[agreement.pk, "docx"]) + "?lang=en")
    assert "Respect of the community organisation's autonomy" in "\n".join(
        p.text for p in Document(io.BytesIO(english.content)).paragraphs
    )
    pdf = client.get(reverse("agreements:document", args=[agreement.pk, "pdf"]))
    assert pdf.content.startswith(b"%PDF-") and pdf["Content-Type"] == "application/pdf"


def test_reminders_go_to_respondents_once(world):
    agreement = ready_to_sign(world)
    today = datetime.date(2027, 11, 1)
    actions.transition(world.coordinator, agreement, "signed")
    Agreement.objects.filter(pk=agreement.pk).update(status="in_force")
    follow_up.add_report(world.coordinator, agreement, {"title": "Bilan annuel", "due_on": datetime.date(2027, 10, 1)})
    from agreements.reminders import send_reminders

    sent = send_reminders(today)
    assert (sent.end_approaching, sent.report_late) == (1, 1)
    assert Reminder.objects.count() == 2
    again = send_reminders(today)
    assert (again.end_approaching, again.report_late, again.messages) == (0, 0, 0)


@pytest.mark.django_db(transaction=True)
def test_reminder_mails_and_expiry(world, settings):
    agreement = ready_to_sign(world)
    actions.transition(world.coordinator, agreement, "signed")
    Agreement.objects.filter(pk=agreement.pk).update(status="in_force", end_date=datetime.date(2020, 1, 1),
                                                     start_date=datetime.date(2019, 1, 1))  # fmt: skip
    soon = ready_to_sign(world)
    actions.transition(world.coordinator, soon, "signed")
    from django.utils import timezone

    Agreement.objects.filter(pk=soon.pk).update(end_date=timezone.localdate() + datetime.timedelta(days=30))
    call_command("send_reminders", stdout=io.StringIO())
    agreement.refresh_from_db()
    assert agreement.status == "expired"
    assert len(mail.outbox) == 2  # one respondent per party of the agreement ending soon
    soon.refresh_from_db()
    assert soon.title in mail.outbox[0].subject and soon.end_date.isoformat() in mail.outbox[0].subject
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("url_name", ["agreement_list", "dashboard"])
def test_register_pages_answer_in_constant_queries(client, world, django_assert_max_num_queries, url_name):
    client.force_login(world.coordinator)
    for _ in range(3):
        ready_to_sign(world)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(f"agreements:{url_name}") + "?status=negotiation").status_code == 200
    for _ in range(10):
        ready_to_sign(world)
    with django_assert_max_num_queries(20):
        assert client.get(reverse(f"agreements:{url_name}") + "?status=negotiation").status_code == 200


def test_filters_of_the_register(client, world, service):
    other = ready_to_sign(world)
    follow_up.set_amount(world.coordinator, other, {"year": 2025, "amount": "12000"})
    client.force_login(world.coordinator)
    url = reverse("agreements:agreement_list")

    def titles(query: str) -> set[int]:
        return {a.pk for a in client.get(url + query).context["page"]}

    assert titles("?funded=true") == {other.pk}
    assert titles("?funded=false") == {service.pk}
    assert titles(f"?party={world.org_b.pk}") == {other.pk}
    assert titles("?party_name=bénévole") == {other.pk}  # B is the centre d'action bénévole
    assert titles("?party_name=popote") == {service.pk, other.pk}
    assert titles("?status=draft") == {service.pk}
    assert titles(f"?territory={world.town.pk}") == {service.pk, other.pk}  # A serves the town
    assert titles("?expiring=30") == set()


def test_dependence_flags_the_drift(client, world):
    from tests.factories import FundingLineFactory

    FundingLineFactory(organization=world.org_a, year=2025, source="service_agreement", amount=300000)
    client.force_login(world.coordinator)
    page = client.get(reverse("agreements:dependence", args=[world.org_a.pk]))
    assert page.context["drift_years"] == ["2025"]
    dashboard = client.get(reverse("agreements:dashboard"))
    assert [row["organization_id"] for row in dashboard.context["drifting"]] == [world.org_a.pk]


def test_history_names_the_changes_in_the_readers_language(client, world, service):
    actions.update_section(world.coordinator, service, "obligations", "Livrer les repas.")
    actions.add_contact(
        world.coordinator,
        service.parties.get(organization=world.org_a),
        {"person": world.person_a, "role": "signatory"},
    )
    client.force_login(world.coordinator)
    page = client.get(reverse("agreements:agreement_history", args=[service.pk])).content.decode()
    assert fr("Obligations of the parties") in page and "Livrer les repas." in page
    assert fr("Signatory") in page and "section_obligations" not in page


@pytest.mark.parametrize(
    ("url_name", "data", "field"),
    [
        ("amount_add", {"year": "2025", "amount": "-5"}, "amount"),
        ("amount_add", {"year": "1850", "amount": "5"}, "year"),
        ("payment_add", {"due_on": "2025-01-01", "amount": "-1"}, "amount"),
        ("report_add", {"title": "Bilan", "due_on": ""}, "due_on"),
    ],
)
def test_bad_follow_up_input_writes_nothing(client, world, service, url_name, data, field):
    client.force_login(world.coordinator)
    response = client.post(reverse(f"agreements:{url_name}", args=[service.pk]), data)
    assert response.status_code == 400 and field in response.context["form"].errors
    assert not (service.amounts.exists() or service.payments.exists() or service.reports.exists())
