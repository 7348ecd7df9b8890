"""/api/v1/change-requests/: changes proposed by an RLS coordinator to the record of an organisation that keeps its
own (it has a representative account), and the organisation's answer. The same actions as the pages
(registry.change_requests): list within the user's scope, create = propose, accept, refuse, withdraw."""

from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.schema import CONFLICT
from api.serializers import FundingLineSerializer, OrganizationSerializer, PersonSerializer, ScopedRelatedField
from api.views import Pagination
from registry import change_requests
from registry import rules as perms
from registry.models import ChangeRequest, FundingLine

Kind = ChangeRequest.Kind


# A scoped id field has no model for drf-spectacular to read its type from.
@extend_schema_field(OpenApiTypes.INT)
class ScopedId(ScopedRelatedField):
    pass


class ChangeRequestSerializer(serializers.ModelSerializer):
    # A string here, the enum on the input: "kind" names other choice sets in the schema, and one set used by two
    # components gets a hashed name.
    kind = serializers.CharField(read_only=True, help_text="organization, funding_add, funding_remove or person.")
    proposed_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Empty once that account is deleted."
    )
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True, help_text="Empty while the proposal waits."
    )
    changes = serializers.JSONField(read_only=True, help_text="What the proposal changes: field → [before, after].")
    proposal = serializers.JSONField(
        source="payload", read_only=True, help_text="The input proposed, applied as it stands when accepted."
    )

    class Meta:
        model = ChangeRequest
        fields = [
            "id", "organization", "kind", "person", "funding_line", "status", "proposal", "changes",
            "proposed_by", "proposed_at", "decided_by", "decided_at", "reason",
        ]  # fmt: skip
        read_only_fields = fields


class ProposeSerializer(serializers.Serializer):
    """`proposal` takes the fields of the organisation (kind `organization`), of a funding line (`funding_add`) or of
    a person (`person`), as the /organizations/, funding and /people/ endpoints do; `funding_remove` names the line."""

    kind = serializers.ChoiceField(choices=Kind.choices)
    organization = ScopedId(
        perms.organizations_for, required=False, help_text="For `organization`, `funding_add` and `funding_remove`."
    )
    person = ScopedId(perms.people_for, required=False, help_text="For `person`.")
    funding_line = serializers.IntegerField(required=False, help_text="For `funding_remove`: the line's id.")
    proposal = serializers.DictField(required=False, help_text="The fields to change, as for a direct edit.")

    SHAPES = {
        Kind.ORGANIZATION: (OrganizationSerializer, {"partial": True}),
        Kind.FUNDING_ADD: (FundingLineSerializer, {}),
        Kind.PERSON: (PersonSerializer, {"partial": True}),
    }

    def validate(self, attrs: dict) -> dict:
        kind = attrs["kind"]
        needed = "person" if kind == Kind.PERSON else "organization"
        if attrs.get(needed) is None:
            raise serializers.ValidationError({needed: [serializers.Field.default_error_messages["required"]]})
        if kind == Kind.FUNDING_REMOVE:
            if attrs.get("funding_line") is None:
                raise serializers.ValidationError(
                    {"funding_line": [serializers.Field.default_error_messages["required"]]}
                )
            return attrs
        shape, options = self.SHAPES[Kind(kind)]
        inner = shape(data=attrs.get("proposal") or {}, context=self.context, **options)
        if not inner.is_valid():
            raise serializers.ValidationError({"proposal": inner.errors})
        data = dict(inner.validated_data)
        if kind == Kind.PERSON and "affiliations" in data:
            raise serializers.ValidationError({"proposal": {"affiliations": [str(change_requests.NOT_PROPOSABLE)]}})
        attrs["proposal"] = data
        return attrs


class RefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ChangeRequestFilter(filters.FilterSet):
    organization = filters.NumberFilter(field_name="organization_id", help_text="Proposals to this organisation.")
    status = filters.ChoiceFilter(choices=ChangeRequest.Status.choices)
    kind = filters.ChoiceFilter(choices=Kind.choices)

    class Meta:
        model = ChangeRequest
        fields = ["organization", "status", "kind"]


ANSWERED = {200: ChangeRequestSerializer, **CONFLICT}


@extend_schema_view(
    list=extend_schema(summary="Proposals visible to the user (their organisation's, their RLS's)"),
    retrieve=extend_schema(summary="A proposal"),
    create=extend_schema(
        summary="Propose a change to an organisation that keeps its own record (RLS coordinator)",
        request=ProposeSerializer,
        responses={201: ChangeRequestSerializer, **CONFLICT},
    ),
)
class ChangeRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    serializer_class = ChangeRequestSerializer
    filterset_class = ChangeRequestFilter
    pagination_class = Pagination

    def get_queryset(self):
        return perms.change_requests_for(self.request.user).select_related("proposed_by", "decided_by")

    def filter_queryset(self, queryset):
        return queryset if self.detail else super().filter_queryset(queryset)

    def create(self, request, *args, **kwargs) -> Response:
        body = ProposeSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = request.user
        kind = data["kind"]
        if kind == Kind.ORGANIZATION:
            change = change_requests.propose_organization_change(user, data["organization"], data["proposal"])
        elif kind == Kind.FUNDING_ADD:
            change = change_requests.propose_funding_line(user, data["organization"], data["proposal"])
        elif kind == Kind.FUNDING_REMOVE:
            line = FundingLine.objects.filter(Q(pk=data["funding_line"]), organization=data["organization"]).first()
            if line is None:
                raise serializers.ValidationError({"funding_line": [_("This funding line does not exist.")]})
            change = change_requests.propose_funding_removal(user, line)
        else:
            change = change_requests.propose_person_change(user, data["person"], data["proposal"])
        return Response(self.get_serializer(change).data, status=status.HTTP_201_CREATED)

    def _change(self) -> ChangeRequest:
        return get_object_or_404(self.get_queryset().select_related("organization"), pk=self.kwargs["pk"])

    @extend_schema(summary="Accept a proposal (the organisation's representative)", request=None, responses=ANSWERED)
    @action(detail=True, methods=["post"])
    def accept(self, request, **kwargs) -> Response:
        change = change_requests.accept_change(request.user, self._change())
        return Response(self.get_serializer(change).data)

    @extend_schema(
        summary="Refuse a proposal, with an optional reason (the organisation's representative)",
        request=RefuseSerializer,
        responses=ANSWERED,
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, **kwargs) -> Response:
        body = RefuseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = change_requests.refuse_change(request.user, self._change(), body.validated_data.get("reason", ""))
        return Response(self.get_serializer(change).data)

    @extend_schema(
        summary="Withdraw a pending proposal (an RLS coordinator)",
        request=None,
        responses=ANSWERED,
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request, **kwargs) -> Response:
        change = change_requests.withdraw_change(request.user, self._change())
        return Response(self.get_serializer(change).data)
