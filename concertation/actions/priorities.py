"""Priority exercises: candidates, workshops, plenary rounds and ballots (one per participant per round).

The instance's coordinators run the exercise; members propose candidates while they are collected; a participant
whose account is linked to their person votes as themself (docs/roles-and-permissions.md).
"""

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concertation import rules as scope
from concertation.actions.common import apply
from concertation.models import (
    Ballot,
    BallotChoice,
    Candidate,
    Instance,
    PriorityExercise,
    VotingRound,
    Workshop,
    WorkshopSelection,
)
from concertation.results import latest_round, plenary_candidates
from concertation.rules import eligible_voters
from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent
from registry.models import Person

__all__ = ["eligible_voters"]  # read by the pages and the API with the actions

EXERCISE_FIELDS = ["title", "description", "method", "points_per_voter", "threshold", "secret"]
CANDIDATE_FIELDS = ["title", "description", "origin", "proposed_by", "proposed_by_instance"]
BEFORE_PLENARY = (PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)


def _require(acting_user, exercise: PriorityExercise) -> None:
    guard.require(acting_user, "concertation.change_instance", exercise.instance)


def _check_status(exercise: PriorityExercise, *allowed: str) -> None:
    if exercise.status not in allowed:
        raise Conflict(
            _("This step is closed: the exercise is at the “%(status)s” stage.")
            % {"status": exercise.get_status_display()}
        )


def _check_exercise(exercise: PriorityExercise) -> None:
    if exercise.threshold is not None and not 1 <= exercise.threshold <= 99:
        raise ValidationError({"threshold": _("The threshold is a percentage between 1 and 99.")})
    exercise.full_clean()


def _candidate_label(candidate: Candidate) -> str:
    """One line for the history page: title, origin and who proposed it."""
    parts = [str(candidate.get_origin_display())]
    parts += [str(who) for who in (candidate.proposed_by, candidate.proposed_by_instance) if who is not None]
    return f"{candidate.title} ({', '.join(parts)})"


@transaction.atomic
def create_exercise(acting_user, instance: Instance, data: dict[str, Any]) -> PriorityExercise:
    guard.require(acting_user, "concertation.change_instance", instance)
    exercise = PriorityExercise(instance=instance)
    apply(exercise, EXERCISE_FIELDS, data)
    _check_exercise(exercise)
    exercise.save()
    after = audit.snapshot(exercise, EXERCISE_FIELDS)
    audit.record(acting_user, AuditEvent.Action.CREATE, exercise, audit.diff({}, after))
    return exercise


@transaction.atomic
def update_exercise(acting_user, exercise: PriorityExercise, data: dict[str, Any]) -> PriorityExercise:
    _require(acting_user, exercise)
    _check_status(exercise, *BEFORE_PLENARY)
    before = audit.snapshot(exercise, EXERCISE_FIELDS)
    apply(exercise, EXERCISE_FIELDS, data)
    _check_exercise(exercise)
    exercise.save()
    changes = audit.diff(before, audit.snapshot(exercise, EXERCISE_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, changes)
    return exercise


def _check_candidate(candidate: Candidate) -> None:
    """Organisations of the instance's RLS and the RLS's other instances (local committees) propose."""
    instance = candidate.exercise.instance
    guard.within(scope.organizations_of(instance), candidate.proposed_by, "proposed_by")
    guard.within(scope.instances_of(instance).exclude(pk=instance.pk), candidate.proposed_by_instance,
                 "proposed_by_instance")  # fmt: skip
    candidate.full_clean()


def _add_candidate(acting_user, exercise: PriorityExercise, data: dict[str, Any]) -> Candidate:
    _check_status(exercise, *BEFORE_PLENARY)
    candidate = Candidate(exercise=exercise)
    apply(candidate, CANDIDATE_FIELDS, data)
    _check_candidate(candidate)
    candidate.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"candidates": [None, _candidate_label(candidate)]})
    return candidate


@transaction.atomic
def add_candidate(acting_user, exercise: PriorityExercise, data: dict[str, Any]) -> Candidate:
    _require(acting_user, exercise)
    return _add_candidate(acting_user, exercise, data)


@transaction.atomic
def propose_candidate(acting_user, exercise: PriorityExercise, data: dict[str, Any]) -> Candidate:
    """A member's proposal, on behalf of a member organisation they represent (or whose seat they hold) or of a
    committee under the instance that they coordinate."""
    guard.require(acting_user, "concertation.propose_candidate", exercise)
    organizations, committees = scope.proposers_for(acting_user, exercise)
    guard.within(organizations, data.get("proposed_by"), "proposed_by")
    guard.within(committees, data.get("proposed_by_instance"), "proposed_by_instance")
    if not (data.get("proposed_by") or data.get("proposed_by_instance")):
        raise ValidationError(_("Say on whose behalf you propose this priority."))
    return _add_candidate(acting_user, exercise, {"origin": Candidate.Origin.LOCAL_ACTORS, **data})


@transaction.atomic
def update_candidate(acting_user, candidate: Candidate, data: dict[str, Any]) -> Candidate:
    exercise = candidate.exercise
    _require(acting_user, exercise)
    _check_status(exercise, *BEFORE_PLENARY)
    before = _candidate_label(candidate)
    apply(candidate, CANDIDATE_FIELDS, data)
    _check_candidate(candidate)
    candidate.save()
    after = _candidate_label(candidate)
    if after != before:
        audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"candidates": [before, after]})
    return candidate


@transaction.atomic
def remove_candidate(acting_user, candidate: Candidate) -> None:
    """Before the plenary only: a candidate that reached a ballot stays, so the results can be read again."""
    exercise = candidate.exercise
    _require(acting_user, exercise)
    _check_status(exercise, *BEFORE_PLENARY)
    label = _candidate_label(candidate)
    candidate.delete()
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"candidates": [label, None]})


@transaction.atomic
def add_workshop(acting_user, exercise: PriorityExercise, data: dict[str, Any]) -> Workshop:
    """A team of people of the instance's RLS; they take part in the plenary too."""
    _require(acting_user, exercise)
    _check_status(exercise, *BEFORE_PLENARY)
    participants = list(data.get("participants", []))
    guard.within(scope.people_of(exercise.instance), participants, "participants")
    workshop = Workshop(exercise=exercise, name=data.get("name", ""))
    workshop.full_clean()
    workshop.save()
    workshop.participants.set(participants)
    if exercise.status == PriorityExercise.Status.CANDIDATES:
        exercise.status = PriorityExercise.Status.WORKSHOPS
        exercise.save(update_fields=["status", "updated_at"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"workshops": [None, workshop.name]})
    return workshop


@transaction.atomic
def select_priorities(acting_user, workshop: Workshop, candidates: list[Candidate]) -> None:
    """Record the priorities a team chose (replacing its previous choice)."""
    exercise = workshop.exercise
    _require(acting_user, exercise)
    _check_status(exercise, *BEFORE_PLENARY)
    guard.within(exercise.candidates.all(), list(candidates), "candidates")
    workshop.selections.all().delete()
    WorkshopSelection.objects.bulk_create(WorkshopSelection(workshop=workshop, candidate=c) for c in candidates)
    changes = {"selection": [None, f"{workshop.name}: " + "; ".join(c.title for c in candidates)]}
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, changes)


@transaction.atomic
def open_round(acting_user, exercise: PriorityExercise) -> VotingRound:
    _require(acting_user, exercise)
    if exercise.status == PriorityExercise.Status.CLOSED:
        raise Conflict(_("This exercise is closed."))
    if exercise.rounds.filter(closed_at__isnull=True).exists():
        raise Conflict(_("A round is already open."))
    if not exercise.candidates.exists():
        raise Conflict(_("Add candidate priorities before the plenary vote."))
    number = (exercise.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    voting_round = VotingRound.objects.create(exercise=exercise, number=number, opened_at=timezone.now())
    exercise.status = PriorityExercise.Status.PLENARY
    exercise.save(update_fields=["status", "updated_at"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"round": [None, f"{number} opened"]})
    return voting_round


@transaction.atomic
def close_round(acting_user, exercise: PriorityExercise, close_exercise: bool = True) -> VotingRound:
    """Close the open round; the exercise closes with it unless another round follows."""
    _require(acting_user, exercise)
    voting_round = latest_round(exercise)
    if voting_round is None or not voting_round.is_open:
        raise Conflict(_("This round is not open."))
    voting_round.closed_at = timezone.now()
    voting_round.save(update_fields=["closed_at"])
    if close_exercise:
        exercise.status = PriorityExercise.Status.CLOSED
        exercise.save(update_fields=["status", "updated_at"])
    changes = {"round": [None, f"{voting_round.number} closed"]}
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, changes)
    return voting_round


def _check_choices(exercise: PriorityExercise, choices: dict[int, int]) -> dict[int, int]:
    allowed = set(plenary_candidates(exercise).values_list("pk", flat=True))
    if set(choices) - allowed:
        raise ValidationError({"choices": _("Vote only for the priorities submitted to the plenary.")})
    if any(points < 0 for points in choices.values()):
        raise ValidationError({"choices": _("Points cannot be negative.")})
    choices = {pk: points for pk, points in choices.items() if points > 0}
    if exercise.method == PriorityExercise.Method.APPROVAL:
        return dict.fromkeys(choices, 1)
    if sum(choices.values()) > exercise.points_per_voter:
        raise ValidationError(
            {"choices": _("You have %(n)s points to give, no more.") % {"n": exercise.points_per_voter}}
        )
    return choices


@transaction.atomic
def cast_ballot(acting_user, exercise: PriorityExercise, voter: Person, choices: dict[int, int]) -> Ballot:
    """A ballot in the open round. Coordinators record any participant's; a participant votes as themself.
    One ballot per participant per round: the database constraint decides between simultaneous votes."""
    guard.require(acting_user, "concertation.cast_ballot", exercise)
    if not acting_user.has_perm("concertation.change_instance", exercise.instance) and voter != scope.own_person(
        acting_user
    ):
        raise PermissionDenied
    voting_round = latest_round(exercise)
    if voting_round is None or not voting_round.is_open:
        raise Conflict(_("Voting is not open: the round has not started or is already closed."))
    guard.within(scope.people_of(exercise.instance), voter, "voter")
    if not eligible_voters(exercise).filter(pk=voter.pk).exists():
        raise ValidationError({"voter": _("This person does not take part in this plenary.")})
    choices = _check_choices(exercise, choices)
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(round=voting_round, voter=voter, recorded_by=acting_user)
            key = uuid.uuid4().hex
            BallotChoice.objects.bulk_create(
                BallotChoice(
                    round=voting_round,
                    candidate_id=pk,
                    points=points,
                    ballot_key=key,
                    ballot=None if exercise.secret else ballot,
                )  # fmt: skip
                for pk, points in choices.items()
            )
    except IntegrityError as error:
        raise Conflict({"voter": _("This participant has already voted in this round.")}) from error
    # A secret ballot's audit entry says who voted, never for what.
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"ballot": [None, str(voter)]})
    return ballot
