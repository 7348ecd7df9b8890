"""API representations of the registry. They shape the input and offer the user's choices; registry.actions checks
the rules and writes."""

from collections.abc import Callable

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from registry import rules as perms
from registry.models import Affiliation, FundingLine, Organization, OrganizationLink, Person, Territory


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """Accepts only what the user may choose: an id outside their scope is answered like an id that does not exist."""

    def __init__(self, scope: Callable[..., QuerySet], **kwargs) -> None:
        self.scope = scope
        super().__init__(**kwargs)

    def get_queryset(self) -> QuerySet:
        return self.scope(getattr(self.context.get("request"), "user", None))


class WholeItemSerializer(serializers.ModelSerializer):
    """An item of a nested list replaces a whole record: its required fields stay required in a PATCH of the
    parent (DRF would otherwise skip them, and the item would reach the action incomplete)."""

    def validate(self, attrs: dict) -> dict:
        if getattr(self.root, "partial", False):
            missing = {
                name: [field.error_messages["required"]]
                for name, field in self.fields.items()
                if field.required and not field.read_only and field.source not in attrs
            }
            if missing:
                raise serializers.ValidationError(missing)
        return attrs


class FundingLineSerializer(WholeItemSerializer):
    class Meta:
        model = FundingLine
        fields = ["id", "year", "source", "amount", "funder"]
        read_only_fields = ["id"]
        # Not negative: the action says so, in the same words for the pages and the API.
        extra_kwargs = {"amount": {"min_value": None}}


@extend_schema_field({"type": "string", "enum": OrganizationLink.Kind.values})
class SuccessionKindField(serializers.ChoiceField):
    """An inline enum: "kind" names other choice sets in the schema."""


class LinkedOrganizationSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The other organisation's id.")
    name = serializers.CharField()
    kind = SuccessionKindField(choices=OrganizationLink.Kind.choices, help_text="A merger or a replacement.")
    date = serializers.DateField()


class OrganizationSerializer(serializers.ModelSerializer):
    funding = FundingLineSerializer(
        source="funding_lines",
        many=True,
        required=False,
        allow_null=True,
        help_text="Null when the organisation does not share the detail of its funding with the user "
        "(`funding_visibility`).",
    )
    territories = serializers.PrimaryKeyRelatedField(many=True, queryset=Territory.objects.all(), required=False)
    rls = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.filter(kind=Territory.Kind.RLS))
    archived = serializers.SerializerMethodField()
    is_aca = serializers.BooleanField(
        required=False,
        help_text="True when the eight ACA criteria are met. Writing it ticks (or unticks) all eight; prefer "
        "`aca_criteria`.",
    )
    aca_criteria = serializers.MultipleChoiceField(
        choices=Organization.AcaCriterion.choices,
        required=False,
        help_text="The criteria of independent community action the organisation meets (community sector only).",
    )
    predecessors = serializers.SerializerMethodField()
    successors = serializers.SerializerMethodField()
    owned = serializers.SerializerMethodField(
        help_text="True when the organisation has a representative account and keeps its own record: the RLS "
        "coordinators then propose changes (/api/v1/change-requests/)."
    )

    class Meta:
        model = Organization
        fields = [
            "id", "name", "sector", "is_aca", "aca_criteria", "aca_verified_on", "neq", "mission", "territories",
            "website", "email", "phone", "funding", "funding_visibility", "rls", "founded_year", "address",
            "postal_code", "is_public", "archived", "owned", "predecessors", "successors",
        ]  # fmt: skip
        validators = []  # one name per RLS: the action checks it, with the message of the pages
        extra_kwargs = {
            "funding_visibility": {"help_text": "Who reads the detail of the funding lines; set by the organisation."}
        }

    def get_archived(self, org: Organization) -> bool:
        return org.archived_at is not None

    def get_owned(self, org: Organization) -> bool:
        return perms.is_owned(org)

    def _links(self, links, other: str) -> list[dict]:
        user = getattr(self.context.get("request"), "user", None)
        return [
            {"id": getattr(link, other).pk, "name": getattr(link, other).name, "kind": link.kind, "date": link.date}
            for link in links
            if perms.can_read_organization(user, getattr(link, other))
        ]

    @extend_schema_field(LinkedOrganizationSerializer(many=True))
    def get_predecessors(self, org: Organization) -> list[dict]:
        return self._links(org.predecessor_links.all(), "predecessor")

    @extend_schema_field(LinkedOrganizationSerializer(many=True))
    def get_successors(self, org: Organization) -> list[dict]:
        return self._links(org.successor_links.all(), "successor")

    def to_representation(self, org: Organization) -> dict:
        data = super().to_representation(org)
        user = getattr(self.context.get("request"), "user", None)
        if user is not None and not perms.can_read_funding(user, org):
            data["funding"] = None
        data["aca_criteria"] = sorted(org.aca_criteria)
        return data

    def validate(self, attrs: dict) -> dict:
        if "funding_lines" in attrs:
            attrs["funding"] = attrs.pop("funding_lines")
            if attrs["funding"] is None:
                del attrs["funding"]
        if "aca_criteria" in attrs:
            attrs["aca_criteria"] = sorted(attrs["aca_criteria"])
        return attrs


class AffiliationSerializer(WholeItemSerializer):
    organization = ScopedRelatedField(lambda user: perms.editable_organizations_for(user).active())

    class Meta:
        model = Affiliation
        fields = ["id", "organization", "title", "start_date", "end_date"]
        read_only_fields = ["id"]
        validators = []  # the end date before the start date: the action says so next to end_date


class EndAffiliationSerializer(serializers.Serializer):
    end_date = serializers.DateField()


class PersonSerializer(serializers.ModelSerializer):
    affiliations = AffiliationSerializer(
        many=True,
        required=False,
        help_text="On update, replaces the affiliations with organisations the user manages; the others are kept.",
    )
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "first_name", "last_name", "email", "phone", "position", "decision_level", "affiliations", "archived",
        ]  # fmt: skip

    def get_archived(self, person: Person) -> bool:
        return person.archived_at is not None


class TerritorySerializer(serializers.ModelSerializer):
    population = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    population_65_plus = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    year = serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True)
    parent = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.all(), allow_null=True, required=False)
    grouped_municipalities = serializers.PrimaryKeyRelatedField(
        many=True, queryset=Territory.objects.filter(kind=Territory.Kind.MUNICIPALITY), required=False
    )

    class Meta:
        model = Territory
        fields = [
            "id", "name", "kind", "parent", "population", "population_65_plus", "year", "code", "description",
            "grouped_municipalities",
        ]  # fmt: skip

    def to_representation(self, territory: Territory) -> dict:
        data = super().to_representation(territory)
        figure = territory.latest_population()
        data.update(
            population=figure.population if figure else None,
            population_65_plus=figure.population_65_plus if figure else None,
            year=figure.year if figure else None,
        )
        return data
