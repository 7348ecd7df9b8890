"""The list filters of the concertation API, declared so that they appear in the schema and a bad value answers
400 naming the parameter. The names are those clients already use."""

import django_filters
from django import forms

from concertation.models import ActionPlan, Demarche, Instance, Meeting, Membership, PriorityExercise


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number (an id outside the user's scope simply matches nothing)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs) -> None:
        # Bounded like the database's ids: a larger number is refused (400) instead of overflowing the query (500).
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class InstanceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Instance.Kind.choices)
    basis = django_filters.ChoiceFilter(choices=Instance.Basis.choices)
    level = django_filters.ChoiceFilter(choices=Instance.Level.choices)
    rls = IdFilter(field_name="rls", help_text="Id of the RLS.")
    search = django_filters.CharFilter(field_name="name", lookup_expr="icontains", help_text="Part of the name.")

    class Meta:
        model = Instance
        fields = ["kind", "basis", "level", "rls", "search"]


class MembershipFilter(django_filters.FilterSet):
    instance = IdFilter(field_name="instance")
    organization = IdFilter(field_name="organization")
    seat = django_filters.ChoiceFilter(
        choices=[("organization", "organization"), ("citizen", "citizen")], method="filter_seat",
        help_text="`citizen`: the seats of people who sit as themselves (no organisation); `organization`: the others.",
    )  # fmt: skip

    class Meta:
        model = Membership
        fields = ["instance", "organization", "seat"]

    def filter_seat(self, queryset, name, value):
        return queryset.filter(organization__isnull=value == "citizen")


class MeetingFilter(django_filters.FilterSet):
    instance = IdFilter(field_name="instance")
    # "from" is a Python keyword: declared through the class namespace.
    locals()["from"] = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", help_text="Meetings on or after this day."
    )
    to = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", help_text="Meetings until this day."
    )

    class Meta:
        model = Meeting
        fields = ["instance", "from", "to"]


class ByInstanceFilter(django_filters.FilterSet):
    instance = IdFilter(field_name="instance")

    @classmethod
    def of(cls, model) -> type["ByInstanceFilter"]:
        meta = type("Meta", (), {"model": model, "fields": ["instance"]})
        return type(f"{model.__name__}Filter", (cls,), {"Meta": meta})


PriorityExerciseFilter = ByInstanceFilter.of(PriorityExercise)
ActionPlanFilter = ByInstanceFilter.of(ActionPlan)
DemarcheFilter = ByInstanceFilter.of(Demarche)
