"""API representations. Validation reuses the registry's rules; writes go through registry.actions."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from registry import rules as perms
from registry.forms import organization_rules, territory_rules
from registry.models import Affiliation, FundingLine, Organization, Person, Territory


class FundingLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingLine
        fields = ["year", "source", "amount", "funder"]
        extra_kwargs = {"amount": {"min_value": 0}}


class OrganizationSerializer(serializers.ModelSerializer):
    funding = FundingLineSerializer(source="funding_lines", many=True, required=False)
    territories = serializers.PrimaryKeyRelatedField(many=True, queryset=Territory.objects.all(), required=False)
    rls = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.filter(kind=Territory.Kind.RLS))
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Organization
        fields = [
            "id", "name", "sector", "is_aca", "neq", "mission", "territories", "website", "email", "phone",
            "funding", "rls", "founded_year", "address", "postal_code", "is_public", "archived",
        ]  # fmt: skip
        validators = []  # the name-per-RLS rule is checked in validate() with a clear message

    def get_archived(self, org: Organization) -> bool:
        return org.archived_at is not None

    def validate_rls(self, rls: Territory) -> Territory:
        scope = perms.scope_for(self.context["request"].user)
        unchanged = self.instance is not None and self.instance.rls_id == rls.pk
        if not (scope.is_admin or unchanged or rls.pk in scope.coordinated_rls):
            raise serializers.ValidationError(_("You cannot place an organisation in this RLS."))
        return rls

    def validate(self, attrs: dict) -> dict:
        merged = {
            "name": attrs.get("name", getattr(self.instance, "name", "")),
            "sector": attrs.get("sector", getattr(self.instance, "sector", None)),
            "is_aca": attrs.get("is_aca", getattr(self.instance, "is_aca", False)),
            "rls": attrs.get("rls", getattr(self.instance, "rls", None)),
        }
        errors = organization_rules(merged, self.instance.pk if self.instance else None)
        if errors:
            raise serializers.ValidationError(errors)
        if "funding_lines" in attrs:
            attrs["funding"] = attrs.pop("funding_lines")
        return attrs


class AffiliationSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())

    class Meta:
        model = Affiliation
        fields = ["id", "organization", "title", "start_date", "end_date"]
        read_only_fields = ["id"]
        validators = []

    def validate(self, attrs: dict) -> dict:
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if start and end and end < start:
            raise serializers.ValidationError({"end_date": _("The end date cannot be before the start date.")})
        return attrs


class PersonSerializer(serializers.ModelSerializer):
    affiliations = AffiliationSerializer(many=True, required=False)
    archived = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id", "first_name", "last_name", "email", "phone", "position", "decision_level", "affiliations", "archived",
        ]  # fmt: skip

    def get_archived(self, person: Person) -> bool:
        return person.archived_at is not None

    def validate_affiliations(self, items: list[dict]) -> list[dict]:
        user = self.context["request"].user
        editable = set(perms.editable_organizations_for(user).values_list("pk", flat=True))
        for item in items:
            if item["organization"].pk not in editable:
                raise serializers.ValidationError(
                    _("You cannot affiliate people with “%(name)s”.") % {"name": item["organization"].name}
                )
        return items

    def validate(self, attrs: dict) -> dict:
        user = self.context["request"].user
        if self.instance is None and not perms.scope_for(user).is_admin and not attrs.get("affiliations"):
            raise serializers.ValidationError(
                {"affiliations": _("Give at least one affiliation with an organisation you manage.")}
            )
        return attrs


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

    def validate_parent(self, parent: Territory | None) -> Territory | None:
        user = self.context["request"].user
        unchanged = self.instance is not None and self.instance.parent_id == (parent.pk if parent else None)
        if parent is not None and not unchanged and not user.has_perm("registry.change_territory", parent):
            raise serializers.ValidationError(_("You cannot add territories under this one."))
        if parent is None and not unchanged and not perms.scope_for(user).is_admin:
            raise serializers.ValidationError(_("Choose the territory this one belongs to."))
        return parent

    def validate(self, attrs: dict) -> dict:
        merged = {
            "kind": attrs.get("kind", getattr(self.instance, "kind", None)),
            "parent": attrs["parent"] if "parent" in attrs else getattr(self.instance, "parent", None),
            "population": attrs.get("population"),
            "population_65_plus": attrs.get("population_65_plus"),
            "year": attrs.get("year"),
        }
        errors = territory_rules(merged, self.instance)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs
