"""/api/v1/legal-bases: the acts and articles agreements rest on, with their in-force dates (read-only reference
data, kept in the administration). Filter by the day a basis is in force, its purpose, its chapter, or whether its
article is still to verify."""

import django_filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from agreements.models import LegalBasis
from api.views import Pagination


class LegalBasisSerializer(serializers.ModelSerializer):
    act = serializers.CharField(source="law", read_only=True, help_text="The official title of the act (French).")
    act_en = serializers.CharField(source="law_en", read_only=True, help_text="Its English title.")
    citation = serializers.SerializerMethodField(help_text="How agreements cite it, in the caller's language.")

    class Meta:
        model = LegalBasis
        fields = [
            "id", "act", "act_en", "chapter", "article", "title", "title_en", "purpose", "in_force_from",
            "in_force_to", "to_verify", "verification_note", "citation", "summary", "summary_en", "clause",
            "clause_en", "complaints_officer", "complaints_officer_en",
        ]  # fmt: skip
        read_only_fields = fields

    def get_citation(self, basis: LegalBasis) -> str:
        return str(basis)


@extend_schema_field(OpenApiTypes.DATE)
class DayFilter(django_filters.DateFilter):
    """A day (YYYY-MM-DD)."""


class LegalBasisFilter(django_filters.FilterSet):
    in_force_on = DayFilter(method="filter_in_force_on", help_text="Only the bases in force on this day.")
    purpose = django_filters.ChoiceFilter(choices=LegalBasis.Purpose.choices)
    chapter = django_filters.CharFilter(help_text="An RLRQ chapter, for example G-1.021.")
    to_verify = django_filters.BooleanFilter(help_text="Only the bases whose article is (or is not) to verify.")

    class Meta:
        model = LegalBasis
        fields = ["in_force_on", "purpose", "chapter", "to_verify"]

    def filter_in_force_on(self, queryset, name, value):
        return queryset.in_force_on(value) if value else queryset


class LegalBasisViewSet(viewsets.ReadOnlyModelViewSet):
    """Every signed-in user reads the legal bases: they are public law, and the agreements cite them by id."""

    serializer_class = LegalBasisSerializer
    pagination_class = Pagination
    filterset_class = LegalBasisFilter
    queryset = LegalBasis.objects.order_by("chapter", "article", "in_force_from", "pk")
