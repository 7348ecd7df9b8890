"""Register filters, shared by the page and the API."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, FundingAmount, Party
from registry.models import Organization, Territory

FUNDED_WIDGET = forms.Select(choices=[("", _("All")), ("true", _("Funded")), ("false", _("Not funded"))])


class AgreementFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agreement.Kind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Agreement.Status.choices, empty_label=_("All statuses")
    )
    # By id (the API, the dashboard's links) or by name on the page: a select of every organisation of the
    # province would weigh half a megabyte.
    party = django_filters.ModelChoiceFilter(
        label=_("Party"), queryset=Organization.objects.all(), method="filter_party", widget=forms.HiddenInput
    )
    party_name = django_filters.CharFilter(label=_("Party"), method="filter_party_name")
    territory = django_filters.ModelChoiceFilter(
        label=_("Territory"), queryset=Territory.objects.all(), method="filter_territory",
        empty_label=_("All territories"),
    )  # fmt: skip
    expiring = django_filters.NumberFilter(
        label=_("Ending within (days)"), method="filter_expiring", min_value=0, max_value=3650
    )
    funded = django_filters.BooleanFilter(label=_("Funding"), method="filter_funded", widget=FUNDED_WIDGET)

    class Meta:
        model = Agreement
        fields = ["search", "kind", "status", "party", "party_name", "territory", "expiring", "funded"]

    def filter_search(self, queryset, name, value: str):
        value = value.strip()
        return queryset.filter(title__icontains=value) if value else queryset

    def filter_party(self, queryset, name, value: Organization):
        if not value:
            return queryset
        return queryset.filter(Exists(Party.objects.filter(agreement=OuterRef("pk"), organization=value)))

    def filter_party_name(self, queryset, name, value: str):
        value = value.strip()
        if not value:
            return queryset
        parties = Party.objects.filter(agreement=OuterRef("pk"), organization__name__icontains=value)
        return queryset.filter(Exists(parties))

    def filter_territory(self, queryset, name, value: Territory):
        """Agreements of an RLS at or below the territory, or with a party serving it."""
        if not value:
            return queryset
        served = Organization.territories.through.objects.filter(territory__path__startswith=value.path).values(
            "organization_id"
        )
        parties = Party.objects.filter(agreement=OuterRef("pk"), organization_id__in=served)
        return queryset.filter(Q(rls__path__startswith=value.path) | Exists(parties))

    def filter_expiring(self, queryset, name, value):
        if value in (None, ""):
            return queryset
        today = timezone.localdate()
        return queryset.filter(
            status__in=[Agreement.Status.SIGNED, Agreement.Status.IN_FORCE],
            end_date__gte=today,
            end_date__lte=today + datetime.timedelta(days=int(value)),
        )

    def filter_funded(self, queryset, name, value):
        if value is None:
            return queryset
        funded = Exists(FundingAmount.objects.filter(agreement=OuterRef("pk"), amount__gt=0))
        return queryset.filter(funded if value else ~funded)
