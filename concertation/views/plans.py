"""Démarche and action-plan pages: the stages of a démarche, plans with objectives, actions and indicators,
and a progress view per plan. Readers of the instance see them; only its coordinators write (403), and
those who cannot see the instance get 404."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from concertation import analytics
from concertation.actions import plans as actions
from concertation.forms_plans import (
    ActionForm,
    ActionPlanForm,
    DemarcheForm,
    IndicatorForm,
    ObjectiveForm,
    StageForm,
)
from concertation.models import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Instance, Objective
from concertation.models.plans import WorkStatus
from concertation.rules import instances_for
from concertation.views.common import get_instance, save_page
from core import charts
from core.pages import history_page

FEW_OBJECTIVES = 5  # domain.md §10: "few objectives, some achievable in the short and medium term"


def instance_section(instance: Instance, request: HttpRequest) -> dict:
    """Context for this module's section of the instance page (templates/concertation/_instance_plans.html)."""
    today = timezone.localdate()
    demarches = instance.demarches.annotate(
        stages_done=Count("stages", filter=Q(stages__status=WorkStatus.DONE)),
        stages_total=Count("stages"),
    ).order_by("-created_at")
    plans = instance.action_plans.annotate(
        n_objectives=Count("objectives", distinct=True),
        n_actions=Count("objectives__actions", distinct=True),
        n_overdue=Count(
            "objectives__actions",
            distinct=True,
            filter=Q(objectives__actions__deadline__lt=today, objectives__actions__status__in=analytics.OPEN_STATUSES),
        ),
    ).order_by("-created_at")
    return {
        "plans_section": {
            "demarches": demarches,
            "plans": plans,
            "can_manage": request.user.has_perm("concertation.change_instance", instance),
        }
    }


# Lookups scoped to the user -----------------------------------------------------------------------------


def _check_manage(request: HttpRequest, instance: Instance) -> None:
    if not request.user.has_perm("concertation.change_instance", instance):
        raise PermissionDenied


def get_demarche(request: HttpRequest, pk: int, manage: bool = False) -> Demarche:
    queryset = Demarche.objects.select_related("instance__rls").filter(instance__in=instances_for(request.user))
    demarche = get_object_or_404(queryset, pk=pk)
    if manage:
        _check_manage(request, demarche.instance)
    return demarche


def get_plan(request: HttpRequest, pk: int, manage: bool = False) -> ActionPlan:
    queryset = ActionPlan.objects.select_related("instance__rls", "demarche").filter(
        instance__in=instances_for(request.user)
    )
    plan = get_object_or_404(queryset, pk=pk)
    if manage:
        _check_manage(request, plan.instance)
    return plan


def _get_part(request: HttpRequest, model, pk: int, plan_path: str):
    """An objective, action or indicator of a plan the user coordinates (404 if the instance is hidden)."""
    visible = instances_for(request.user)
    obj = get_object_or_404(
        model.objects.select_related(f"{plan_path}__instance__rls").filter(**{f"{plan_path}__instance__in": visible}),
        pk=pk,
    )
    plan = obj
    for step in plan_path.split("__"):
        plan = getattr(plan, step)
    _check_manage(request, plan.instance)
    return obj, plan


def _delete_page(request: HttpRequest, *, obj, kind: str, back, delete: Callable, success: str) -> HttpResponse:
    if request.method == "POST":
        delete()
        messages.success(request, success)
        return redirect(back)
    return render(request, "concertation/plan_delete.html", {"obj": obj, "kind": kind, "back": back})


# Démarches ----------------------------------------------------------------------------------------------


@login_required
def demarche_create(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    form = DemarcheForm(request.POST or None)
    return save_page(
        request, form, title=_("Start a démarche"), back=instance,
        save=lambda data: actions.start_demarche(request.user, instance, data),
        success=_("Démarche started with its seven stages."),
    )  # fmt: skip


@login_required
@require_GET
def demarche_detail(request: HttpRequest, pk: int) -> HttpResponse:
    demarche = get_demarche(request, pk)
    stages = list(demarche.stages.order_by("order"))
    done = sum(1 for s in stages if s.status == WorkStatus.DONE)
    current = next((s for s in stages if s.status not in (WorkStatus.DONE, WorkStatus.CANCELLED)), None)
    context = {
        "demarche": demarche,
        "instance": demarche.instance,
        "stages": stages,
        "done": done,
        "current": current,
        "plans": demarche.plans.order_by("-created_at"),
        "can_manage": request.user.has_perm("concertation.change_instance", demarche.instance),
        "today": timezone.localdate(),
    }
    return render(request, "concertation/demarche_detail.html", context)


@login_required
def demarche_edit(request: HttpRequest, pk: int) -> HttpResponse:
    demarche = get_demarche(request, pk, manage=True)
    form = DemarcheForm(request.POST or None, instance=demarche)
    return save_page(
        request, form, title=_("Edit %(name)s") % {"name": demarche.title}, back=demarche,
        save=lambda data: actions.update_demarche(request.user, Demarche.objects.get(pk=demarche.pk), data),
        success=_("Changes saved."),
    )  # fmt: skip


@login_required
def demarche_delete(request: HttpRequest, pk: int) -> HttpResponse:
    demarche = get_demarche(request, pk, manage=True)
    return _delete_page(
        request, obj=demarche, kind=_("démarche"), back=demarche.instance,
        delete=lambda: actions.delete_demarche(request.user, demarche), success=_("Démarche deleted."),
    )  # fmt: skip


@login_required
@require_GET
def demarche_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_demarche(request, pk), "concertation:demarche_detail")


@login_required
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(
        DemarcheStage.objects.select_related("demarche__instance__rls").filter(
            demarche__instance__in=instances_for(request.user)
        ),
        pk=pk,
    )
    _check_manage(request, stage.demarche.instance)
    form = StageForm(request.POST or None, instance=stage)
    return save_page(
        request, form,
        title=_("Stage %(order)s: %(stage)s") % {"order": stage.order, "stage": stage.get_kind_display()},
        back=stage.demarche,
        save=lambda data: actions.update_stage(request.user, DemarcheStage.objects.get(pk=stage.pk), data),
        success=_("Stage saved."), next_url=stage.demarche.get_absolute_url(),
    )  # fmt: skip


# Action plans -------------------------------------------------------------------------------------------


@login_required
def plan_create(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    form = ActionPlanForm(
        request.POST or None, instance_obj=instance, initial={"demarche": request.GET.get("demarche")}
    )
    return save_page(
        request, form, title=_("New action plan"), back=instance,
        save=lambda data: actions.create_plan(request.user, instance, data),
        success=_("Action plan created. Add its objectives."),
    )  # fmt: skip


def _objectives(plan: ActionPlan) -> list[Objective]:
    actions_qs = Action.objects.select_related("lead").prefetch_related("contributors").order_by("deadline", "pk")
    objectives = list(
        plan.objectives.prefetch_related(Prefetch("actions", queryset=actions_qs), "indicators").order_by("order", "pk")
    )
    today = timezone.localdate()
    for objective in objectives:
        for action in objective.actions.all():
            action.overdue = analytics.is_overdue(action, today)
    return objectives


@login_required
@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    objectives = _objectives(plan)
    context = {
        "plan": plan,
        "instance": plan.instance,
        "objectives": objectives,
        "too_many_objectives": len(objectives) > FEW_OBJECTIVES,
        "few_objectives": FEW_OBJECTIVES,
        "can_manage": request.user.has_perm("concertation.change_instance", plan.instance),
    }
    return render(request, "concertation/plan_detail.html", context)


@login_required
@require_GET
def plan_progress(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk)
    today = timezone.localdate()
    progress = analytics.plan_progress(plan, today)
    for action in progress["overdue"]:
        action.days_late = (today - action.deadline).days
    status_chart = charts.hbar_chart(
        [(row["label"], row["count"]) for row in progress["by_status"]],
        title=_("Actions by status"),
        label_header=_("Status"),
        value_header=_("Actions"),
        highlight=[str(WorkStatus.LATE.label)],
    )
    measured = [row for row in progress["indicators"] if row["progress"] is not None]
    indicator_chart = (
        charts.hbar_chart(
            [(row["indicator"].name, row["progress"]) for row in measured],
            title=_("Indicators: progress toward the target"),
            label_header=_("Indicator"),
            value_header=_("% of target"),
            unit="%",
            maximum=100,
        )
        if measured
        else None
    )
    context = {
        "plan": plan,
        "instance": plan.instance,
        "progress": progress,
        "status_chart": status_chart if progress["actions"] else None,
        "indicator_chart": indicator_chart,
        "today": today,
    }
    return render(request, "concertation/plan_progress.html", context)


@login_required
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, manage=True)
    form = ActionPlanForm(request.POST or None, instance=plan, instance_obj=plan.instance)
    return save_page(
        request, form, title=_("Edit %(name)s") % {"name": plan.title}, back=plan,
        save=lambda data: actions.update_plan(request.user, ActionPlan.objects.get(pk=plan.pk), data),
        success=_("Changes saved."),
    )  # fmt: skip


@login_required
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, manage=True)
    return _delete_page(
        request, obj=plan, kind=_("action plan"), back=plan.instance,
        delete=lambda: actions.delete_plan(request.user, plan), success=_("Action plan deleted."),
    )  # fmt: skip


@login_required
@require_GET
def plan_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_plan(request, pk), "concertation:plan_detail")


# Objectives, actions, indicators -----------------------------------------------------------------------


@login_required
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_plan(request, pk, manage=True)
    form = ObjectiveForm(request.POST or None, initial={"order": plan.objectives.count() + 1})
    return save_page(
        request, form, title=_("New objective"), back=plan,
        save=lambda data: actions.add_objective(request.user, plan, data),
        success=_("Objective added."), next_url=plan.get_absolute_url(),
    )  # fmt: skip


@login_required
def objective_edit(request: HttpRequest, pk: int) -> HttpResponse:
    objective, plan = _get_part(request, Objective, pk, "plan")
    form = ObjectiveForm(request.POST or None, instance=objective)
    return save_page(
        request, form, title=_("Edit the objective"), back=plan,
        save=lambda data: actions.update_objective(request.user, Objective.objects.get(pk=objective.pk), data),
        success=_("Changes saved."), next_url=plan.get_absolute_url(),
    )  # fmt: skip


@login_required
def objective_delete(request: HttpRequest, pk: int) -> HttpResponse:
    objective, plan = _get_part(request, Objective, pk, "plan")
    return _delete_page(
        request, obj=objective, kind=_("objective"), back=plan,
        delete=lambda: actions.delete_objective(request.user, objective), success=_("Objective deleted."),
    )  # fmt: skip


@login_required
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective, plan = _get_part(request, Objective, pk, "plan")
    form = ActionForm(request.POST or None, instance_obj=plan.instance)
    return save_page(
        request, form, title=_("New action for “%(objective)s”") % {"objective": objective.title}, back=plan,
        save=lambda data: actions.add_action(request.user, objective, data),
        success=_("Action added."), next_url=plan.get_absolute_url(),
    )  # fmt: skip


@login_required
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action, plan = _get_part(request, Action, pk, "objective__plan")
    form = ActionForm(request.POST or None, instance=action, instance_obj=plan.instance)
    return save_page(
        request, form, title=_("Edit the action"), back=plan,
        save=lambda data: actions.update_action(request.user, Action.objects.get(pk=action.pk), data),
        success=_("Changes saved."), next_url=plan.get_absolute_url(),
    )  # fmt: skip


@login_required
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    action, plan = _get_part(request, Action, pk, "objective__plan")
    return _delete_page(
        request, obj=action, kind=_("action"), back=plan,
        delete=lambda: actions.delete_action(request.user, action), success=_("Action deleted."),
    )  # fmt: skip


@login_required
def indicator_create(request: HttpRequest, pk: int) -> HttpResponse:
    objective, plan = _get_part(request, Objective, pk, "plan")
    form = IndicatorForm(request.POST or None)
    return save_page(
        request, form, title=_("New indicator for “%(objective)s”") % {"objective": objective.title}, back=plan,
        save=lambda data: actions.add_indicator(request.user, objective, data),
        success=_("Indicator added."), next_url=plan.get_absolute_url(),
    )  # fmt: skip


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator, plan = _get_part(request, Indicator, pk, "objective__plan")
    form = IndicatorForm(request.POST or None, instance=indicator)
    return save_page(
        request, form, title=_("Edit the indicator"), back=plan,
        save=lambda data: actions.update_indicator(request.user, Indicator.objects.get(pk=indicator.pk), data),
        success=_("Changes saved."), next_url=plan.get_absolute_url(),
    )  # fmt: skip


@login_required
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator, plan = _get_part(request, Indicator, pk, "objective__plan")
    return _delete_page(
        request, obj=indicator, kind=_("indicator"), back=plan,
        delete=lambda: actions.delete_indicator(request.user, indicator), success=_("Indicator deleted."),
    )  # fmt: skip
