"""Démarches (process stages, domain.md §10) and action plans: objectives, actions, indicators.

Every write goes through here: atomic, validated, and recorded in the audit log of the démarche or plan
(an objective's, action's or indicator's change shows in its plan's history).
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concertation.models import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Instance, Objective
from core import audit
from core.models import AuditEvent

DEMARCHE_FIELDS = ["title"]
STAGE_FIELDS = ["deliverables", "start_date", "end_date", "status"]
PLAN_FIELDS = ["title", "demarche", "start_date", "end_date"]
OBJECTIVE_FIELDS = ["title", "order"]
ACTION_FIELDS = ["title", "lead", "resources", "deadline", "status"]
INDICATOR_FIELDS = ["name", "unit", "target", "measured", "measured_on"]

# The order of Ouellet, Paiement & Tremblay's stages (domain.md §10) is the order of the choices.
STAGE_KINDS = list(DemarcheStage.Kind)


def _apply(obj, fields: list[str], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def check_dates(start, end, field: str = "end_date") -> None:
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})


# Démarches ----------------------------------------------------------------------------------------------


@transaction.atomic
def start_demarche(acting_user, instance: Instance, data: dict[str, Any], request=None) -> Demarche:
    """A démarche starts with its seven stages, in order, not started."""
    demarche = Demarche(instance=instance)
    _apply(demarche, DEMARCHE_FIELDS, data)
    demarche.full_clean()
    demarche.save()
    DemarcheStage.objects.bulk_create(
        DemarcheStage(demarche=demarche, kind=kind, order=order) for order, kind in enumerate(STAGE_KINDS, start=1)
    )
    audit.record(
        acting_user, AuditEvent.Action.CREATE, demarche, audit.diff({}, audit.snapshot(demarche, DEMARCHE_FIELDS)),
        request,
    )  # fmt: skip
    return demarche


@transaction.atomic
def update_demarche(acting_user, demarche: Demarche, data: dict[str, Any], request=None) -> Demarche:
    before = audit.snapshot(demarche, DEMARCHE_FIELDS)
    _apply(demarche, DEMARCHE_FIELDS, data)
    demarche.full_clean()
    demarche.save()
    changes = audit.diff(before, audit.snapshot(demarche, DEMARCHE_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, demarche, changes, request)
    return demarche


@transaction.atomic
def update_stage(acting_user, stage: DemarcheStage, data: dict[str, Any], request=None) -> DemarcheStage:
    before = audit.snapshot(stage, STAGE_FIELDS)
    _apply(stage, STAGE_FIELDS, data)
    check_dates(stage.start_date, stage.end_date)
    stage.full_clean()
    stage.save()
    changes = {f"{stage.kind} — {k}": v for k, v in audit.diff(before, audit.snapshot(stage, STAGE_FIELDS)).items()}
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, stage.demarche, changes, request)
    return stage


@transaction.atomic
def delete_demarche(acting_user, demarche: Demarche, request=None) -> None:
    """Its stages go with it; action plans drawn from it stay, detached."""
    audit.record(acting_user, AuditEvent.Action.DELETE, demarche, {"title": [demarche.title, None]}, request)
    demarche.delete()


# Action plans -------------------------------------------------------------------------------------------


def _check_plan(plan: ActionPlan) -> None:
    check_dates(plan.start_date, plan.end_date)
    if plan.demarche_id and plan.demarche.instance_id != plan.instance_id:
        raise ValidationError({"demarche": _("The démarche must belong to the same instance.")})
    plan.full_clean()


@transaction.atomic
def create_plan(acting_user, instance: Instance, data: dict[str, Any], request=None) -> ActionPlan:
    plan = ActionPlan(instance=instance)
    _apply(plan, PLAN_FIELDS, data)
    _check_plan(plan)
    plan.save()
    audit.record(
        acting_user, AuditEvent.Action.CREATE, plan, audit.diff({}, audit.snapshot(plan, PLAN_FIELDS)), request
    )
    return plan


@transaction.atomic
def update_plan(acting_user, plan: ActionPlan, data: dict[str, Any], request=None) -> ActionPlan:
    before = audit.snapshot(plan, PLAN_FIELDS)
    _apply(plan, PLAN_FIELDS, data)
    _check_plan(plan)
    plan.save()
    changes = audit.diff(before, audit.snapshot(plan, PLAN_FIELDS))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, plan, changes, request)
    return plan


@transaction.atomic
def delete_plan(acting_user, plan: ActionPlan, request=None) -> None:
    audit.record(acting_user, AuditEvent.Action.DELETE, plan, {"title": [plan.title, None]}, request)
    plan.delete()


# Objectives ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_objective(acting_user, plan: ActionPlan, data: dict[str, Any], request=None) -> Objective:
    objective = Objective(plan=plan)
    _apply(objective, OBJECTIVE_FIELDS, data)
    if not data.get("order"):
        objective.order = (plan.objectives.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    objective.full_clean()
    objective.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, plan, {"objective": [None, objective.title]}, request)
    return objective


@transaction.atomic
def update_objective(acting_user, objective: Objective, data: dict[str, Any], request=None) -> Objective:
    before = objective.title
    _apply(objective, OBJECTIVE_FIELDS, data)
    objective.full_clean()
    objective.save()
    if before != objective.title:
        audit.record(
            acting_user, AuditEvent.Action.UPDATE, objective.plan, {"objective": [before, objective.title]}, request
        )
    return objective


@transaction.atomic
def delete_objective(acting_user, objective: Objective, request=None) -> None:
    """Its actions and indicators go with it."""
    audit.record(acting_user, AuditEvent.Action.UPDATE, objective.plan, {"objective": [objective.title, None]}, request)
    objective.delete()


# Actions ------------------------------------------------------------------------------------------------


def _action_snapshot(action: Action) -> dict[str, Any]:
    snap = audit.snapshot(action, ACTION_FIELDS)
    if action.pk:
        snap["contributors"] = sorted(o.name for o in action.contributors.all())
    return snap


@transaction.atomic
def add_action(acting_user, objective: Objective, data: dict[str, Any], request=None) -> Action:
    action = Action(objective=objective)
    _apply(action, ACTION_FIELDS, data)
    action.full_clean()
    action.save()
    if "contributors" in data:
        action.contributors.set(data["contributors"])
    after = _action_snapshot(action)
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, objective.plan,
        {f"action — {k}": v for k, v in audit.diff({}, after).items()}, request,
    )  # fmt: skip
    return action


@transaction.atomic
def update_action(acting_user, action: Action, data: dict[str, Any], request=None) -> Action:
    before = _action_snapshot(action)
    _apply(action, ACTION_FIELDS, data)
    action.full_clean()
    action.save()
    if "contributors" in data:
        action.contributors.set(data["contributors"])
    changes = audit.diff(before, _action_snapshot(action))
    if changes:
        audit.record(
            acting_user, AuditEvent.Action.UPDATE, action.objective.plan,
            {f"{action.title} — {k}": v for k, v in changes.items()}, request,
        )  # fmt: skip
    return action


@transaction.atomic
def delete_action(acting_user, action: Action, request=None) -> None:
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, action.objective.plan, {"action": [action.title, None]}, request
    )
    action.delete()


# Indicators ---------------------------------------------------------------------------------------------


@transaction.atomic
def add_indicator(acting_user, objective: Objective, data: dict[str, Any], request=None) -> Indicator:
    indicator = Indicator(objective=objective)
    _apply(indicator, INDICATOR_FIELDS, data)
    indicator.full_clean()
    indicator.save()
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, objective.plan,
        {f"indicator — {k}": v for k, v in audit.diff({}, audit.snapshot(indicator, INDICATOR_FIELDS)).items()},
        request,
    )  # fmt: skip
    return indicator


@transaction.atomic
def update_indicator(acting_user, indicator: Indicator, data: dict[str, Any], request=None) -> Indicator:
    before = audit.snapshot(indicator, INDICATOR_FIELDS)
    _apply(indicator, INDICATOR_FIELDS, data)
    indicator.full_clean()
    indicator.save()
    changes = audit.diff(before, audit.snapshot(indicator, INDICATOR_FIELDS))
    if changes:
        audit.record(
            acting_user, AuditEvent.Action.UPDATE, indicator.objective.plan,
            {f"{indicator.name} — {k}": v for k, v in changes.items()}, request,
        )  # fmt: skip
    return indicator


@transaction.atomic
def delete_indicator(acting_user, indicator: Indicator, request=None) -> None:
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, indicator.objective.plan, {"indicator": [indicator.name, None]},
        request,
    )  # fmt: skip
    indicator.delete()
