"""Participatory priority setting: candidates, workshops, plenary vote, results, one vote per participant."""

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from concertation.actions import instances as instance_actions
from concertation.actions import priorities as actions
from concertation.models import Ballot, BallotChoice, Candidate
from concertation.results import exercise_results
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def assembly_with_voters(world, ves, n: int = 4):
    """The partners' assembly with n member representatives."""
    assembly, people = ves["assembly"], []
    for i in range(n):
        org = OrganizationFactory(name=f"Membre {i}", rls=world.rls)
        person = PersonFactory(first_name=f"Votant{i}")
        AffiliationFactory(person=person, organization=org)
        instance_actions.add_membership(
            world.admin, assembly, {"organization": org, "person": person, "start_date": datetime.date(2020, 1, 1)}
        )
        people.append(person)
    return assembly, people


def exercise_with_candidates(world, assembly, **options):
    exercise = actions.create_exercise(world.admin, assembly, {"title": "Priorités 2026", **options})
    origins = ["local_actors", "local_actors", "institution", "ministry"]
    candidates = [
        actions.add_candidate(world.admin, exercise, {"title": f"Besoin {i}", "origin": origin})
        for i, origin in enumerate(origins)
    ]
    return exercise, candidates


def test_full_flow_with_workshops_majority_and_origins(world, ves):
    assembly, people = assembly_with_voters(world, ves)
    exercise, (local1, local2, inst, ministry) = exercise_with_candidates(world, assembly)
    team = actions.add_workshop(world.admin, exercise, {"name": "Équipe A", "participants": people[:2]})
    actions.select_priorities(world.admin, team, [local1, local2, inst])
    voting_round = actions.open_round(world.admin, exercise)
    # The ministry's candidate was chosen by no team: it does not go to the plenary.
    with pytest.raises(ValidationError):
        actions.cast_ballot(world.admin, voting_round.exercise, people[0], {ministry.pk: 1})
    for person, chosen in zip(people, [[local1, inst], [local1], [local1, local2], [inst]], strict=True):
        actions.cast_ballot(world.admin, voting_round.exercise, person, {c.pk: 1 for c in chosen})
    actions.close_round(world.admin, voting_round.exercise)
    results = exercise_results(exercise)
    by_title = {row["title"]: row for row in results["candidates"]}
    assert results["voters"] == 4
    assert by_title["Besoin 0"]["adherents"] == 3 and by_title["Besoin 0"]["retained"]  # 75 % > 50 %
    assert by_title["Besoin 2"]["share"] == 50.0 and not by_title["Besoin 2"]["retained"]  # a tie is no majority
    assert by_title["Besoin 0"]["teams"] == 1
    assert results["origins"] == {"local": 1, "institutional": 0, "evidence": 0}
    assert results["local_share"] == 100.0


def test_threshold_is_configurable(world, ves):
    assembly, people = assembly_with_voters(world, ves, 5)
    exercise, (first, *_rest) = exercise_with_candidates(world, assembly, threshold=60)
    voting_round = actions.open_round(world.admin, exercise)
    for person in people[:3]:  # 3 of 5 = 60 %: not strictly above 60
        actions.cast_ballot(world.admin, voting_round.exercise, person, {first.pk: 1})
    actions.cast_ballot(world.admin, voting_round.exercise, people[3], {})
    actions.cast_ballot(world.admin, voting_round.exercise, people[4], {})
    actions.close_round(world.admin, voting_round.exercise)
    assert not exercise_results(exercise)["candidates"][0]["retained"]
    exercise.threshold = 50
    exercise.save()
    assert exercise_results(exercise)["candidates"][0]["retained"]


def test_points_voting_and_the_allowance(world, ves):
    assembly, people = assembly_with_voters(world, ves, 2)
    exercise, (a, b, *_rest) = exercise_with_candidates(world, assembly, method="points", points_per_voter=3)
    voting_round = actions.open_round(world.admin, exercise)
    with pytest.raises(ValidationError) as error:
        actions.cast_ballot(world.admin, voting_round.exercise, people[0], {a.pk: 3, b.pk: 1})
    assert "3" in str(error.value)
    assert not Ballot.objects.exists()
    actions.cast_ballot(world.admin, voting_round.exercise, people[0], {a.pk: 2, b.pk: 1})
    actions.cast_ballot(world.admin, voting_round.exercise, people[1], {a.pk: 3})
    actions.close_round(world.admin, voting_round.exercise)
    rows = {row["title"]: row for row in exercise_results(exercise)["candidates"]}
    assert rows["Besoin 0"]["points"] == 5 and rows["Besoin 0"]["adherents"] == 2
    assert rows["Besoin 1"]["points"] == 1 and rows["Besoin 1"]["adherents"] == 1


def test_a_member_voting_twice_is_refused_and_nothing_is_written(world, ves):
    assembly, people = assembly_with_voters(world, ves, 1)
    exercise, (a, b, *_rest) = exercise_with_candidates(world, assembly)
    voting_round = actions.open_round(world.admin, exercise)
    actions.cast_ballot(world.admin, voting_round.exercise, people[0], {a.pk: 1})
    with pytest.raises(ValidationError) as error:
        actions.cast_ballot(world.admin, voting_round.exercise, people[0], {b.pk: 1})
    assert "already voted" in str(error.value) or "déjà voté" in str(error.value)
    assert Ballot.objects.count() == 1 and BallotChoice.objects.count() == 1


def test_a_vote_outside_an_open_round_is_refused(world, ves):
    assembly, people = assembly_with_voters(world, ves, 1)
    exercise, (a, *_rest) = exercise_with_candidates(world, assembly)
    voting_round = actions.open_round(world.admin, exercise)
    actions.close_round(world.admin, voting_round.exercise)
    with pytest.raises(ValidationError):
        actions.cast_ballot(world.admin, voting_round.exercise, people[0], {a.pk: 1})
    assert not Ballot.objects.exists()


def test_secret_ballots_keep_no_link_and_named_ones_do(world, ves):
    assembly, people = assembly_with_voters(world, ves, 1)
    secret, (a, *_rest) = exercise_with_candidates(world, assembly, secret=True)
    actions.cast_ballot(world.admin, actions.open_round(world.admin, secret).exercise, people[0], {a.pk: 1})
    assert BallotChoice.objects.get(candidate=a).ballot is None
    named, (b, *_rest) = exercise_with_candidates(world, assembly, secret=False, title="Nommé")
    ballot = actions.cast_ballot(world.admin, actions.open_round(world.admin, named).exercise, people[0], {b.pk: 1})
    assert BallotChoice.objects.get(candidate=b).ballot == ballot


def test_pages_flow_and_permissions(client, world, ves):
    assembly, people = assembly_with_voters(world, ves, 2)
    client.force_login(world.coordinator)
    settings = {"title": "Priorités", "method": "approval", "points_per_voter": 5, "threshold": 50}
    response = client.post(reverse("concertation:exercise_create", args=[assembly.pk]), settings)
    exercise = assembly.priority_exercises.get()
    assert response.status_code == 302
    client.post(
        reverse("concertation:candidate_add", args=[exercise.pk]), {"title": "Transport", "origin": "local_actors"}
    )
    candidate = Candidate.objects.get(title="Transport")
    client.post(reverse("concertation:round_open", args=[exercise.pk]))
    client.post(
        reverse("concertation:ballot_cast", args=[exercise.pk]), {"voter": people[0].pk, f"c{candidate.pk}": "on"}
    )
    twice = client.post(
        reverse("concertation:ballot_cast", args=[exercise.pk]),
        {"voter": people[0].pk, f"c{candidate.pk}": "on"},
    )
    assert Ballot.objects.count() == 1
    assert twice.status_code == 409 and "déjà voté" in twice.content.decode()
    client.post(reverse("concertation:round_close", args=[exercise.pk]))
    results = client.get(reverse("concertation:exercise_results", args=[exercise.pk]))
    assert results.status_code == 200 and "<svg" in results.content.decode()
    # A member's representative reads but cannot run the exercise; a stranger does not see it.
    instance_actions.add_membership(
        world.admin, assembly, {"organization": world.org_b, "start_date": datetime.date(2020, 1, 1)}
    )
    client.force_login(world.rep_b)
    assert client.get(exercise.get_absolute_url()).status_code == 200
    assert client.post(reverse("concertation:round_open", args=[exercise.pk])).status_code == 403
    client.force_login(world.other_coordinator)
    assert client.get(exercise.get_absolute_url()).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_simultaneous_votes_by_the_same_participant_leave_one_ballot(world, ves):
    """Two requests at once (two threads, two connections): the database constraint keeps exactly one ballot."""
    assembly, people = assembly_with_voters(world, ves, 1)
    exercise, (a, b, *_rest) = exercise_with_candidates(world, assembly)
    voting_round = actions.open_round(world.admin, exercise)
    barrier, outcomes = threading.Barrier(2), []

    def vote(candidate):
        try:
            barrier.wait()
            actions.cast_ballot(world.admin, voting_round.exercise, people[0], {candidate.pk: 1})
            outcomes.append("ok")
        except ValidationError:
            outcomes.append("refused")
        except Exception as error:  # SQLite may answer "database is locked" to the loser instead
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(c,)) for c in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("ok") == 1, outcomes
    assert Ballot.objects.filter(round=voting_round, voter=people[0]).count() == 1
    assert BallotChoice.objects.filter(round=voting_round).count() == 1


def test_members_propose_candidates_for_their_organisation_or_committee(client, world, ves):
    assembly, people = assembly_with_voters(world, ves, 1)
    exercise, _candidates = exercise_with_candidates(world, assembly)
    instance_actions.add_membership(
        world.admin, assembly, {"organization": world.org_a, "start_date": datetime.date(2020, 1, 1)}
    )
    url = reverse("concertation:candidate_propose", args=[exercise.pk])
    client.force_login(world.rep_a)
    page = client.get(exercise.get_absolute_url())
    assert reverse("concertation:candidate_propose", args=[exercise.pk]) in page.content.decode()
    # On behalf of an organisation they do not represent: refused, nothing written.
    client.post(
        url, {"proposal-title": "Logement", "proposal-origin": "local_actors", "proposal-proposed_by": world.org_b.pk}
    )
    assert not Candidate.objects.filter(title="Logement").exists()
    client.post(
        url, {"proposal-title": "Logement", "proposal-origin": "local_actors", "proposal-proposed_by": world.org_a.pk}
    )
    assert Candidate.objects.get(title="Logement").proposed_by == world.org_a
    # The coordinator of a local action committee under the assembly proposes for the committee.
    assembly.is_public = True
    assembly.save()
    ves["local"].coordinators.add(world.rep_b)
    client.force_login(world.rep_b)
    client.post(url, {"proposal-title": "Sécurité alimentaire", "proposal-origin": "local_actors",
                      "proposal-proposed_by_instance": ves["local"].pk})  # fmt: skip
    assert Candidate.objects.get(title="Sécurité alimentaire").proposed_by_instance == ves["local"]
    # A reader who is neither a member nor a committee coordinator may not propose; nor may anyone after the plenary.
    client.force_login(world.analyst)
    assert client.post(url, {"proposal-title": "X", "proposal-origin": "ministry"}).status_code == 403
    actions.open_round(world.admin, exercise)
    client.force_login(world.rep_a)
    client.post(
        url, {"proposal-title": "Trop tard", "proposal-origin": "local_actors", "proposal-proposed_by": world.org_a.pk}
    )
    assert not Candidate.objects.filter(title="Trop tard").exists()


def test_coordinators_edit_and_remove_candidates_before_the_plenary(client, world, ves):
    assembly, _people = assembly_with_voters(world, ves, 1)
    exercise, (a, b, *_rest) = exercise_with_candidates(world, assembly)
    client.force_login(world.coordinator)
    edit = reverse("concertation:candidate_edit", args=[exercise.pk]) + f"?candidate={a.pk}"
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"title": "Transport adapté", "origin": "evidence"})
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.title, a.origin) == ("Transport adapté", "evidence")
    remove = reverse("concertation:candidate_remove", args=[exercise.pk])
    _other, (foreign, *_rest) = exercise_with_candidates(world, assembly, title="Autre")
    assert client.post(remove, {"candidate": foreign.pk}).status_code == 404  # another exercise's candidate
    assert client.post(remove, {"candidate": "x"}).status_code == 404
    client.post(remove, {"candidate": b.pk})
    assert not Candidate.objects.filter(pk=b.pk).exists()
    history = client.get(reverse("concertation:exercise_history", args=[exercise.pk])).content.decode()
    assert "Transport adapté" in history
    actions.open_round(world.admin, exercise)
    client.post(edit, {"title": "Après coup", "origin": "local_actors"})
    a.refresh_from_db()
    assert a.title == "Transport adapté"


@pytest.mark.parametrize("who", ["rep_a", "analyst"])
def test_only_coordinators_run_the_exercise(client, world, ves, who):
    assembly, people = assembly_with_voters(world, ves, 1)
    instance_actions.add_membership(
        world.admin, assembly, {"organization": world.org_a, "start_date": datetime.date(2020, 1, 1)}
    )
    exercise, (a, *_rest) = exercise_with_candidates(world, assembly)
    client.force_login(getattr(world, who))
    posts = [
        (reverse("concertation:exercise_create", args=[assembly.pk]), {"title": "X", "method": "approval",
                                                                      "points_per_voter": 5, "threshold": 50}),
        (reverse("concertation:candidate_add", args=[exercise.pk]), {"title": "X", "origin": "ministry"}),
        (reverse("concertation:candidate_edit", args=[exercise.pk]) + f"?candidate={a.pk}",
         {"title": "X", "origin": "ministry"}),
        (reverse("concertation:candidate_remove", args=[exercise.pk]), {"candidate": a.pk}),
        (reverse("concertation:workshop_add", args=[exercise.pk]), {"name": "X"}),
        (reverse("concertation:round_open", args=[exercise.pk]), {}),
        (reverse("concertation:round_close", args=[exercise.pk]), {}),
    ]  # fmt: skip
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert Candidate.objects.filter(exercise=exercise).count() == 4 and not exercise.rounds.exists()
    client.force_login(world.other_coordinator)
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    assert client.get(reverse("concertation:exercise_results", args=[exercise.pk])).status_code == 404


def test_a_participant_with_an_account_votes_as_themselves_only(client, world, ves):
    assembly, people = assembly_with_voters(world, ves, 2)
    people[0].account = world.nobody
    people[0].save()
    exercise, (a, *_rest) = exercise_with_candidates(world, assembly)
    actions.open_round(world.admin, exercise)
    client.force_login(world.nobody)
    page = client.get(exercise.get_absolute_url()).content.decode()
    assert reverse("concertation:ballot_cast", args=[exercise.pk]) in page
    url = reverse("concertation:ballot_cast", args=[exercise.pk])
    client.post(url, {"voter": people[1].pk, f"c{a.pk}": "on"})
    assert not Ballot.objects.exists()
    client.post(url, {"voter": people[0].pk, f"c{a.pk}": "on"})
    ballot = Ballot.objects.get()
    assert (ballot.voter, ballot.recorded_by) == (people[0], world.nobody)
    assert url not in client.get(exercise.get_absolute_url()).content.decode()  # no second ballot form
    # Someone who takes no part in the plenary cannot vote.
    client.force_login(world.analyst)
    assert client.post(url, {"voter": people[1].pk, f"c{a.pk}": "on"}).status_code == 403


def test_a_second_round_and_named_results(client, world, ves):
    assembly, people = assembly_with_voters(world, ves, 2)
    exercise, (a, b, *_rest) = exercise_with_candidates(world, assembly, secret=False)
    client.force_login(world.coordinator)
    client.post(reverse("concertation:round_open", args=[exercise.pk]))
    first = exercise.rounds.get()
    actions.cast_ballot(world.coordinator, first.exercise, people[0], {a.pk: 1})
    client.post(reverse("concertation:round_close", args=[exercise.pk]), {"another": "1"})
    exercise.refresh_from_db()
    assert exercise.status == "plenary"
    client.post(reverse("concertation:round_open", args=[exercise.pk]))
    second = exercise.rounds.get(number=2)
    actions.cast_ballot(world.coordinator, second.exercise, people[0], {b.pk: 1})  # a new round: a new ballot
    actions.cast_ballot(world.coordinator, second.exercise, people[1], {b.pk: 1})
    client.post(reverse("concertation:round_close", args=[exercise.pk]))
    exercise.refresh_from_db()
    assert exercise.status == "closed"
    results = exercise_results(exercise)
    assert results["round"] == 2 and results["voters"] == 2
    assert [r["title"] for r in results["candidates"] if r["retained"]] == ["Besoin 1"]
    assert exercise_results(exercise, first)["candidates"][0]["title"] == "Besoin 0"
    page = client.get(reverse("concertation:exercise_results", args=[exercise.pk])).content.decode()
    assert str(people[1]) in page  # a named ballot: who adhered to what
    page = client.get(reverse("concertation:exercise_results", args=[exercise.pk]) + "?round=1").content.decode()
    assert str(people[0]) in page and str(people[1]) not in page


def test_secret_results_page_names_nobody(client, world, ves):
    assembly, people = assembly_with_voters(world, ves, 1)
    exercise, (a, *_rest) = exercise_with_candidates(world, assembly, secret=True)
    voting_round = actions.open_round(world.admin, exercise)
    actions.cast_ballot(world.admin, voting_round.exercise, people[0], {a.pk: 1})
    actions.close_round(world.admin, voting_round.exercise)
    client.force_login(world.coordinator)
    page = client.get(reverse("concertation:exercise_results", args=[exercise.pk])).content.decode()
    assert str(people[0]) not in page and "<svg" in page


def test_an_open_secret_round_keeps_its_tallies_sealed(client, world, ves):
    """Counts moving after each ballot would tell who voted for what: they appear when the round closes."""
    assembly, people = assembly_with_voters(world, ves, 2)
    exercise, (a, *_rest) = exercise_with_candidates(world, assembly, secret=True)
    voting_round = actions.open_round(world.admin, exercise)
    actions.cast_ballot(world.admin, voting_round.exercise, people[0], {a.pk: 1})
    sealed = exercise_results(exercise)
    assert sealed["sealed"] and sealed["voters"] == 1 and sealed["retained"] == 0
    assert all(row["adherents"] is None and row["share"] is None for row in sealed["candidates"])
    client.force_login(world.coordinator)
    page = client.get(reverse("concertation:exercise_results", args=[exercise.pk]))
    assert page.status_code == 200 and "<svg" not in page.content.decode()
    actions.close_round(world.admin, voting_round.exercise)
    opened = exercise_results(exercise)
    assert not opened["sealed"] and opened["candidates"][0]["adherents"] == 1
    # A named round shows its provisional counts while open.
    named, (b, *_rest) = exercise_with_candidates(world, assembly, secret=False, title="Nommé")
    actions.cast_ballot(world.admin, actions.open_round(world.admin, named).exercise, people[0], {b.pk: 1})
    assert exercise_results(named)["candidates"][0]["adherents"] == 1
