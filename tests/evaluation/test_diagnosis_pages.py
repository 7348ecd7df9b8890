"""The diagnosis pages and their API twins as their users meet them: a coordinator opens the diagnosis of the
assembly and sees each placement's evidence and the participation curve with its events; a member contests a
placement from the page and through the API alike; nobody outside reads it, an analyst reads the RLS's without
annotating it; bad input writes nothing; the page's queries do not grow with the instance."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concertation.models import Candidate, ContextEvent, Meeting, Membership, PriorityExercise, VotingRound
from concertation.models.priorities import Ballot, BallotChoice
from core.models import AuditEvent
from evaluation.actions import notes as note_actions
from evaluation.diagnosis import diagnose_instance
from evaluation.diagnosis.rules import DIMENSIONS
from evaluation.models import PlacementNote
from registry.models import RoleAssignment
from tests.factories import OrganizationFactory, PersonFactory, UserFactory, grant

pytestmark = pytest.mark.django_db
D = datetime.date
ROLE = RoleAssignment.Role
INSTANCE_DIMENSIONS = [code for code, d in DIMENSIONS.items() if "instance" in d.scopes]
CONTEST = {"dimension": "instrumentation_appropriation", "stance": "contest", "text": "Les priorités viennent du CISSS"}


# Building data ----------------------------------------------------------------------------------------------


def english(*users) -> None:
    """Pages in their English source wording, whatever the catalogue holds (the profile's language)."""
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


def meeting(instance, day: datetime.date) -> Meeting:
    starts = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    return Meeting.objects.create(instance=instance, title=f"Rencontre {day}", starts_at=starts,
                                  ends_at=starts + datetime.timedelta(hours=2), status=Meeting.Status.HELD)  # fmt: skip


def local_priorities(instance, year: int) -> None:
    """A plenary in `year` that retains two candidates of local actors (three voters adhere to both)."""
    exercise = PriorityExercise.objects.create(instance=instance, title=f"Priorités {year}", secret=False)
    closed = timezone.make_aware(datetime.datetime(year, 5, 1, 12))
    voting = VotingRound.objects.create(exercise=exercise, number=1, opened_at=closed, closed_at=closed)
    kept = [Candidate.objects.create(exercise=exercise, title=f"Besoin {n}", origin="local_actors") for n in range(2)]
    for n in range(3):
        ballot = Ballot.objects.create(round=voting, voter=PersonFactory())
        for candidate in kept:
            BallotChoice.objects.create(round=voting, candidate=candidate, ballot=ballot, ballot_key=f"k{n}")


def active(instance, members: int, start: int = 2020) -> None:
    """`members` more member organisations, one chaired by a community organisation, meetings and local priorities:
    enough for the rules to place the instance on instrumentation / appropriation."""
    for n in range(members):
        organization = OrganizationFactory(sector="community" if n % 2 else "public", rls=instance.rls)
        role = Membership.Role.CHAIR if n == 1 else Membership.Role.MEMBER
        Membership.objects.create(instance=instance, organization=organization, person=PersonFactory(), role=role,
                                  start_date=D(start, 1, 1))  # fmt: skip
    for month in (3, 6):
        meeting(instance, D(start + 1, month, 1))
    local_priorities(instance, start + 1)


def representative(organization, username: str):
    user = grant(UserFactory(username=username), ROLE.REPRESENTATIVE, organization=organization)
    english(user)
    return user


@pytest.fixture
def member(assembly):
    """The representative of the assembly's first member organisation (a community organisation)."""
    return representative(assembly.members[0][0], "membre")


@pytest.fixture
def placed(world, assembly):
    active(assembly.instance, 2)
    english(world.coordinator, world.analyst, world.rep_b, world.other_coordinator)
    return assembly.instance


def page(instance) -> str:
    return reverse("evaluation:instance_diagnosis", args=[instance.pk])


def api(instance) -> str:
    return f"/api/v1/instances/{instance.pk}/diagnosis/"


def written() -> tuple[int, int]:
    return PlacementNote.objects.count(), AuditEvent.objects.filter(content_type__model="placementnote").count()


def card(html: str, dimension: str) -> str:
    """The card of one dimension, as the page shows it."""
    start = html.index(f'id="dimension-{dimension}"')
    return html[start : html.index("</section>", start)]


# Reading ------------------------------------------------------------------------------------------------------


def test_the_page_shows_each_dimension_with_its_evidence_and_the_curve_with_its_events(client, world, placed):
    ContextEvent.objects.create(rls=world.rls, instance=placed, date=D(2021, 9, 15), kind="manager_turnover",
                                title="Départ de la gestionnaire")  # fmt: skip
    client.force_login(world.coordinator)
    response = client.get(page(placed))
    html = response.content.decode()
    assert response.status_code == 200
    for dimension in INSTANCE_DIMENSIONS:
        assert f'id="dimension-{dimension}"' in html, dimension
    appropriation = card(html, "instrumentation_appropriation")
    assert "Appropriation" in appropriation
    assert "Retained priorities from local actors or the population — <strong>100%</strong>" in appropriation
    assert "Rule:" in appropriation and "Chair seats held by public institutions" in appropriation
    # Not enough data is said plainly, with what to record.
    bourque = card(html, "bourque_type")  # the assembly's object is not said
    assert "Insufficient evidence" in bourque and "To read it, record in Maillage:" in bourque
    assert "<strong>Object of the partnership</strong> (now: no data)" in bourque
    assert "Level — <strong>Local</strong>" in bourque  # already recorded, said apart
    # The curve marks the event at its date, and the page lists it under its number.
    assert "2021-09-15 — Départ de la gestionnaire" in html
    assert "Context events on the curve" in html and "Manager turnover" in html
    assert '<h2 id="suggestions">Suggestions</h2>' in html and "<details>" in html


def test_the_instance_page_links_to_its_diagnosis(client, world, placed):
    client.force_login(world.coordinator)
    html = client.get(placed.get_absolute_url()).content.decode()
    assert f'href="{page(placed)}"' in html


def test_the_api_answers_the_same_diagnosis(client, world, placed):
    client.force_login(world.coordinator)
    body = client.get(api(placed)).json()
    assert set(body) == {"period", "placements", "indicators", "recommendations"}
    expected = diagnose_instance(placed, include_unreleased=True)
    assert [(p["dimension"], p["placement"]) for p in body["placements"]] == [
        (p.dimension, p.placement) for p in expected.placements
    ]
    first = next(p for p in body["placements"] if p["dimension"] == "instrumentation_appropriation")
    assert set(first) == {"dimension", "dimension_label", "placement", "label", "confidence", "rule", "evidence",
                          "notes"}  # fmt: skip
    assert {"indicator": "priority_local_share", "value": 100.0} in [
        {k: e[k] for k in ("indicator", "value")} for e in first["evidence"]
    ]
    assert set(body["indicators"][0]) == {"code", "label", "value", "unit", "source", "detail"}
    assert set(body["recommendations"][0]) == {"condition", "suggestion", "source"}
    assert body["period"][-1] == timezone.localdate().year


def test_a_year_narrows_the_diagnosis_to_it(client, world, placed):
    client.force_login(world.coordinator)
    assert client.get(api(placed), {"year": 2021}).json()["period"] == [2021]
    html = client.get(page(placed), {"year": 2021}).content.decode()
    assert '<option value="2021" selected>' in html


# A member contests a placement ---------------------------------------------------------------------------------


def test_a_member_contests_a_placement_from_the_page_and_the_note_stays_beside_it(client, placed, assembly, member):
    client.force_login(member)
    html = client.get(page(placed)).content.decode()
    assert 'id="note-instrumentation_appropriation-stance_1"' in card(html, "instrumentation_appropriation")
    note_url = reverse("evaluation:instance_diagnosis_note", args=[placed.pk])
    response = client.post(note_url, CONTEST)
    assert response.status_code == 302
    assert response.url == f"{page(placed)}#dimension-instrumentation_appropriation"
    note = PlacementNote.objects.get()
    assert (note.placement, note.author, note.author_organization) == ("appropriation", member, assembly.members[0][0])
    assert note.rls == placed.rls and note.year is None
    beside = card(client.get(page(placed)).content.decode(), "instrumentation_appropriation")
    assert CONTEST["text"] in beside and "Contest" in beside and assembly.members[0][0].name in beside
    assert AuditEvent.objects.filter(action="create", content_type__model="placementnote").count() == 1


def test_the_api_contests_the_same_way(client, placed, assembly, member):
    client.force_login(member)
    response = client.post(f"{api(placed)}notes/", CONTEST, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["placement"] == "appropriation" and body["stance"] == "contest" and body["can_delete"] is True
    assert body["author_organization"] == {"id": assembly.members[0][0].pk, "name": assembly.members[0][0].name}
    placements = client.get(api(placed)).json()["placements"]
    notes = next(p["notes"] for p in placements if p["dimension"] == "instrumentation_appropriation")
    assert [n["text"] for n in notes] == [CONTEST["text"]]
    assert all(p["notes"] == [] for p in placements if p["dimension"] != "instrumentation_appropriation")


def test_a_note_on_a_year_keeps_the_placement_of_that_year(client, placed, member):
    client.force_login(member)
    data = {"dimension": "instrumentation_appropriation", "stance": "agree", "text": "Oui.", "year": 2020}
    assert client.post(f"{api(placed)}notes/", data, content_type="application/json").status_code == 201
    note = PlacementNote.objects.get()
    assert (note.year, note.placement) == (2020, "insufficient_evidence")  # no meeting yet in 2020


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"dimension": "nothing"}, "dimension"),
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({"stance": "veto"}, "stance"),
        ({"year": "abc"}, "year"),
        ({"year": 1800}, "year"),
    ],
)
def test_bad_input_is_refused_alike_by_the_page_and_the_api_and_writes_nothing(client, placed, member, change, field):
    client.force_login(member)
    data = {"dimension": "risks", "stance": "comment", "text": "Un commentaire.", **change}
    before = written()
    page_answer = client.post(reverse("evaluation:instance_diagnosis_note", args=[placed.pk]), data)
    api_answer = client.post(f"{api(placed)}notes/", data, content_type="application/json")
    assert (page_answer.status_code, api_answer.status_code) == (400, 400)
    assert field in page_answer.context["form"].errors and field in api_answer.json()
    assert written() == before


def test_an_rls_has_no_bourque_type_to_annotate(client, world, placed):
    client.force_login(world.coordinator)
    data = {"dimension": "bourque_type", "stance": "comment", "text": "?"}
    api_answer = client.post(f"/api/v1/rls/{world.rls.pk}/diagnosis/notes/", data, content_type="application/json")
    assert api_answer.json() == {"dimension": ["Choose one of the dimensions of the diagnosis."]}
    page_answer = client.post(reverse("evaluation:rls_diagnosis_note", args=[world.rls.pk]), data)
    assert page_answer.status_code == 400 and written() == (0, 0)


@pytest.mark.parametrize("year", ["abc", "1800", "3000", "-1"])
def test_a_bad_year_answers_400_with_its_reason(client, world, placed, year):
    client.force_login(world.coordinator)
    for url in (page(placed), reverse("evaluation:rls_diagnosis", args=[world.rls.pk])):
        response = client.get(url, {"year": year})
        assert response.status_code == 400 and "This year cannot be read" in response.content.decode()
    for url in (api(placed), f"/api/v1/rls/{world.rls.pk}/diagnosis/"):
        response = client.get(url, {"year": year})
        assert response.status_code == 400 and list(response.json()) == ["year"]


# Who reads, who annotates ---------------------------------------------------------------------------------------


def test_a_representative_of_a_non_member_organisation_finds_nothing(client, world, placed):
    client.force_login(world.rep_b)
    data = {"dimension": "risks", "stance": "contest", "text": "Non."}
    assert client.get(page(placed)).status_code == 404
    assert client.get(api(placed)).status_code == 404
    assert client.post(reverse("evaluation:instance_diagnosis_note", args=[placed.pk]), data).status_code == 404
    assert client.post(f"{api(placed)}notes/", data, content_type="application/json").status_code == 404
    assert written() == (0, 0)


def test_another_rls_coordinator_finds_neither_diagnosis(client, world, placed):
    client.force_login(world.other_coordinator)
    rls_page = reverse("evaluation:rls_diagnosis", args=[world.rls.pk])
    for url in (page(placed), api(placed), rls_page, f"/api/v1/rls/{world.rls.pk}/diagnosis/"):
        assert client.get(url).status_code == 404, url
    data = {"dimension": "risks", "stance": "contest", "text": "Non."}
    assert client.post(f"/api/v1/rls/{world.rls.pk}/diagnosis/notes/", data).status_code == 404
    assert client.post(reverse("evaluation:rls_diagnosis_note", args=[world.rls.pk]), data).status_code == 404
    assert written() == (0, 0)


def test_an_analyst_reads_the_rls_diagnosis_but_does_not_annotate_it(client, world, placed):
    client.force_login(world.analyst)
    rls_page = reverse("evaluation:rls_diagnosis", args=[world.rls.pk])
    html = client.get(rls_page).content.decode()
    assert 'id="dimension-instrumentation_appropriation"' in html and "Add the note" not in html
    assert client.get(f"/api/v1/rls/{world.rls.pk}/diagnosis/").status_code == 200
    data = {"dimension": "risks", "stance": "contest", "text": "Non."}
    assert client.post(reverse("evaluation:rls_diagnosis_note", args=[world.rls.pk]), data).status_code == 403
    api_answer = client.post(f"/api/v1/rls/{world.rls.pk}/diagnosis/notes/", data, content_type="application/json")
    assert api_answer.status_code == 403
    assert written() == (0, 0)


def test_the_rls_coordinator_annotates_the_rls_diagnosis(client, world, placed):
    client.force_login(world.coordinator)
    data = {"dimension": "risks", "stance": "comment", "text": "À suivre."}
    response = client.post(reverse("evaluation:rls_diagnosis_note", args=[world.rls.pk]), data)
    assert response.status_code == 302
    note = PlacementNote.objects.get()
    assert note.instance is None and note.author_organization is None
    assert "À suivre." in card(client.get(response.url).content.decode(), "risks")
    # The RLS's note is not beside the instance's diagnosis.
    assert "À suivre." not in client.get(page(placed)).content.decode()


def test_who_may_read_and_annotate(world, placed, member):
    instance, rls = placed, world.rls
    table = {
        world.admin: (True, True, True, True),
        world.coordinator: (True, True, True, True),
        world.analyst: (True, True, False, False),
        member: (True, False, True, False),
        world.rep_b: (False, False, False, False),
        world.other_coordinator: (False, False, False, False),
        world.nobody: (False, False, False, False),
    }
    for user, expected in table.items():
        found = (
            user.has_perm("evaluation.view_instance_diagnosis", instance),
            user.has_perm("evaluation.view_rls_diagnosis", rls),
            user.has_perm("evaluation.annotate_instance_diagnosis", instance),
            user.has_perm("evaluation.annotate_rls_diagnosis", rls),
        )
        assert found == expected, user.username


# Deleting a note ----------------------------------------------------------------------------------------------------


def test_a_note_is_deleted_by_its_author_or_a_coordinator_only(client, world, placed, assembly, member):
    other = representative(assembly.members[1][0], "autre")
    note = note_actions.annotate_placement(member, instance=placed, dimension="risks", placement="none_detected",
                                           stance="contest", text="Non.")  # fmt: skip
    delete = reverse("evaluation:diagnosis_note_delete", args=[note.pk])
    client.force_login(other)
    assert 'action="' + delete not in client.get(page(placed)).content.decode()
    assert client.post(delete).status_code == 403
    assert client.delete(f"/api/v1/diagnosis-notes/{note.pk}/").status_code == 403
    client.force_login(world.rep_b)
    assert client.delete(f"/api/v1/diagnosis-notes/{note.pk}/").status_code == 404
    assert PlacementNote.objects.count() == 1
    client.force_login(member)
    response = client.post(delete)
    assert response.status_code == 302 and response.url == f"{page(placed)}#dimension-risks"
    assert not PlacementNote.objects.exists()
    again = note_actions.annotate_placement(member, instance=placed, dimension="risks", placement="none_detected",
                                            stance="agree", text="Oui.")  # fmt: skip
    client.force_login(world.coordinator)
    assert client.delete(f"/api/v1/diagnosis-notes/{again.pk}/").status_code == 204
    assert not PlacementNote.objects.exists()
    assert AuditEvent.objects.filter(action="delete", content_type__model="placementnote").count() == 2


# Queries -------------------------------------------------------------------------------------------------------------


def page_queries(client, instance) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(instance)).status_code == 200
    return len(queries)


def test_the_page_queries_do_not_grow_with_the_instance(client, world, placed, assembly, member):
    from concertation.models import Instance

    small = Instance.objects.create(name="Petite table", kind="table", basis="territorial", level="local",
                                    rls=world.rls)  # fmt: skip
    active(small, 2)
    ContextEvent.objects.create(rls=world.rls, instance=small, date=D(2021, 2, 1), kind="other", title="Un")
    note_actions.annotate_placement(world.coordinator, instance=small, dimension="risks", placement="none_detected",
                                    stance="comment", text="Un.")  # fmt: skip
    # The assembly: four times the members, more events, exits, and notes by several authors of several organisations.
    for n in range(4):
        ContextEvent.objects.create(rls=world.rls, instance=placed, date=D(2021, n + 1, 1), kind="other", title=f"E{n}")
    for organization, _person in assembly.members[4:]:
        Membership.objects.filter(instance=placed, organization=organization).update(
            end_date=D(2022, 6, 30), exit_reason="over_solicitation"
        )
    for n, (organization, _person) in enumerate(assembly.members[:4]):
        author = representative(organization, f"auteur{n}")
        for dimension in ("risks", "vaillancourt"):
            note_actions.annotate_placement(author, instance=placed, dimension=dimension, placement="x",
                                            stance="contest", text=f"Note {n}")  # fmt: skip
    client.force_login(world.coordinator)
    page_queries(client, small)  # the session, once
    cache.clear()  # the diagnosis itself is computed each time here (its cache is tested below)
    baseline = page_queries(client, small)
    cache.clear()
    assert page_queries(client, placed) <= baseline


def test_the_diagnosis_is_kept_until_something_is_written(client, world, placed, member):
    """Computed once, then read from the cache; any audited write (here a context event) or a new survey answer
    changes the data stamp, so the next page reads the new data."""
    from concertation.actions import timeline

    client.force_login(world.coordinator)
    cold = page_queries(client, placed)
    warm = page_queries(client, placed)
    assert warm < cold - 10
    timeline.add_context_event(world.coordinator, {
        "rls": world.rls, "instance": placed, "date": D(2022, 3, 1), "kind": "change_of_direction",
        "title": "Nouvelle direction",
    })  # fmt: skip
    assert page_queries(client, placed) == cold


def test_a_page_reads_the_data_stamp_once(client, world, placed):
    """The diagnosis, the curve and the page's shared parts are kept under one stamp, read once per request."""
    client.force_login(world.coordinator)
    client.get(page(placed))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page(placed)).status_code == 200
    stamps = [q["sql"] for q in queries if "max(" in q["sql"].lower() and "evaluation_response" in q["sql"]]
    assert len(stamps) == 1
