"""Démarches (process stages, domain.md §10) and action plans: objectives, actions, indicators.

Every write goes through here: atomic, validated, and recorded in the audit log of the démarche or plan
(an objective's, action's or indicator's change shows in its plan's history). Only the coordinators of the
instance write; the organisations an action names (lead, contributors) are organisations of the instance's RLS.
"""

from typing import Any

from django.db import transaction
from django.utils import timezone

from concertation import rules as scope
from concertation.actions.common import apply
from concertation.models import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Instance, Objective
from core import audit, guard
from core.models import AuditEvent

DEMARCHE_FIELDS = ["title"]
STAGE_FIELDS = ["deliverables", "start_date", "end_date", "status"]
PLAN_FIELDS = ["title", "demarche", "start_date", "end_date"]
OBJECTIVE_FIELDS = ["title", "order"]
ACTION_FIELDS = ["title", "lead", "resources", "deadline", "status"]
INDICATOR_FIELDS = ["name", "unit", "target", "measured", "measured_on"]

# The order of Ouellet, Paiement & Tremblay's stages (domain.md §10) is the order of the choices.
STAGE_KINDS = list(DemarcheStage.Kind)


def _require(acting_user, instance: Instance) -> None:
    guard.require(acting_user, "concertation.change_instance", instance)


# Démarches ----------------------------------------------------------------------------------------------


@transaction.atomic
def start_demarche(acting_user, instance: Instance, data: dict[str, Any]) -> Demarche:
    """A démarche starts with its seven stages, in order, not started."""
    _require(acting_user, instance)
    demarche = Demarche(instance=instance)
    apply(demarche, DEMARCHE_FIELDS, data)
    demarche.full_clean()
    demarche.save()
    DemarcheStage.objects.bulk_create(
        DemarcheStage(demarche=demarche, kind=kind, order=order) for order, kind in enumerate(STAGE_KINDS, start=1)
    )
    audit.record(
        acting_user, AuditEvent.Action.CREATE, demarche, audit.diff({}, audit.snapshot(demarche, DEMARCHE_FIELDS))
    )
    return demarche


@transaction.atomic
def update_demarche(acting_user, demarche: Demarche, data: dict[str, Any]) -> Demarche:
    _require(acting_user, demarche.instance)
    before = audit.snapshot(demarche, DEMARCHE_FIELDS)
    apply(demarche, DEMARCHE_FIELDS, data)
    demarche.full_clean()
    demarche.save()
    changes = audit.diff(before, audit.snapshot(demarche, DEMARCHE_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, demarche, changes)
    return demarche


@transaction.atomic
def update_stage(acting_user, stage: DemarcheStage, data: dict[str, Any]) -> DemarcheStage:
    _require(acting_user, stage.demarche.instance)
    before = audit.snapshot(stage, STAGE_FIELDS)
    apply(stage, STAGE_FIELDS, data)
    guard.check_dates(stage.start_date, stage.end_date)
    stage.full_clean()
    stage.save()
    changes = {f"{stage.kind} — {k}": v for k, v in audit.diff(before, audit.snapshot(stage, STAGE_FIELDS)).items()}
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, stage.demarche, changes)
    return stage


@transaction.atomic
def delete_demarche(acting_user, demarche: Demarche) -> None:
    """Its stages go with it; action plans drawn from it stay, detached."""
    _require(acting_user, demarche.instance)
    audit.record(acting_user, AuditEvent.Action.DELETE, demarche, {"title": [demarche.title, None]})
    demarche.delete()


# Action plans -------------------------------------------------------------------------------------------


def _check_plan(plan: ActionPlan) -> None:
    guard.within(Demarche.objects.filter(instance_id=plan.instance_id), plan.demarche, "demarche")
    guard.check_dates(plan.start_date, plan.end_date)
    plan.full_clean()


@transaction.atomic
def create_plan(acting_user, instance: Instance, data: dict[str, Any]) -> ActionPlan:
    _require(acting_user, instance)
    plan = ActionPlan(instance=instance)
    apply(plan, PLAN_FIELDS, data)
    _check_plan(plan)
    plan.save()
    audit.record(acting_user, AuditEvent.Action.CREATE, plan, audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)))
    return plan


@transaction.atomic
def update_plan(acting_user, plan: ActionPlan, data: dict[str, Any]) -> ActionPlan:
    _require(acting_user, plan.instance)
    before = audit.snapshot(plan, PLAN_FIELDS)
    apply(plan, PLAN_FIELDS, data)
    _check_plan(plan)
    plan.save()
    changes = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, plan, changes)
    return plan


@transaction.atomic
def delete_plan(acting_user, plan: ActionPlan) -> None:
    _require(acting_user, plan.instance)
    audit.record(acting_user, AuditEvent.Action.DELETE, plan, {"title": [plan.title, None]})
    plan.delete()


# Objectives ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_objective(acting_user, plan: ActionPlan, data: dict[str, Any]) -> Objective:
    _require(acting_user, plan.instance)
    objective = Objective(plan=plan)
    apply(objective, OBJECTIVE_FIELDS, data)
    if not data.get("order"):
        objective.order = (plan.objectives.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    objective.full_clean()
    objective.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, plan, {"objective": [None, objective.title]})
    return objective


@transaction.atomic
def update_objective(acting_user, objective: Objective, data: dict[str, Any]) -> Objective:
    _require(acting_user, objective.plan.instance)
    before = objective.title
    apply(objective, OBJECTIVE_FIELDS, data)
    objective.full_clean()
    objective.save()
    if before != objective.title:
        audit.record(acting_user, AuditEvent.Action.UPDATE, objective.plan, {"objective": [before, objective.title]})
    return objective


@transaction.atomic
def delete_objective(acting_user, objective: Objective) -> None:
    """Its actions and indicators go with it."""
    _require(acting_user, objective.plan.instance)
    audit.record(acting_user, AuditEvent.Action.UPDATE, objective.plan, {"objective": [objective.title, None]})
    objective.delete()


# Actions ------------------------------------------------------------------------------------------------


def _action_snapshot(action: Action) -> dict[str, Any]:
    snap = audit.snapshot(action, ACTION_FIELDS)
    if action.pk:
        snap["contributors"] = sorted(o.name for o in action.contributors.all())
    return snap


def _save_action(action: Action, data: dict[str, Any]) -> None:
    """The lead and the contributors are organisations of the instance's RLS; the lead is not also a contributor."""
    organizations = scope.organizations_of(action.objective.plan.instance)
    apply(action, ACTION_FIELDS, data)
    guard.within(organizations, action.lead, "lead")
    contributors = data.get("contributors")
    if contributors is not None:
        guard.within(organizations, list(contributors), "contributors")
    action.full_clean()
    action.save()
    if contributors is not None:
        action.contributors.set([o for o in contributors if o.pk != action.lead_id])


@transaction.atomic
def add_action(acting_user, objective: Objective, data: dict[str, Any]) -> Action:
    _require(acting_user, objective.plan.instance)
    action = Action(objective=objective)
    _save_action(action, data)
    after = _action_snapshot(action)
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, objective.plan,
        {f"action — {k}": v for k, v in audit.diff({}, after).items()},
    )  # fmt: skip
    return action


@transaction.atomic
def update_action(acting_user, action: Action, data: dict[str, Any]) -> Action:
    _require(acting_user, action.objective.plan.instance)
    before = _action_snapshot(action)
    _save_action(action, data)
    changes = audit.diff(before, _action_snapshot(action))
    if changes:
        audit.record(
            acting_user, AuditEvent.Action.UPDATE, action.objective.plan,
            {f"{action.title} — {k}": v for k, v in changes.items()},
        )  # fmt: skip
    return action


@transaction.atomic
def delete_action(acting_user, action: Action) -> None:
    _require(acting_user, action.objective.plan.instance)
    audit.record(acting_user, AuditEvent.Action.UPDATE, action.objective.plan, {"action": [action.title, None]})
    action.delete()


# Indicators ---------------------------------------------------------------------------------------------


def _save_indicator(indicator: Indicator, data: dict[str, Any]) -> None:
    apply(indicator, INDICATOR_FIELDS, data)
    if indicator.measured is not None and indicator.measured_on is None:
        indicator.measured_on = timezone.localdate()  # a measure given without its date is today's
    indicator.full_clean()
    indicator.save()


@transaction.atomic
def add_indicator(acting_user, objective: Objective, data: dict[str, Any]) -> Indicator:
    _require(acting_user, objective.plan.instance)
    indicator = Indicator(objective=objective)
    _save_indicator(indicator, data)
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, objective.plan,
        {f"indicator — {k}": v for k, v in audit.diff({}, audit.snapshot(indicator, INDICATOR_FIELDS)).items()},
    )  # fmt: skip
    return indicator


@transaction.atomic
def update_indicator(acting_user, indicator: Indicator, data: dict[str, Any]) -> Indicator:
    _require(acting_user, indicator.objective.plan.instance)
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    _save_indicator(indicator, data)
    changes = audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS))
    if changes:
        audit.record(
            acting_user, AuditEvent.Action.UPDATE, indicator.objective.plan,
            {f"{indicator.name} — {k}": v for k, v in changes.items()},
        )  # fmt: skip
    return indicator


@transaction.atomic
def delete_indicator(acting_user, indicator: Indicator) -> None:
    _require(acting_user, indicator.objective.plan.instance)
    audit.record(acting_user, AuditEvent.Action.UPDATE, indicator.objective.plan, {"indicator": [indicator.name, None]})
    indicator.delete()
