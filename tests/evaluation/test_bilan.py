"""The RLS dashboard and the PDF reports (the bilan of the concertation, a campaign's results): a coordinator shows
the dashboard at the partners' assembly and asks for a PDF, which is built in the background (at once in tests)
and downloaded once ready; nobody outside the RLS sees either, a bad period writes nothing, a failed build says so,
and the dashboard's queries do not grow with the RLS."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.html import escape

from concertation.models import Attendance, ContextEvent, Decision, Instance, Meeting, Membership
from core.models import AuditEvent
from evaluation import tasks
from evaluation.actions import reports as actions
from evaluation.models import Answer, Campaign, Instrument, Item, Report, Response, Section
from evaluation.results import campaign_results
from tests.evaluation.conftest import items
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate
HTMX = {"HX-Request": "true"}


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def closed_campaign(instrument, instance, answers: list[dict], *, title="Climat 2025", released=False) -> Campaign:
    """A campaign closed last month, with one response per dict of answers (by item code)."""
    opens = TODAY() - datetime.timedelta(days=60)
    campaign = Campaign.objects.create(
        instrument=instrument, title=title, rls=instance.rls, opens_on=opens, closes_on=opens + datetime.timedelta(30),
        min_group_size=3,
    )  # fmt: skip
    campaign.instances.set([instance])
    by_code = items(instrument)
    for n, given in enumerate(answers):
        sector = "community" if n % 2 else "public"
        response = Response.objects.create(campaign=campaign, submitted_on=opens, sector=sector, instance=instance)
        Answer.objects.bulk_create(Answer(response=response, item=by_code[code], value=v) for code, v in given.items())
    if released:
        start = timezone.now() - datetime.timedelta(days=10)
        meeting = Meeting.objects.create(
            instance=instance, title="AG", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
        )
        campaign.release_decision = Decision.objects.create(meeting=meeting, text="Diffuser", mode="consensus")
        campaign.save()
    return campaign


def likert_instrument(world, code: str, title: str = "Autre") -> Instrument:
    """An instrument of the RLS with one section of two Likert items (the codes `closed_campaign` answers)."""
    instrument = Instrument.objects.create(code=code, title_fr=title, rls=world.rls)
    section = Section.objects.create(instrument=instrument, code="climat", title_fr="Climat général")
    for position, item_code in enumerate(("ecoute", "gain")):
        Item.objects.create(section=section, code=item_code, text_fr=item_code, scale="likert", position=position)
    return instrument


def present_at_meeting(assembly, organization) -> None:
    """A two-hour meeting of the assembly earlier this year, where only `organization` was marked present."""
    start = timezone.now().replace(month=1, day=15, hour=14, minute=0)
    meeting = Meeting.objects.create(
        instance=assembly.instance, title="Assemblée", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    seat = Membership.objects.get(instance=assembly.instance, organization=organization)
    Attendance.objects.create(meeting=meeting, membership=seat, organization=organization, status="present")


FIVE = [{"ecoute": "5", "gain": "4"}, {"ecoute": "4", "gain": "4"}, {"ecoute": "2", "gain": "3"},
        {"ecoute": "5", "gain": "5"}, {"ecoute": "3"}]  # fmt: skip


@pytest.fixture
def capture_html(monkeypatch):
    """The HTML each build hands to WeasyPrint (which still makes the real PDF)."""
    import weasyprint

    seen: list[str] = []
    real = weasyprint.HTML

    def spy(*args, **kwargs):
        seen.append(kwargs.get("string", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", spy)
    return seen


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    return b"".join(response.streaming_content)


# The bilan --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("language", "lang", "heading"), [("fr", 'lang="fr-CA"', "fr"), ("en", 'lang="en-CA"', "en")])
def test_a_coordinator_gets_the_bilan_as_a_pdf_in_the_language_chosen(
    client, world, assembly, instrument, capture_html, django_capture_on_commit_callbacks, language, lang, heading
):
    ContextEvent.objects.create(rls=world.rls, date=datetime.date(2023, 5, 1), kind="merger", title="Fusion du CSSS")
    client.force_login(world.coordinator)
    start, end = datetime.date(2021, 1, 1), TODAY()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evaluation/rls/{world.rls.pk}/bilan/", {
            "period_start": start.isoformat(), "period_end": end.isoformat(), "language": language,
        })  # fmt: skip
    assert response.status_code == 302 and response.url == f"/evaluation/rls/{world.rls.pk}/#reports"
    report = Report.objects.get()
    assert (report.kind, report.status, report.progress, report.language) == ("bilan", "done", 100, language)
    assert (report.period_start, report.period_end, report.requested_by) == (start, end, world.coordinator)
    assert report.finished_at is not None and report.error == ""

    html = capture_html[-1]
    assert lang in html and "Fusion du CSSS" in html and "Assemblée des partenaires du Val" in html
    title = "Member organisations per year"  # the participation chart, translated by the concertation catalogue
    assert (fr(title) if heading == "fr" else title) in html
    dashboard = client.get(f"/evaluation/rls/{world.rls.pk}/").content.decode()
    assert f"/evaluation/reports/{report.pk}/file/" in dashboard
    assert download(client, f"/evaluation/reports/{report.pk}/file/").startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="export", object_id=str(report.pk)).count() == 1


def test_the_bilan_api_answers_202_then_the_report_is_followed_to_its_file(
    client, world, assembly, django_capture_on_commit_callbacks
):
    client.force_login(world.coordinator)
    body = {"kind": "bilan", "rls": world.rls.pk, "period_start": "2020-01-01", "period_end": TODAY().isoformat(),
            "language": "en"}  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 202
    # Answered before the task ran: waiting, nothing to download yet.
    assert (response.json()["status"], response.json()["progress"], response.json()["download_url"]) == (
        "queued", 0, None,
    )  # fmt: skip
    detail = client.get(f"/api/v1/reports/{response.json()['id']}/").json()
    assert (detail["status"], detail["progress"], detail["kind"], detail["rls"]) == ("done", 100, "bilan", world.rls.pk)
    assert detail["download_url"].endswith(f"/api/v1/reports/{detail['id']}/file/")
    assert download(client, detail["download_url"]).startswith(b"%PDF")
    listed = client.get(f"/api/v1/reports/?rls={world.rls.pk}").json()["results"]
    assert [row["id"] for row in listed] == [detail["id"]]


# A campaign's report ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["fr", "en"])
def test_a_coordinator_gets_a_campaigns_results_as_a_pdf(
    client, world, assembly, instrument, capture_html, django_capture_on_commit_callbacks, language
):
    campaign = closed_campaign(instrument, assembly.instance, FIVE)
    client.force_login(world.coordinator)
    results_page = client.get(f"/evaluation/campaigns/{campaign.pk}/results/").content.decode()
    assert f"/evaluation/campaigns/{campaign.pk}/reports/new/" in results_page  # the "PDF report" button
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/evaluation/campaigns/{campaign.pk}/reports/new/", {"language": language})
    assert response.status_code == 302 and response.url == f"/evaluation/campaigns/{campaign.pk}/reports/"
    report = Report.objects.get()
    assert (report.kind, report.campaign, report.rls, report.status) == ("campaign", campaign, world.rls, "done")

    html = capture_html[-1]
    climate = next(s for s in campaign_results(campaign).sections if s.section.code == "climat")
    mean = f"{climate.mean:.2f}".replace(".", "," if language == "fr" else ".")
    assert f'lang="{language}-CA"' in html and mean in html
    section = "Climat" if language == "fr" else "Climate"  # the instrument's own wording, in the report's language
    assert f"<h2>{section}</h2>" in html
    listed = client.get(f"/evaluation/campaigns/{campaign.pk}/reports/", headers=HTMX).content.decode()
    assert f"/evaluation/reports/{report.pk}/file/" in listed
    assert download(client, f"/evaluation/reports/{report.pk}/file/").startswith(b"%PDF")


def test_the_campaign_pdf_hides_what_the_results_page_hides(
    client, world, assembly, instrument, capture_html, django_capture_on_commit_callbacks
):
    campaign = closed_campaign(instrument, assembly.instance, FIVE[:2])  # 2 respondents: below the smallest group
    client.force_login(world.coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/api/v1/reports/", {"kind": "campaign", "campaign": campaign.pk}, content_type="application/json"
        )
    assert response.status_code == 202
    html = capture_html[-1]
    too_few = "Too few respondents to show any result without exposing someone. The results appear once enough people "
    assert fr(too_few + "have answered.") in html  # the report's language: French by default
    # Respondents' own means 4.5 and 4: the section's 4.25 must not be printed, nor any level.
    assert "4.25" not in html and "4,25" not in html and 'class="level' not in html


def test_the_campaign_page_lists_its_reports_and_each_pending_one_polls_its_progress(
    client, world, assembly, instrument
):
    campaign = closed_campaign(instrument, assembly.instance, FIVE)
    report = actions.request_campaign_report(world.coordinator, campaign, "fr")  # not built: no commit in this test
    client.force_login(world.coordinator)
    page = client.get(f"/evaluation/campaigns/{campaign.pk}/").content.decode()
    assert f'hx-get="/evaluation/campaigns/{campaign.pk}/reports/"' in page
    row = client.get(f"/evaluation/reports/{report.pk}/", headers=HTMX).content.decode()
    assert f'hx-get="/evaluation/reports/{report.pk}/"' in row and "<progress" in row and "file/" not in row

    Report.objects.filter(pk=report.pk).update(status="failed", error="pdf: OSError")
    row = client.get(f"/evaluation/reports/{report.pk}/", headers=HTMX).content.decode()
    assert "hx-get" not in row and "<progress" not in row
    assert client.get(f"/evaluation/reports/{report.pk}/file/").status_code == 404


# Who -------------------------------------------------------------------------------------------------------


def test_a_coordinator_of_another_rls_finds_neither_the_dashboard_nor_the_reports(
    client, world, assembly, instrument, django_capture_on_commit_callbacks
):
    campaign = closed_campaign(instrument, assembly.instance, FIVE)
    with django_capture_on_commit_callbacks(execute=True):
        bilan_report = actions.request_bilan(world.coordinator, world.rls, datetime.date(2022, 1, 1), TODAY(), "fr")
        campaign_report = actions.request_campaign_report(world.coordinator, campaign, "fr")
    assert Report.objects.filter(status="done").count() == 2
    client.force_login(world.other_coordinator)
    urls = [f"/evaluation/rls/{world.rls.pk}/", f"/evaluation/rls/{world.rls.pk}/bilan/",
            f"/api/v1/rls/{world.rls.pk}/dashboard/"]  # fmt: skip
    for report in (bilan_report, campaign_report):
        urls += [f"/evaluation/reports/{report.pk}/", f"/evaluation/reports/{report.pk}/file/",
                 f"/api/v1/reports/{report.pk}/", f"/api/v1/reports/{report.pk}/file/"]  # fmt: skip
    assert {url: client.get(url).status_code for url in urls} == dict.fromkeys(urls, 404)
    assert client.get("/api/v1/reports/").json()["results"] == []
    # Its own RLS's dashboard opens.
    assert client.get(f"/evaluation/rls/{world.other_rls.pk}/").status_code == 200


def test_a_representative_cannot_ask_for_a_bilan(client, world, assembly, django_capture_on_commit_callbacks):
    client.force_login(world.rep_a)
    body = {"kind": "bilan", "rls": world.rls.pk, "period_start": "2022-01-01", "period_end": TODAY().isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", body, content_type="application/json")
        page = client.post(f"/evaluation/rls/{world.rls.pk}/bilan/", {**body, "language": "fr"})
    assert response.status_code == 403
    assert page.status_code == 404  # the dashboard is not theirs to see
    assert client.get(f"/evaluation/rls/{world.rls.pk}/").status_code == 404
    assert Report.objects.count() == 0
    assert "/evaluation/rls/" not in client.get("/evaluation/campaigns/").content.decode()


def test_the_campaign_list_leads_coordinators_and_analysts_to_their_dashboard(client, world):
    for user in (world.coordinator, world.analyst):
        client.force_login(user)
        assert "/evaluation/rls/" in client.get("/evaluation/campaigns/").content.decode()
        response = client.get("/evaluation/rls/")
        assert response.status_code == 302 and response.url == f"/evaluation/rls/{world.rls.pk}/"
    client.force_login(world.admin)
    listing = client.get("/evaluation/rls/").content.decode()
    assert world.rls.name in listing and world.other_rls.name in listing


def test_an_analyst_reads_the_dashboard_without_unreleased_results_and_only_their_own_reports(
    client, world, assembly, instrument, django_capture_on_commit_callbacks
):
    hidden = closed_campaign(instrument, assembly.instance, FIVE, title="Sondage non diffusé")
    closed_campaign(likert_instrument(world, "autre"), assembly.instance, FIVE, title="Sondage diffusé", released=True)

    client.force_login(world.analyst)
    page = client.get(f"/evaluation/rls/{world.rls.pk}/").content.decode()
    assert "Sondage diffusé" in page and "Sondage non diffusé" not in page
    client.force_login(world.coordinator)
    assert "Sondage non diffusé" in client.get(f"/evaluation/rls/{world.rls.pk}/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        mine = actions.request_bilan(world.analyst, world.rls, datetime.date(2024, 1, 1), TODAY(), "fr")
        theirs = actions.request_bilan(world.coordinator, world.rls, datetime.date(2024, 1, 1), TODAY(), "fr")
    client.force_login(world.analyst)
    assert client.get(f"/evaluation/reports/{mine.pk}/file/").status_code == 200
    # The coordinator's bilan shows results the members have not released: not to the analyst.
    assert client.get(f"/evaluation/reports/{theirs.pk}/file/").status_code == 404
    client.force_login(world.coordinator)
    assert client.get(f"/evaluation/reports/{mine.pk}/file/").status_code == 200
    assert hidden.release_decision is None


# Bad input --------------------------------------------------------------------------------------------------


def _years_ago(years: int, days: int = 0) -> str:
    today = TODAY()
    return (today.replace(year=today.year - years, day=min(today.day, 28)) - datetime.timedelta(days)).isoformat()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        ("2024-06-01", "2024-05-31", "period_end"),  # the end before the start
        ("2024-01-01", (TODAY() + datetime.timedelta(days=1)).isoformat(), "period_end"),  # the end after today
        (_years_ago(15, days=1), _years_ago(0), "period_start"),  # more than fifteen years
        (None, "2024-05-31", "period_start"),  # no start
    ],
)
def test_a_bad_period_is_refused_and_nothing_is_written(
    client, world, django_capture_on_commit_callbacks, start, end, field
):
    client.force_login(world.coordinator)
    body = {"kind": "bilan", "rls": world.rls.pk, "period_end": end, "language": "fr"}
    if start:
        body["period_start"] = start
    audits = AuditEvent.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/api/v1/reports/", body, content_type="application/json")
        page = client.post(f"/evaluation/rls/{world.rls.pk}/bilan/", {k: v for k, v in body.items() if k != "kind"})
    assert response.status_code == 400 and field in response.json()
    assert page.status_code == 400
    assert Report.objects.count() == 0 and AuditEvent.objects.count() == audits


def test_fifteen_years_to_the_day_are_accepted(world):
    today = TODAY()
    start = today.replace(year=today.year - 15, day=min(today.day, 28))
    report = actions.request_bilan(world.coordinator, world.rls, start, today.replace(day=min(today.day, 28)), "en")
    assert report.pk is not None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "bilan", "rls": None, "period_start": "2024-01-01", "period_end": "2024-12-31"}, "rls"),
        ({"kind": "campaign"}, "campaign"),
        ({"kind": "atlas", "rls": 1}, "kind"),
        ({"kind": "bilan", "period_start": "2024-01-01", "period_end": "2024-12-31", "language": "de"}, "language"),
    ],
)
def test_a_report_request_missing_what_it_needs_is_refused(client, world, body, field):
    client.force_login(world.coordinator)
    if body.get("rls", 0) is not None and body["kind"] == "bilan":
        body["rls"] = world.rls.pk
    response = client.post("/api/v1/reports/", body, content_type="application/json")
    assert response.status_code == 400 and field in response.json()
    assert Report.objects.count() == 0


# Failure -----------------------------------------------------------------------------------------------------


def test_a_failing_build_is_retried_then_marked_failed(
    client, world, assembly, monkeypatch, django_capture_on_commit_callbacks
):
    import weasyprint

    tries = []

    class Broken:
        def __init__(self, *args, **kwargs):
            tries.append(1)
            raise OSError("no fonts for Alice Tremblay")

    monkeypatch.setattr(weasyprint, "HTML", Broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = actions.request_bilan(world.coordinator, world.rls, datetime.date(2022, 1, 1), TODAY(), "fr")
    report.refresh_from_db()
    assert len(tries) == tasks.MAX_ATTEMPTS
    assert (report.status, report.error, bool(report.file)) == ("failed", "pdf: OSError", False)
    assert report.finished_at is not None  # and the error names no one
    client.force_login(world.coordinator)
    row = client.get(f"/evaluation/reports/{report.pk}/", headers=HTMX).content.decode()
    assert "hx-get" not in row and client.get(f"/evaluation/reports/{report.pk}/file/").status_code == 404
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["status"] == "failed"


# The dashboard ---------------------------------------------------------------------------------------------


def test_the_dashboard_shows_each_block_with_a_link_to_its_detail(client, world, assembly, instrument):
    campaign = closed_campaign(instrument, assembly.instance, FIVE)
    small = closed_campaign(likert_instrument(world, "autre"), assembly.instance, FIVE[:2], title="Trop petit")
    ContextEvent.objects.create(rls=world.rls, date=datetime.date(2022, 3, 1), kind="merger", title="Fusion")
    Membership.objects.filter(instance=assembly.instance, organization=assembly.members[0][0]).update(
        end_date=datetime.date(2023, 6, 30), exit_reason="over_solicitation"
    )
    present_at_meeting(assembly, assembly.members[1][0])
    client.force_login(world.coordinator)
    response = client.get(f"/evaluation/rls/{world.rls.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    # Participation: the chart and its table, the event, each instance's analytics.
    participation = response.context["participation"]
    this_year = TODAY().year
    assert participation["series"][0] == {"year": 2020, "organizations": 8, "instances": 1}
    assert participation["series"][-1] == {"year": this_year, "organizations": 7, "instances": 1}
    assert "Fusion" in page and f"/concertation/instances/{assembly.instance.pk}/analytics/" in page
    # Load, agreements, surveys (the small campaign hides its figures), diagnosis.
    # One organisation of seven made every presence this year: it is the most present tenth, with 1 seat of 7.
    concentration = response.context["load"]["concentration"]
    assert (concentration["organizations"], concentration["top_seats"], concentration["presence_share"]) == (7, 1, 1)
    assert "Membre 1" in page and "14 %" in page
    assert f"/concertation/analytics/load/?territory={world.rls.pk}" in page
    surveys = {s.campaign.title: s for s in response.context["surveys"]}
    climate = next(s for s in campaign_results(campaign).sections if s.section.code == "climat")
    assert surveys["Climat 2025"].sections[0].mean == pytest.approx(climate.mean)
    assert surveys["Climat 2025"].sections[0].level == climate.level
    assert surveys["Trop petit"].suppressed and surveys["Trop petit"].sections == ()
    assert f"/evaluation/campaigns/{campaign.pk}/results/" in page and small.title in page
    placements = response.context["diagnosis"]["placements"]
    assert placements and all(f"<td>{escape(p['placement'])}</td>" in page for p in placements)
    assert f'href="/evaluation/rls/{world.rls.pk}/diagnosis/"' in page
    api = client.get(f"/api/v1/rls/{world.rls.pk}/dashboard/").json()
    assert api["participation"]["years"][0] == {"year": 2020, "organizations": 8, "instances": 1}
    assert [s["suppressed"] for s in api["surveys"]] == [False, True] or [s["suppressed"] for s in api["surveys"]] == [
        True, False,
    ]  # fmt: skip


def _grow(world, n: int) -> None:
    """n more instances of n members each (organisations of the RLS), events, campaigns with answers."""
    instrument = likert_instrument(world, f"croissance-{n}")
    for i in range(n):
        instance = Instance.objects.create(
            name=f"Table {n}-{i}", kind=Instance.Kind.ASSEMBLY, basis=Instance.Basis.TERRITORIAL, level="local",
            rls=world.rls, territory=world.rls,
        )  # fmt: skip
        for j in range(n):
            organization = OrganizationFactory(name=f"Organisme {n}-{i}-{j}", rls=world.rls)
            Membership.objects.create(
                instance=instance, organization=organization, start_date=datetime.date(2019, 1, 1)
            )
        ContextEvent.objects.create(rls=world.rls, instance=instance, date=datetime.date(2024, 2, 1), kind="other",
                                    title=f"Événement {i}")  # fmt: skip
        closed_campaign(instrument, instance, FIVE, title=f"Sondage {n}-{i}")


def test_the_dashboards_queries_do_not_grow_with_the_rls(client, world, assembly, instrument):
    closed_campaign(instrument, assembly.instance, FIVE)
    ContextEvent.objects.create(rls=world.rls, date=datetime.date(2022, 3, 1), kind="merger", title="Fusion")
    client.force_login(world.coordinator)
    url = f"/evaluation/rls/{world.rls.pk}/"
    client.get(url)  # warm the caches that the first request fills (content types, sessions)

    cache.clear()  # the dashboard's own cache would answer in a few queries: measure the computation
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as warm:
        assert client.get(url).status_code == 200
    assert len(warm.captured_queries) < len(small.captured_queries) - 20
    _grow(world, 4)
    cache.clear()
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.context["participation"]["series"][-1]["organizations"] == 8 + 16
    assert len(large.captured_queries) == len(small.captured_queries)
