"""Instance pages: list, detail (Bourque type, members, mix, delegations, context), forms, structure diagram."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from concertation import structure
from concertation.actions import instances as actions
from concertation.actions import timeline
from concertation.diagnosis import bourque_for
from concertation.forms import BourqueOverrideForm, ContextEventForm, DelegationForm, InstanceForm, MembershipForm
from concertation.models import ContextEvent, Delegation, Instance, Membership
from concertation.rules import instances_for
from concertation.views import analytics, meetings, plans, priorities
from concertation.views.common import form_errors, get_instance, refused, run, save_page
from core.pages import history_page
from registry.models import Organization, Person, Territory

DECISION_RANK = {
    Person.DecisionLevel.EXECUTIVE: 4,
    Person.DecisionLevel.MANAGER: 3,
    Person.DecisionLevel.STAFF: 2,
    Person.DecisionLevel.VOLUNTEER: 1,
    Person.DecisionLevel.CITIZEN: 1,
}


@login_required
@require_GET
def instance_list(request: HttpRequest) -> HttpResponse:
    instances = instances_for(request.user).select_related("rls", "parent").order_by("rls__name", "name")
    kind, search = request.GET.get("kind", ""), request.GET.get("search", "").strip()
    if kind in Instance.Kind.values:
        instances = instances.filter(kind=kind)
    if search:
        instances = instances.filter(name__icontains=search)
    today = timezone.localdate()
    instances = instances.annotate(
        n_members=Count(
            "memberships",
            filter=Q(memberships__start_date__lte=today)
            & (Q(memberships__end_date__isnull=True) | Q(memberships__end_date__gte=today)),
        )
    )
    page = Paginator(instances, 50).get_page(request.GET.get("page"))
    rls_ids = instances_for(request.user).values("rls_id").distinct()
    context = {
        "page": page,
        "kinds": Instance.Kind.choices,
        "kind": kind,
        "search": search,
        "query": request.GET.copy().urlencode(),
        "rls_list": Territory.objects.filter(pk__in=rls_ids),
        "can_add": request.user.has_perm("concertation.add_instance"),
    }
    return render(request, "concertation/instance_list.html", context)


def current_members(instance: Instance):
    today = timezone.localdate()
    return (
        instance.memberships.active_on(today)
        .select_related("organization", "person")
        .order_by("organization__name", "person__last_name", "person__first_name", "pk")
    )


def decision_gap(members) -> dict | None:
    """Comparable power (domain.md §1): warn when representatives' decision levels are far apart."""
    levels = {m.person.decision_level for m in members if m.person_id}
    if len(levels) < 2:
        return None
    ranks = sorted(levels, key=lambda lv: DECISION_RANK[lv])
    if DECISION_RANK[ranks[-1]] - DECISION_RANK[ranks[0]] < 2:
        return None
    return {"low": Person.DecisionLevel(ranks[0]).label, "high": Person.DecisionLevel(ranks[-1]).label}


def sector_mix(members) -> list[dict]:
    """Member organisations by sector (citizen seats are counted apart, on the page)."""
    counts: dict[str, set[int]] = {}
    for m in members:
        if m.organization_id is None:
            continue
        counts.setdefault(m.organization.sector, set()).add(m.organization_id)
    labels = dict(Organization.Sector.choices)
    total = sum(len(v) for v in counts.values()) or 1
    return sorted(
        ({"sector": labels[s], "count": len(ids), "share": round(100 * len(ids) / total)} for s, ids in counts.items()),
        key=lambda row: -row["count"],
    )


@login_required
@require_GET
def instance_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk)
    members = list(current_members(instance))
    can_manage = request.user.has_perm("concertation.change_instance", instance)
    delegations_in = Delegation.objects.filter(seat__instance=instance).select_related(
        "source__instance", "source__organization", "source__person", "seat__person"
    )
    delegations_out = Delegation.objects.filter(source__instance=instance).select_related(
        "seat__instance", "source__organization", "source__person"
    )
    context = {
        "instance": instance,
        "members": members,
        "former_members": instance.memberships.filter(end_date__lt=timezone.localdate())
        .select_related("organization", "person")
        .order_by("-end_date")[:50],
        "bourque": bourque_for(instance, {m.organization.sector for m in members if m.organization_id}),
        "citizens": sum(1 for m in members if m.organization_id is None),
        "gap": decision_gap(members),
        "mix": sector_mix(members),
        "delegations_in": delegations_in,
        "delegations_out": delegations_out,
        "children": instance.children.all(),
        "can_manage": can_manage,
        "override_form": BourqueOverrideForm(
            initial={"bourque_type": instance.bourque_override, "reason": instance.bourque_override_reason}
        )
        if can_manage
        else None,
        "membership_form": MembershipForm(instance_obj=instance, with_exit=False) if can_manage else None,
    }
    for section in (meetings, priorities, plans, analytics):
        context.update(section.instance_section(instance, request))
    # The participation curve read the instance's context events (in date order) already.
    context["context_events"] = context_events(request, instance, context["analytics_section"]["events"], can_manage)
    return render(request, "concertation/instance_detail.html", context)


def context_events(
    request: HttpRequest, instance: Instance, events: list[ContextEvent], can_manage: bool
) -> list[ContextEvent]:
    """The instance's events and its RLS's (given oldest first), newest first, each saying whether the user may
    change it."""
    manages_rls = timeline.coordinates_rls(request.user, instance.rls_id)
    for event in events:
        event.can_manage = manages_rls if event.whole_rls else can_manage
    return events[::-1]


@login_required
def instance_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("concertation.add_instance"):
        raise PermissionDenied
    form = InstanceForm(request.POST or None, user=request.user, initial={"parent": request.GET.get("parent")})
    return save_page(
        request, form, title=_("New instance"), back=None, cancel_url=reverse("concertation:instance_list"),
        save=lambda data: actions.create_instance(request.user, data),
        success=_("Instance “%(name)s” created.") % {"name": form.data.get("name", "")},
    )  # fmt: skip


@login_required
def instance_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    form = InstanceForm(request.POST or None, instance=Instance.objects.get(pk=pk), user=request.user)
    return save_page(
        request, form, title=_("Edit %(name)s") % {"name": instance.name}, back=instance,
        save=lambda data: actions.update_instance(request.user, Instance.objects.get(pk=pk), data),
        success=_("Changes saved."),
    )  # fmt: skip


@login_required
@require_POST
def bourque_override(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    form = BourqueOverrideForm(request.POST)
    if not form.is_valid():
        return refused(request, form_errors(form), instance)
    data = form.cleaned_data
    return run(
        request, instance, lambda: actions.override_bourque_type(request.user, instance, data["bourque_type"],
                                                                 data["reason"]),
        success=_("Bourque type saved."),
    )  # fmt: skip


@login_required
def membership_add(request: HttpRequest, pk: int) -> HttpResponse:
    """The instance page holds the form; a refused one comes back here, on its own page, next to its fields."""
    instance = get_instance(request, pk, manage=True)
    form = MembershipForm(request.POST or None, instance_obj=instance)
    return save_page(
        request, form, title=_("Add a member to %(name)s") % {"name": instance.name}, back=instance,
        save=lambda data: actions.add_membership(request.user, instance, data), success=_("Member added."),
        next_url=instance.get_absolute_url(),
    )  # fmt: skip


@login_required
def membership_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    membership = get_object_or_404(Membership, pk=membership_pk, instance=instance)
    form = MembershipForm(request.POST or None, instance=membership, instance_obj=instance)
    return save_page(
        request, form, title=_("Membership of %(org)s") % {"org": membership.seat_label}, back=instance,
        save=lambda data: actions.update_membership(request.user, Membership.objects.get(pk=membership.pk), data),
        success=_("Membership saved."), next_url=instance.get_absolute_url(),
    )  # fmt: skip


@login_required
def delegation_add(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    source = get_object_or_404(
        Membership.objects.select_related("organization", "person", "instance"), pk=membership_pk, instance=instance
    )
    form = DelegationForm(request.POST or None, source=source, user=request.user)
    return save_page(
        request, form, title=_("Delegate %(org)s to another instance") % {"org": source.seat_label}, back=instance,
        save=lambda data: actions.delegate(request.user, source, data["to_instance"], data["start_date"]),
        success=_("Delegation recorded."), next_url=instance.get_absolute_url(),
    )  # fmt: skip


# Context timeline ----------------------------------------------------------------------------------------------


def _get_event(instance: Instance, event_pk: int) -> ContextEvent:
    """An event shown on the instance page: the instance's own, or one of its whole RLS (404 otherwise)."""
    return get_object_or_404(ContextEvent.objects.for_instance(instance), pk=event_pk)


@login_required
def context_event_add(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    allowed = timeline.coordinates_rls(request.user, instance.rls_id)
    form = ContextEventForm(request.POST or None, whole_rls_allowed=allowed)
    return save_page(
        request, form, title=_("Add an event to the context of %(name)s") % {"name": instance.name}, back=instance,
        save=lambda data: timeline.add_context_event(request.user, timeline.event_data(instance, data)),
        success=_("Event added to the context."), next_url=instance.get_absolute_url() + "#context",
    )  # fmt: skip


@login_required
def context_event_edit(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    event = _get_event(instance, event_pk)
    if not timeline.may_manage(request.user, event):
        raise PermissionDenied
    form = ContextEventForm(request.POST or None, instance=ContextEvent.objects.get(pk=event.pk))
    return save_page(
        request, form, title=_("Edit the event “%(title)s”") % {"title": event.title}, back=instance,
        save=lambda data: timeline.update_context_event(request.user, event, data),
        success=_("Changes saved."), next_url=instance.get_absolute_url() + "#context",
    )  # fmt: skip


@login_required
def context_event_delete(request: HttpRequest, pk: int, event_pk: int) -> HttpResponse:
    instance = get_instance(request, pk, manage=True)
    event = _get_event(instance, event_pk)
    if not timeline.may_manage(request.user, event):
        raise PermissionDenied
    if request.method == "POST":
        timeline.delete_context_event(request.user, event)
        messages.success(request, _("Event deleted."))
        return redirect(instance.get_absolute_url() + "#context")
    context = {"obj": event, "kind": _("context event"), "back": instance}
    return render(request, "concertation/plan_delete.html", context)


@login_required
@require_GET
def instance_history(request: HttpRequest, pk: int) -> HttpResponse:
    return history_page(request, get_instance(request, pk), "concertation:instance_detail")


@login_required
@require_GET
def structure_diagram(request: HttpRequest, rls_pk: int) -> HttpResponse:
    rls = get_object_or_404(Territory, pk=rls_pk, kind=Territory.Kind.RLS)
    instances = list(instances_for(request.user).filter(rls=rls).order_by("name"))
    if not instances and not request.user.has_perm("concertation.add_instance"):
        raise PermissionDenied
    visible = {i.pk for i in instances}
    delegations = [
        (d.source.instance_id, d.seat.instance_id, d.source.seat_label)
        for d in Delegation.objects.filter(seat__end_date__isnull=True, source__instance__rls=rls).select_related(
            "source__organization", "source__person", "source", "seat"
        )
        if d.source.instance_id in visible and d.seat.instance_id in visible
    ]
    diagram = structure.layout(instances, delegations)
    return render(request, "concertation/structure.html", {"rls": rls, "diagram": diagram})
