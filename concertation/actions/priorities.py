"""Priority exercises: candidates, workshops, plenary rounds and ballots (one per participant per round)."""

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

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
from concertation.results import plenary_candidates
from core import audit
from core.models import AuditEvent
from registry.models import Person

EXERCISE_FIELDS = ["title", "description", "method", "points_per_voter", "threshold", "secret"]
CANDIDATE_FIELDS = ["title", "description", "origin", "proposed_by", "proposed_by_instance"]


def _apply(obj, fields: list[str], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def _check_status(exercise: PriorityExercise, *allowed: str) -> None:
    if exercise.status not in allowed:
        raise ValidationError(
            _("This step is closed: the exercise is at the “%(status)s” stage.")
            % {"status": exercise.get_status_display()}
        )


def _candidate_label(candidate: Candidate) -> str:
    """One line for the history page: title, origin and who proposed it."""
    parts = [str(candidate.get_origin_display())]
    parts += [str(who) for who in (candidate.proposed_by, candidate.proposed_by_instance) if who is not None]
    return f"{candidate.title} ({', '.join(parts)})"


@transaction.atomic
def create_exercise(acting_user, instance: Instance, data: dict[str, Any], request=None) -> PriorityExercise:
    exercise = PriorityExercise(instance=instance)
    _apply(exercise, EXERCISE_FIELDS, data)
    exercise.full_clean()
    exercise.save()
    after = audit.snapshot(exercise, EXERCISE_FIELDS)
    audit.record(acting_user, AuditEvent.Action.CREATE, exercise, audit.diff({}, after), request)
    return exercise


@transaction.atomic
def update_exercise(acting_user, exercise: PriorityExercise, data: dict[str, Any], request=None) -> PriorityExercise:
    _check_status(exercise, PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)
    before = audit.snapshot(exercise, EXERCISE_FIELDS)
    _apply(exercise, EXERCISE_FIELDS, data)
    exercise.full_clean()
    exercise.save()
    changes = audit.diff(before, audit.snapshot(exercise, EXERCISE_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, changes, request)
    return exercise


@transaction.atomic
def add_candidate(acting_user, exercise: PriorityExercise, data: dict[str, Any], request=None) -> Candidate:
    _check_status(exercise, PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)
    candidate = Candidate(exercise=exercise)
    _apply(candidate, CANDIDATE_FIELDS, data)
    candidate.full_clean()
    candidate.save()
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, exercise, {"candidates": [None, _candidate_label(candidate)]}, request
    )
    return candidate


@transaction.atomic
def update_candidate(acting_user, candidate: Candidate, data: dict[str, Any], request=None) -> Candidate:
    exercise = candidate.exercise
    _check_status(exercise, PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)
    before = _candidate_label(candidate)
    _apply(candidate, CANDIDATE_FIELDS, data)
    candidate.full_clean()
    candidate.save()
    after = _candidate_label(candidate)
    if after != before:
        audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"candidates": [before, after]}, request)
    return candidate


@transaction.atomic
def remove_candidate(acting_user, candidate: Candidate, request=None) -> None:
    """Before the plenary only: a candidate that reached a ballot stays, so the results can be read again."""
    exercise = candidate.exercise
    _check_status(exercise, PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)
    label = _candidate_label(candidate)
    candidate.delete()
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"candidates": [label, None]}, request)


@transaction.atomic
def add_workshop(acting_user, exercise: PriorityExercise, data: dict[str, Any], request=None) -> Workshop:
    _check_status(exercise, PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)
    workshop = Workshop(exercise=exercise, name=data["name"])
    workshop.full_clean()
    workshop.save()
    workshop.participants.set(data.get("participants", []))
    if exercise.status == PriorityExercise.Status.CANDIDATES:
        exercise.status = PriorityExercise.Status.WORKSHOPS
        exercise.save(update_fields=["status", "updated_at"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"workshops": [None, workshop.name]}, request)
    return workshop


@transaction.atomic
def select_priorities(acting_user, workshop: Workshop, candidates: list[Candidate], request=None) -> None:
    """Record the priorities a team chose (replacing its previous choice)."""
    exercise = workshop.exercise
    _check_status(exercise, PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)
    if any(c.exercise_id != exercise.pk for c in candidates):
        raise ValidationError({"candidates": _("Choose among this exercise's candidate priorities.")})
    workshop.selections.all().delete()
    WorkshopSelection.objects.bulk_create(WorkshopSelection(workshop=workshop, candidate=c) for c in candidates)
    changes = {"selection": [None, f"{workshop.name}: " + "; ".join(c.title for c in candidates)]}
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, changes, request)


@transaction.atomic
def open_round(acting_user, exercise: PriorityExercise, request=None) -> VotingRound:
    if exercise.status == PriorityExercise.Status.CLOSED:
        raise ValidationError(_("This exercise is closed."))
    if exercise.rounds.filter(closed_at__isnull=True).exists():
        raise ValidationError(_("A round is already open."))
    if not exercise.candidates.exists():
        raise ValidationError(_("Add candidate priorities before the plenary vote."))
    number = (exercise.rounds.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    voting_round = VotingRound.objects.create(exercise=exercise, number=number, opened_at=timezone.now())
    exercise.status = PriorityExercise.Status.PLENARY
    exercise.save(update_fields=["status", "updated_at"])
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"round": [None, f"{number} opened"]}, request)
    return voting_round


@transaction.atomic
def close_round(acting_user, voting_round: VotingRound, close_exercise: bool = True, request=None) -> VotingRound:
    if not voting_round.is_open:
        raise ValidationError(_("This round is not open."))
    voting_round.closed_at = timezone.now()
    voting_round.save(update_fields=["closed_at"])
    exercise = voting_round.exercise
    if close_exercise:
        exercise.status = PriorityExercise.Status.CLOSED
        exercise.save(update_fields=["status", "updated_at"])
    changes = {"round": [None, f"{voting_round.number} closed"]}
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, changes, request)
    return voting_round


def eligible_voters(exercise: PriorityExercise):
    """Plenary participants: the current representatives of the instance's members and the workshop participants."""
    today = timezone.localdate()
    members = exercise.instance.memberships.active_on(today).exclude(person=None).values("person")
    workshops = Workshop.participants.through.objects.filter(workshop__exercise=exercise).values("person")
    return Person.objects.active().filter(Q(pk__in=members) | Q(pk__in=workshops))


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
def cast_ballot(acting_user, voting_round: VotingRound, voter: Person, choices: dict[int, int], request=None) -> Ballot:
    """One ballot per participant per round: the database constraint decides between simultaneous votes."""
    exercise = voting_round.exercise
    if not voting_round.is_open:
        raise ValidationError(_("Voting is not open: the round has not started or is already closed."))
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
        raise ValidationError({"voter": _("This participant has already voted in this round.")}) from error
    # A secret ballot's audit entry says who voted, never for what.
    audit.record(acting_user, AuditEvent.Action.UPDATE, exercise, {"ballot": [None, str(voter)]}, request)
    return ballot
