"""List filters shared by the pages, the exports and the API."""

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from registry import rules as perms
from registry.models import Organization, Person, Territory

ARCHIVED_WIDGET = forms.Select(choices=[("", _("Active only")), ("true", _("Archived only"))])


class YesNoField(forms.NullBooleanField):
    """true/false (or 1/0), or nothing; anything else is refused (the API answers 400 naming the parameter)
    instead of being read as "no filter"."""

    default_error_messages = {"invalid_choice": forms.ChoiceField.default_error_messages["invalid_choice"]}

    def to_python(self, value):
        result = super().to_python(value)
        if result is None and value not in (None, ""):
            raise forms.ValidationError(self.error_messages["invalid_choice"], "invalid_choice", {"value": value})
        return result


class YesNoFilter(django_filters.BooleanFilter):
    field_class = YesNoField


def visible_organizations(request) -> QuerySet:
    """The organisations the user may see: one outside them is refused like one that does not exist."""
    return perms.organizations_for(getattr(request, "user", None))


def _territory_with_descendants(queryset, name, value: Territory):
    return queryset.in_territory(value) if value else queryset


class OrganizationFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    sector = django_filters.ChoiceFilter(
        label=_("Sector"), choices=Organization.Sector.choices, empty_label=_("All sectors")
    )
    territory = django_filters.ModelChoiceFilter(
        label=_("Territory"),
        queryset=Territory.objects.all(),
        method=_territory_with_descendants,
        empty_label=_("All territories"),
    )
    is_aca = YesNoFilter(
        label=_("ACA"), widget=forms.Select(choices=[("", _("All")), ("true", _("ACA only")), ("false", _("Not ACA"))])
    )
    archived = YesNoFilter(label=_("Show"), method="filter_archived", widget=ARCHIVED_WIDGET)

    class Meta:
        model = Organization
        fields = ["search", "sector", "territory", "is_aca", "archived"]

    def filter_search(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(neq=value) | Q(email__icontains=value))

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value) if value is not None else queryset

    @property
    def qs(self):
        qs = super().qs
        # Archived records stay out of lists unless asked for, even when another filter value is invalid.
        if getattr(self.form, "cleaned_data", {}).get("archived") is None:
            qs = qs.filter(archived_at__isnull=True)
        return qs


class PersonFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    decision_level = django_filters.ChoiceFilter(
        label=_("Decision level"), choices=Person.DecisionLevel.choices, empty_label=_("All levels")
    )
    organization = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=visible_organizations, field_name="affiliations__organization",
        distinct=False, method="filter_organization", empty_label=_("All organisations"),
    )  # fmt: skip
    archived = YesNoFilter(label=_("Show"), method="filter_archived", widget=ARCHIVED_WIDGET)

    class Meta:
        model = Person
        fields = ["search", "decision_level", "organization", "archived"]

    def filter_search(self, queryset, name, value: str):
        for word in value.split()[:4]:
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
            )
        return queryset

    def filter_organization(self, queryset, name, value):
        return queryset.filter(affiliations__organization=value).distinct() if value else queryset

    def filter_archived(self, queryset, name, value):
        return queryset.filter(archived_at__isnull=not value) if value is not None else queryset

    @property
    def qs(self):
        qs = super().qs
        if getattr(self.form, "cleaned_data", {}).get("archived") is None:
            qs = qs.filter(archived_at__isnull=True)
        return qs


class TerritoryFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Territory.Kind.choices, empty_label=_("All kinds"))
    parent = django_filters.ModelChoiceFilter(
        label=_("Located in"),
        queryset=Territory.objects.exclude(kind=Territory.Kind.MUNICIPALITY),
        method="filter_within",
        empty_label=_("Anywhere"),
    )

    class Meta:
        model = Territory
        fields = ["search", "kind", "parent"]

    def filter_within(self, queryset, name, value: Territory):
        return queryset.filter(path__startswith=value.path).exclude(pk=value.pk) if value else queryset
