"""Register filters, shared by the page and the API."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from agreements.models import Agreement, FundingAmount, Party
from agreements.rules import agreements_for
from registry.models import Organization, Territory
from registry.rules import organizations_for


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.ModelChoiceFilter):
    """A filter by id (the API documents an integer; the method-based lookup hides the type from the schema)."""


def party_choices(request) -> QuerySet:
    """The organisations a user may filter by: those they see in the registry and the parties of the agreements
    they see (a representative sees the other parties of their agreements). Same answer for hidden and unknown."""
    if request is None:
        return Organization.objects.none()
    user = request.user
    parties = Party.objects.filter(agreement__in=agreements_for(user)).values("organization_id")
    return Organization.objects.filter(Q(pk__in=organizations_for(user).values("pk")) | Q(pk__in=parties))


class AgreementFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Agreement.Kind.choices, empty_label=_("All kinds"))
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Agreement.Status.choices, empty_label=_("All statuses")
    )
    # By id (the API, the dashboard's links) or by name on the page: a select of every organisation of the
    # province would weigh half a megabyte.
    party = IdFilter(label=_("Party"), queryset=party_choices, method="filter_party", widget=forms.HiddenInput)
    party_name = django_filters.CharFilter(label=_("Party"), method="filter_party_name")
    territory = IdFilter(
        label=_("Territory"), queryset=Territory.objects.all(), method="filter_territory",
        empty_label=_("All territories"),
    )  # fmt: skip
    expiring = django_filters.NumberFilter(
        label=_("Ending within (days)"), method="filter_expiring", min_value=0, max_value=3650
    )
    funded = django_filters.ChoiceFilter(
        label=_("Funding"), choices=[("true", _("Funded")), ("false", _("Not funded"))], empty_label=_("All"),
        method="filter_funded",
    )  # fmt: skip

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

    def filter_funded(self, queryset, name, value: str):
        if not value:
            return queryset
        funded = Exists(FundingAmount.objects.filter(agreement=OuterRef("pk"), amount__gt=0))
        return queryset.filter(funded if value == "true" else ~funded)
