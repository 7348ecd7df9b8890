"""Priority exercise pages: candidates, workshops, plenary vote, results.

Who does what (docs/roles-and-permissions.md): the instance's coordinators open the exercise, add, edit and
remove candidates, form the teams, record their selections, open and close rounds and may record a ballot for
any participant present in the room. While candidates are collected (before the plenary), a member may
propose a candidate on behalf of a member organisation they represent (or whose seat they hold), and the
coordinator of a committee under the instance (a local action committee) on behalf of that committee.
A participant whose account is linked to their person record votes as themselves.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concertation import rules as scope
from concertation.actions import priorities as actions
from concertation.forms_priorities import (
    BallotForm,
    CandidateForm,
    ExerciseForm,
    ProposalForm,
    SelectionForm,
    WorkshopForm,
)
from concertation.models import Candidate, Instance, PriorityExercise, Workshop
from concertation.results import exercise_results, latest_round, plenary_candidates
from concertation.rules import instances_for
from concertation.views.common import form_errors, get_instance, refused, run, save_page
from core import charts
from core.pages import history_page


def instance_section(instance: Instance, request: HttpRequest) -> dict:
    """Context for this module's section of the instance page (templates/concertation/_instance_priorities.html)."""
    return {"exercises": list(instance.priority_exercises.order_by("-created_at")[:10])}


def get_exercise(request: HttpRequest, pk: int, manage: bool = False) -> PriorityExercise:
    exercise = get_object_or_404(
        PriorityExercise.objects.select_related("instance").filter(instance__in=instances_for(request.user)), pk=pk
    )
    if manage and not request.user.has_perm("concertation.change_instance", exercise.instance):
        raise PermissionDenied
    return exercise


def _proposal_form(request: HttpRequest, exercise: PriorityExercise, data=None) -> ProposalForm | None:
    organizations, committees = scope.proposers_for(request.user, exercise)
    if not (organizations.exists() or committees.exists()):
        return None
    return ProposalForm(data, organizations=organizations, committees=committees, prefix="proposal")


@login_required
def exercise_create(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    form = ExerciseForm(request.POST or None)
    return save_page(
        request, form, title=_("New priority exercise"), back=instance,
        save=lambda data: actions.create_exercise(request.user, instance, data),
        success=_("Priority exercise opened. Add the candidate priorities."),
    )  # fmt: skip


def _voter_for(request: HttpRequest, exercise: PriorityExercise):
    """The signed-in user's own person, when they take part in the plenary."""
    person = scope.own_person(request.user)
    if person is not None and actions.eligible_voters(exercise).filter(pk=person.pk).exists():
        return person
    return None


@login_required
@require_GET
def exercise_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk)
    can_manage = request.user.has_perm("concertation.change_instance", exercise.instance)
    voting_round = latest_round(exercise)
    voters = actions.eligible_voters(exercise)
    own_person = _voter_for(request, exercise)
    ballot_form = None
    waiting = None
    if voting_round and voting_round.is_open and (can_manage or own_person):
        # The coordinator's list offers only those who have not voted yet (the database still refuses a
        # second ballot sent from a stale page).
        waiting = voters.exclude(pk__in=voting_round.ballots.values("voter"))
        if not can_manage or waiting.exists():
            ballot_form = BallotForm(
                exercise=exercise, candidates=plenary_candidates(exercise),
                voters=waiting if can_manage else voters, fixed_voter=None if can_manage else own_person,
            )  # fmt: skip
    workshops = exercise.workshops.prefetch_related("participants", "selections__candidate")
    editable = exercise.status in (PriorityExercise.Status.CANDIDATES, PriorityExercise.Status.WORKSHOPS)
    candidates = (
        exercise.candidates.select_related("proposed_by", "proposed_by_instance")
        .annotate(teams=Count("selections"))
        .order_by("pk")
    )
    context = {
        "exercise": exercise,
        "instance": exercise.instance,
        "results": exercise_results(exercise, voting_round),
        "candidates": candidates,
        "plenary_ids": set(plenary_candidates(exercise).values_list("pk", flat=True)),
        "has_selections": any(c.teams for c in candidates),
        "workshops": [
            (
                w,
                SelectionForm(
                    exercise=exercise,
                    initial={"candidates": [s.candidate for s in w.selections.all()]},
                    prefix=f"w{w.pk}",
                ),
            )
            for w in workshops
        ],
        "round": voting_round,
        "can_manage": can_manage,
        "candidate_form": CandidateForm(exercise=exercise) if can_manage else None,
        "proposal_form": _proposal_form(request, exercise) if editable and not can_manage else None,
        "workshop_form": WorkshopForm(voters=voters) if can_manage else None,
        "ballot_form": ballot_form,
        "participants": voters.count() if voting_round and voting_round.is_open else None,
        "already_voted": bool(own_person and voting_round and voting_round.ballots.filter(voter=own_person).exists()),
        "editable": editable,
        "steps": [
            ("candidates", _("Candidate priorities")),
            ("workshops", _("Workshops")),
            ("plenary", _("Plenary vote")),
            ("closed", _("Results")),
        ],
    }
    return render(request, "concertation/exercise_detail.html", context)


def _button(request: HttpRequest, exercise: PriorityExercise, form, write, success: str) -> HttpResponse:
    """The exercise page holds these small forms: a refusal (the form's or the action's) gets its own page."""
    if not form.is_valid():
        return refused(request, form_errors(form), exercise)
    return run(request, exercise, lambda: write(form.cleaned_data), success)


@login_required
@require_POST
def candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk, manage=True)
    form = CandidateForm(request.POST, exercise=exercise)
    write = lambda data: actions.add_candidate(request.user, exercise, data)  # noqa: E731
    return _button(request, exercise, form, write, _("Candidate priority added."))


@login_required
@require_POST
def candidate_propose(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk)
    organizations, committees = scope.proposers_for(request.user, exercise)
    form = ProposalForm(request.POST, organizations=organizations, committees=committees, prefix="proposal")
    write = lambda data: actions.propose_candidate(request.user, exercise, data)  # noqa: E731
    return _button(request, exercise, form, write, _("Your proposal is now among the candidate priorities."))


def _candidate_of(exercise: PriorityExercise, value: str | None) -> Candidate:
    """One of this exercise's candidates (404 for any other id, including another exercise's)."""
    if not (value or "").isdigit():
        raise Http404
    return get_object_or_404(Candidate, pk=int(value), exercise=exercise)


@login_required
def candidate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk, manage=True)
    candidate = _candidate_of(exercise, request.GET.get("candidate"))
    form = CandidateForm(request.POST or None, instance=Candidate.objects.get(pk=candidate.pk), exercise=exercise)
    return save_page(
        request, form, title=_("Candidate priority: %(title)s") % {"title": candidate.title}, back=exercise,
        save=lambda data: actions.update_candidate(request.user, candidate, data),
        success=_("Candidate priority saved."), next_url=exercise.get_absolute_url(),
    )  # fmt: skip


@login_required
@require_POST
def candidate_remove(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk, manage=True)
    candidate = _candidate_of(exercise, request.POST.get("candidate"))
    write = lambda: actions.remove_candidate(request.user, candidate)  # noqa: E731
    return run(request, exercise, write, _("Candidate priority removed."))


@login_required
@require_POST
def workshop_add(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk, manage=True)
    form = WorkshopForm(request.POST, voters=actions.eligible_voters(exercise))
    write = lambda data: actions.add_workshop(request.user, exercise, data)  # noqa: E731
    return _button(request, exercise, form, write, _("Team added."))


@login_required
@require_POST
def workshop_select(request: HttpRequest, pk: int, workshop_pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk, manage=True)
    workshop = get_object_or_404(Workshop, pk=workshop_pk, exercise=exercise)
    form = SelectionForm(request.POST, exercise=exercise, prefix=f"w{workshop.pk}")
    write = lambda data: actions.select_priorities(request.user, workshop, list(data["candidates"]))  # noqa: E731
    return _button(request, exercise, form, write, _("The team's priorities are saved."))


@login_required
@require_POST
def round_open(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk, manage=True)
    return run(request, exercise, lambda: actions.open_round(request.user, exercise), _("The plenary vote is open."))


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk, manage=True)
    close_exercise = not request.POST.get("another")
    try:
        actions.close_round(request.user, exercise, close_exercise=close_exercise)
    except ValidationError as error:
        return refused(request, error, exercise)
    messages.success(request, _("The vote is closed."))
    return redirect(reverse("concertation:exercise_results", args=[exercise.pk]))


@login_required
@require_POST
def ballot_cast(request: HttpRequest, pk: int) -> HttpResponse:
    """Who may vote for whom is the action's rule: the form offers every participant of the plenary."""
    exercise = get_exercise(request, pk)
    candidates = plenary_candidates(exercise)
    form = BallotForm(request.POST, exercise=exercise, candidates=candidates, voters=actions.eligible_voters(exercise))
    if not form.is_valid():
        return refused(request, form_errors(form), exercise)
    voter = form.cleaned_data["voter"]
    write = lambda: actions.cast_ballot(request.user, exercise, voter, form.choices())  # noqa: E731
    return run(request, exercise, write, _("Vote recorded for %(name)s.") % {"name": voter})


@login_required
@require_GET
def exercise_results_page(request: HttpRequest, pk: int) -> HttpResponse:
    exercise = get_exercise(request, pk)
    rounds = list(exercise.rounds.order_by("number"))
    wanted = request.GET.get("round", "")
    voting_round = next((r for r in rounds if str(r.number) == wanted), rounds[-1] if rounds else None)
    results = exercise_results(exercise, voting_round)
    chart = (
        None
        if results["sealed"]
        else charts.hbar_chart(
            [(row["title"], row["share"]) for row in results["candidates"]],
            title=_("Adherence to each priority, as a share of plenary voters"),
            label_header=_("Priority"),
            value_header=_("Adherence (%)"),
            highlight=[row["title"] for row in results["candidates"] if row["retained"]],
            decimals=1,
            unit="%",
            maximum=100,
        )
    )
    named = None
    if not exercise.secret and results["round"]:
        named = (
            voting_round.ballots.select_related("voter")
            .prefetch_related("choices__candidate")
            .order_by("voter__last_name", "voter__first_name")
        )
    context = {
        "exercise": exercise,
        "instance": exercise.instance,
        "results": results,
        "chart": chart,
        "named": named,
        "rounds": rounds,
    }
    return render(request, "concertation/exercise_results.html", context)


@login_required
@require_GET
def exercise_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_exercise(request, pk), "concertation:exercise_detail")
