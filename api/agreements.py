"""/api/v1/agreements: the register, an agreement with its parties, contacts, sections and amounts, its lifecycle
(`POST …/transition`), amendments and versions, negotiation log, funding, payments, reports, attachments and
documents.

Serializers shape the input and offer the objects the user may pick (a hidden id answers like an unknown one); the
actions (agreements.actions) check the permission and the scope of every object named, and api.errors turns their
refusals into 400/403/409. Every write of the agreement pages has its operation here, calling the same action.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from agreements import documents, uploads
from agreements import rules as agreement_rules
from agreements.actions import agreements as actions
from agreements.actions import follow_up, legal_bases
from agreements.filters import AgreementFilter
from agreements.models import (
    Agreement,
    AgreementVersion,
    Attachment,
    FundingAmount,
    LegalBasis,
    NegotiationIssue,
    Party,
    PartyContact,
    Payment,
    Report,
    SectionCode,
)
from agreements.rules import agreements_for
from api.schema import CONFLICT
from api.views import Pagination
from concertation.models import ActionPlan, Instance
from concertation.rules import instances_for
from core import audit
from core.models import AuditEvent
from registry.models import Organization, Person, Territory

JSON_OR_UPLOAD = [JSONParser, MultiPartParser, FormParser]
NO_CONTENT = {204: OpenApiResponse(description="Done; nothing to return.")}


@contextmanager
def _named_as_input(action_field: str, input_field: str) -> Iterator[None]:
    """The action names a field as the pages do; this API's input names it otherwise: its refusal goes under the
    name the client sent (api.errors answers it)."""
    try:
        yield
    except ValidationError as error:
        if hasattr(error, "error_dict") and action_field in error.error_dict:
            error.error_dict[input_field] = error.error_dict.pop(action_field)
        raise


def _agreement(serializer: serializers.Serializer) -> Agreement:
    return serializer.context["agreement"]


def _user(serializer: serializers.Serializer):
    return serializer.context["request"].user


def _viewer(serializer: serializers.Serializer):
    """The user a response is for (None outside a request: everything, as the actions' own answers)."""
    request = serializer.context.get("request")
    return request.user if request is not None else None


# Reading --------------------------------------------------------------------------------------------------


class ContactSerializer(serializers.ModelSerializer):
    # Ids read off the row: a related field per id cost the register (four contacts an agreement) a tenth of its time.
    party = serializers.IntegerField(source="party_id", read_only=True)
    person = serializers.IntegerField(source="person_id", read_only=True)
    recorded_by = serializers.IntegerField(
        source="recorded_by_id", read_only=True, allow_null=True, help_text="Who recorded the contact or signature."
    )
    evidence = serializers.SerializerMethodField(help_text="Attachments (signed pages) proving the signature.")

    class Meta:
        model = PartyContact
        fields = ["id", "party", "person", "role", "signed_on", "recorded_by", "evidence"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_evidence(self, contact: PartyContact) -> list[int]:
        known = self.context.get("evidence", {})
        return known[contact.pk] if contact.pk in known else evidence_of([contact], _viewer(self))[contact.pk]

    def to_representation(self, contact: PartyContact) -> dict:
        # Written out: the register shows about four contacts per agreement, and DRF's field-by-field walk cost it
        # a tenth of its time. The fields above still describe the shape (schema, tests).
        signed_on = contact.signed_on
        return {
            "id": contact.pk, "party": contact.party_id, "person": contact.person_id, "role": contact.role,
            "signed_on": signed_on.isoformat() if signed_on else None, "recorded_by": contact.recorded_by_id,
            "evidence": self.get_evidence(contact),
        }  # fmt: skip


def contacts_of(agreements: list[Agreement]) -> list[PartyContact]:
    return [contact for a in agreements for party in a.parties.all() for contact in party.contacts.all()]


def evidence_of(contacts: list[PartyContact], user=None) -> dict[int, list[int]]:
    """The ids of the signed pages attached as evidence, per contact, read in one query of plain values (a
    prefetch per contact cost the register a tenth of its time); with a user, only those they may download (a
    confidential page is not listed to those who only read the agreement)."""
    found: dict[int, list[int]] = {contact.pk: [] for contact in contacts}
    if found:
        files = Attachment.objects.all() if user is None else agreement_rules.attachments_for(user)
        rows = files.filter(contact__in=list(found)).order_by("pk").values_list("contact", "pk")
        for contact_id, pk in rows:
            found[contact_id].append(pk)
    return found


class PartySerializer(serializers.ModelSerializer):
    organization = serializers.IntegerField(source="organization_id", read_only=True)
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Party
        fields = ["id", "organization", "role", "contacts"]
        read_only_fields = fields

    def to_representation(self, party: Party) -> dict:
        contact = ContactSerializer(context=self.context)  # one for all the party's contacts (as above: speed)
        contacts = [contact.to_representation(c) for c in party.contacts.all()]
        return {"id": party.pk, "organization": party.organization_id, "role": party.role, "contacts": contacts}


class AmountSerializer(serializers.ModelSerializer):
    class Meta:
        model = FundingAmount
        fields = ["id", "year", "amount", "funder"]
        read_only_fields = fields


class AgreementListSerializer(serializers.ListSerializer):
    def to_representation(self, data) -> list:
        agreements = list(data.all() if hasattr(data, "all") else data)
        self.context["evidence"] = evidence_of(contacts_of(agreements), _viewer(self))
        return super().to_representation(agreements)


class AgreementSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    organizations = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), many=True, write_only=True, required=False,
        help_text="On creation: the organisations of the agreement's RLS that are parties (two or more).",
    )  # fmt: skip
    rls = serializers.PrimaryKeyRelatedField(queryset=Territory.objects.filter(kind=Territory.Kind.RLS))
    joint_committee = serializers.PrimaryKeyRelatedField(
        queryset=Instance.objects.none(), allow_null=True, required=False
    )
    instances = serializers.PrimaryKeyRelatedField(queryset=Instance.objects.none(), many=True, required=False)
    action_plans = serializers.PrimaryKeyRelatedField(queryset=ActionPlan.objects.none(), many=True, required=False)
    sections = serializers.SerializerMethodField()
    amounts = AmountSerializer(many=True, read_only=True)
    missing_sections = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id", "title", "kind", "status", "rls", "drafted_on", "legal_basis", "shares_personal_information",
            "information_basis", "financial_resources_not_applicable", "financial_resources_reason", "parties",
            "organizations", "summary", "start_date", "end_date", "renewal_terms", "sections", "missing_sections",
            "amounts", "joint_committee", "instances", "action_plans", "version", "is_public", "reminder_days",
        ]  # fmt: skip
        read_only_fields = ["status", "legal_basis", "information_basis", "version"]
        extra_kwargs = {
            "drafted_on": {
                "required": False,
                "help_text": "On creation: the day the agreement was drafted (today by default, never in the future); "
                "it takes the legal basis of its kind in force that day. Fixed afterwards.",
            },
            "legal_basis": {"help_text": "The basis (/api/v1/legal-bases/) the agreement rests on; changed by "
                                         "`switch-legal-basis`."},
            "information_basis": {"help_text": "The information-sharing basis (R-22.1), when the parties exchange "
                                               "personal information."},
            "financial_resources_not_applicable": {
                "help_text": "The financial resources are without object (only without amounts; with a reason)."
            },
        }  # fmt: skip
        # The model's constraints (dates) are checked by the actions, with their messages on their fields.
        validators = []
        list_serializer_class = AgreementListSerializer

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        # Only a write looks the choices up (a read does not build the scoped querysets).
        if request is not None and request.method not in SAFE_METHODS:
            user = request.user
            visible = instances_for(user)
            fields["organizations"].child_relation.queryset = agreement_rules.party_choices_for(user)
            fields["joint_committee"].queryset = visible.filter(kind=Instance.Kind.JOINT_COMMITTEE)
            fields["instances"].child_relation.queryset = visible
            fields["action_plans"].child_relation.queryset = ActionPlan.objects.filter(instance__in=visible)
        return fields

    def to_representation(self, agreement: Agreement) -> dict:
        if "evidence" not in self.context:  # one agreement; a list reads its evidence first
            self.context["evidence"] = evidence_of(contacts_of([agreement]), _viewer(self))
        return super().to_representation(agreement)

    def get_sections(self, agreement: Agreement) -> dict[str, str]:
        return {s.code: s.body for s in agreement.sections.all()}

    def get_missing_sections(self, agreement: Agreement) -> list[str]:
        # The rules are read once per response, not once per agreement of the list.
        if "required_codes" not in self.context:
            self.context["required_codes"] = actions.required_codes_by_kind()
        filled = {s.code for s in agreement.sections.all() if s.body.strip()}
        codes = self.context["required_codes"][agreement.kind]
        amounts = bool(agreement.amounts.all())  # prefetched
        if amounts and legal_bases.FINANCIAL not in codes:
            codes = [c for c in SectionCode.values if c in codes or c == legal_bases.FINANCIAL]
        if legal_bases.financial_without_object(agreement, amounts):
            filled.add(legal_bases.FINANCIAL)
        return [code for code in codes if code not in filled]


class VersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgreementVersion
        fields = ["number", "created_at", "created_by", "note", "content"]
        read_only_fields = fields


class PositionSerializer(serializers.Serializer):
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.none())
    initial_position = serializers.CharField(allow_blank=True, required=False, default="")
    concession = serializers.CharField(allow_blank=True, required=False, default="")

    def get_fields(self):
        fields = super().get_fields()
        if "agreement" in self.context:
            fields["party"].queryset = _agreement(self).parties.all()
        return fields


class IssueSerializer(serializers.ModelSerializer):
    positions = PositionSerializer(many=True, required=False, help_text="Each party's position and concession.")

    class Meta:
        model = NegotiationIssue
        fields = ["id", "subject", "compromise", "settled_on", "positions"]

    def to_data(self, issue: NegotiationIssue | None = None) -> dict:
        """What the action takes: the issue's current values completed by those sent (a PATCH sends some)."""
        known = (
            {"subject": issue.subject, "compromise": issue.compromise, "settled_on": issue.settled_on} if issue else {}
        )
        data = {**known, **self.validated_data}
        rows = data.pop("positions", [])
        return {**data, "positions": {row["party"]: (row["initial_position"], row["concession"]) for row in rows}}


class ReportSerializer(serializers.ModelSerializer):
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Report
        fields = ["id", "title", "due_on", "submitted_on", "note", "is_late"]
        read_only_fields = ["submitted_on", "note"]


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "due_on", "amount", "paid_on"]


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attachment
        fields = [
            "id", "kind", "filename", "content_type", "size", "uploaded_at", "uploaded_by", "report", "contact",
            "confidential",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "confidential": {"help_text": "Seen only by the parties, the RLS coordinators and the administrators."}
        }


# Input ----------------------------------------------------------------------------------------------------


class SectionsSerializer(serializers.Serializer):
    sections = serializers.DictField(
        child=serializers.CharField(allow_blank=True), help_text="Section code → text (codes as in `sections`)."
    )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=Agreement.Status.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class OfferedBasesSerializer(serializers.Serializer):
    legal_basis = serializers.IntegerField(
        required=False, allow_null=True, help_text="The basis of the agreement's kind in force on the signing date."
    )
    information_basis = serializers.IntegerField(
        required=False, allow_null=True, help_text="The information-sharing basis in force on the signing date."
    )


class TransitionRefusalSerializer(serializers.Serializer):
    to = serializers.ListField(child=serializers.CharField(), required=False, help_text="Why it may not move.")
    reason = serializers.ListField(child=serializers.CharField(), required=False)
    missing_sections = serializers.ListField(
        child=serializers.CharField(), help_text="Codes of the required sections still empty (signing)."
    )
    offered_bases = OfferedBasesSerializer(
        required=False,
        help_text="When a basis is not in force on the signing date (the latest signature's date): the ids of the "
        "bases in force then, which `switch-legal-basis` puts on the agreement (null: none is in force).",
    )


class SwitchBasisSerializer(serializers.Serializer):
    legal_basis = serializers.PrimaryKeyRelatedField(
        queryset=LegalBasis.objects.all(), required=False, allow_null=True,
        help_text="The basis to rest on: the kind's basis in force on the drafting date or on the signing date. "
        "Omitted or null: the one in force on the signing date (the offer of a refused signature); the "
        "information-sharing basis follows.",
    )  # fmt: skip


class FinancialResourcesSerializer(serializers.Serializer):
    not_applicable = serializers.BooleanField(help_text="The financial resources are without object (sans objet).")
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="Required when `not_applicable` is true."
    )


class AmendmentSerializer(serializers.Serializer):
    note = serializers.CharField()
    sections = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    end_date = serializers.DateField(required=False, allow_null=True)


class PartyInputSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(
        queryset=Organization.objects.none(), help_text="An organisation of the agreement's RLS."
    )
    role = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def get_fields(self):
        fields = super().get_fields()
        if "request" in self.context:
            fields["organization"].queryset = agreement_rules.party_choices_for(_user(self))
        return fields


class ContactInputSerializer(serializers.Serializer):
    party = serializers.PrimaryKeyRelatedField(queryset=Party.objects.none())
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.none(), help_text="A person currently affiliated with the party's organisation."
    )
    role = serializers.ChoiceField(choices=PartyContact.Role.choices)
    signed_on = serializers.DateField(required=False, allow_null=True, help_text="A signatory's signature date.")
    evidence = serializers.FileField(
        required=False,
        help_text="The signed page (multipart): required when the user records the signature of a party they do "
        "not represent (the RLS coordinator). PDF, PNG, JPEG, DOCX or XLSX, 10 MB at most.",
    )

    def get_fields(self):
        fields = super().get_fields()
        if "agreement" in self.context:
            parties = _agreement(self).parties.all()
            fields["party"].queryset = parties
            # Anyone affiliated with a party: the action then says who may act for which party (403).
            fields["person"].queryset = agreement_rules.people_of(parties.values("organization_id"))
        return fields


class AmountInputSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    funder = serializers.PrimaryKeyRelatedField(
        queryset=Party.objects.none(), required=False, allow_null=True, help_text="The party that pays."
    )

    def get_fields(self):
        fields = super().get_fields()
        if "agreement" in self.context:
            fields["funder"].queryset = _agreement(self).parties.all()
        return fields


class PaidSerializer(serializers.Serializer):
    paid_on = serializers.DateField(required=False, allow_null=True, help_text="Today when not given.")


CONFIDENTIAL_HELP = (
    "Confidential: listed and downloadable only by the parties' representatives, the RLS coordinators and the "
    "administrators (the other readers of the agreement get 404). False by default."
)


class SubmitReportSerializer(serializers.Serializer):
    submitted_on = serializers.DateField(required=False, allow_null=True, help_text="Today when not given.")
    note = serializers.CharField(required=False, allow_blank=True, default="")
    file = serializers.FileField(required=False, help_text="The report (multipart), checked like an attachment.")
    confidential = serializers.BooleanField(
        required=False, default=False, help_text="Whether the report's file is confidential. " + CONFIDENTIAL_HELP
    )


class AttachmentInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Attachment.Kind.choices, default=Attachment.Kind.ANNEX)
    file = serializers.FileField(help_text="PDF, PNG, JPEG, DOCX or XLSX, 10 MB at most; checked by its content.")
    confidential = serializers.BooleanField(required=False, default=False, help_text=CONFIDENTIAL_HELP)


class AttachmentChangeSerializer(serializers.Serializer):
    confidential = serializers.BooleanField(help_text=CONFIDENTIAL_HELP)


def _files(content_types) -> dict:
    return {(200, content_type): OpenApiTypes.BINARY for content_type in dict.fromkeys(content_types)}


# The viewset ---------------------------------------------------------------------------------------------


class AgreementViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Only the parties' representatives and the network coordinators see an agreement (404 otherwise); the
    actions decide who may change what (403). An agreement is never deleted: it is terminated."""

    serializer_class = AgreementSerializer
    pagination_class = Pagination
    filterset_class = AgreementFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        parties = Party.objects.prefetch_related("contacts")
        # The list shows only the ids of the linked instances and plans: their rows are not loaded.
        instances = Prefetch("instances", queryset=Instance.objects.only("id"))
        plans = Prefetch("action_plans", queryset=ActionPlan.objects.only("id"))
        return (
            agreements_for(self.request.user)
            .prefetch_related(Prefetch("parties", queryset=parties), "sections", "amounts", instances, plans)
            .order_by("-start_date", "title", "pk")
        )

    def filter_queryset(self, queryset):
        # The register's filters narrow the list; an agreement is found by its id whatever they say.
        return queryset if self.detail else super().filter_queryset(queryset)

    def perform_create(self, serializer) -> None:
        # "parties" is what the API reads back (the parties with their contacts): it takes "organizations".
        data = dict(serializer.validated_data)
        data["parties"] = data.pop("organizations", [])
        with _named_as_input("parties", "organizations"):
            serializer.instance = actions.create_agreement(self.request.user, data)

    def perform_update(self, serializer) -> None:
        data = dict(serializer.validated_data)
        data.pop("organizations", None)
        serializer.instance = actions.update_agreement(self.request.user, serializer.instance, data)

    @extend_schema(responses={200: AgreementSerializer, **CONFLICT})
    def partial_update(self, request, *args, **kwargs) -> Response:
        return super().partial_update(request, *args, **kwargs)

    def _detail(self, agreement: Agreement) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    def _input(self, serializer_class, agreement: Agreement, **kwargs) -> serializers.Serializer:
        context = {**self.get_serializer_context(), "agreement": agreement}
        body = serializer_class(data=self.request.data, context=context, **kwargs)
        body.is_valid(raise_exception=True)
        return body

    # The text and the lifecycle ---------------------------------------------------------------------------

    @extend_schema(request=SectionsSerializer, responses={200: AgreementSerializer, **CONFLICT})
    @action(detail=True, methods=["patch"])
    def sections(self, request, pk=None, **kwargs) -> Response:
        """Write sections by code while the agreement is a draft or in negotiation (409 once signed)."""
        agreement = self.get_object()
        body = self._input(SectionsSerializer, agreement)
        with transaction.atomic():
            for code, text in body.validated_data["sections"].items():
                actions.update_section(request.user, agreement, code, text)
        return self._detail(agreement)

    @extend_schema(
        request=TransitionSerializer,
        responses={200: AgreementSerializer, 409: OpenApiResponse(TransitionRefusalSerializer, "Refused move.")},
        description="Change the state. Refused with 409, the reasons and `missing_sections` (section codes).",
    )  # fmt: skip
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        body = self._input(TransitionSerializer, agreement)
        actions.transition(request.user, agreement, body.validated_data["to"], body.validated_data["reason"])
        return self._detail(agreement)

    @extend_schema(
        request=SwitchBasisSerializer,
        responses={200: AgreementSerializer, **CONFLICT},
        description="Rest the agreement on another legal basis (while a draft or in negotiation; 409 once signed): "
        "by default the basis of its kind in force on its signing date, as a refused signature offers. A basis not "
        "in force on the drafting or signing date answers 400.",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="switch-legal-basis")
    def switch_legal_basis(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        body = self._input(SwitchBasisSerializer, agreement)
        legal_bases.switch_legal_basis(request.user, agreement, body.validated_data.get("legal_basis"))
        return self._detail(agreement)

    @extend_schema(
        request=FinancialResourcesSerializer,
        responses={200: AgreementSerializer, **CONFLICT},
        description="Mark the financial resources section “sans objet” with a reason, or unmark it (while a draft "
        "or in negotiation). An agreement that records amounts cannot: 409. Signing then accepts the section "
        "empty.",
    )  # fmt: skip
    @action(detail=True, methods=["post"], url_path="financial-resources")
    def financial_resources(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        body = self._input(FinancialResourcesSerializer, agreement)
        data = body.validated_data
        with (
            _named_as_input("financial_resources_reason", "reason"),
            _named_as_input("financial_resources_not_applicable", "not_applicable"),
        ):
            legal_bases.set_financial_resources(request.user, agreement, data["not_applicable"], data["reason"])
        return self._detail(agreement)

    @extend_schema(request=AmendmentSerializer, responses={201: VersionSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def amendments(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        body = self._input(AmendmentSerializer, agreement)
        version = actions.amend(request.user, agreement, dict(body.validated_data))
        return Response(VersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=VersionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def versions(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        return Response(VersionSerializer(agreement.versions.order_by("number"), many=True).data)

    @extend_schema(
        parameters=[OpenApiParameter("lang", str, enum=["fr", "en"], description="French unless `en`.")],
        responses=_files(["application/pdf", documents.DOCX]),
    )
    @action(detail=True, methods=["get"], url_path=r"document/(?P<extension>pdf|docx)", filterset_class=None)
    def document(self, request, pk=None, extension=None, **kwargs) -> HttpResponse:
        """The agreement as a PDF or an editable DOCX (the download is logged)."""
        agreement = self.get_object()
        audit.record(request.user, AuditEvent.Action.EXPORT, agreement, {"format": extension})
        return documents.download(agreement, extension, request.query_params.get("lang", ""))

    # Parties and their contacts ---------------------------------------------------------------------------

    @extend_schema(request=PartyInputSerializer, responses={201: PartySerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def parties(self, request, pk=None, **kwargs) -> Response:
        """Add a party: an organisation of the agreement's RLS (while a draft or in negotiation)."""
        agreement = self.get_object()
        body = self._input(PartyInputSerializer, agreement)
        party = actions.add_party(request.user, agreement, dict(body.validated_data))
        return Response(PartySerializer(party).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={**NO_CONTENT, **CONFLICT})
    @action(detail=True, methods=["delete"], url_path=r"parties/(?P<party_id>\d+)")
    def remove_party(self, request, pk=None, party_id=None, **kwargs) -> Response:
        """Remove a party (two stay at least: 409)."""
        party = get_object_or_404(Party, pk=party_id, agreement=self.get_object())
        actions.remove_party(request.user, party)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=ContactInputSerializer, responses={201: ContactSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], parser_classes=JSON_OR_UPLOAD)
    def contacts(self, request, pk=None, **kwargs) -> Response:
        """Record a party's signatory (with `signed_on` once signed) or respondent. Parties act for themselves:
        only that party's representatives, or the RLS coordinator with the signed page as `evidence`."""
        agreement = self.get_object()
        body = self._input(ContactInputSerializer, agreement)
        data = dict(body.validated_data)
        contact = actions.add_contact(request.user, data.pop("party"), data)
        return Response(ContactSerializer(contact).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={**NO_CONTENT, **CONFLICT})
    @action(detail=True, methods=["delete"], url_path=r"contacts/(?P<contact_id>\d+)")
    def remove_contact(self, request, pk=None, contact_id=None, **kwargs) -> Response:
        contact = get_object_or_404(PartyContact, pk=contact_id, party__agreement=self.get_object())
        actions.remove_contact(request.user, contact)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Negotiation log --------------------------------------------------------------------------------------

    @extend_schema(responses=IssueSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def negotiation(self, request, pk=None, **kwargs) -> Response:
        """The issues negotiated, each with the parties' positions: for the parties and the coordinators (403 to
        the other readers of the agreement)."""
        agreement = self.get_object()
        if not request.user.has_perm("agreements.view_confidential", agreement):
            raise PermissionDenied(_("The negotiation log stays with the parties and the coordinators."))
        issues = agreement.negotiation_issues.prefetch_related("positions").order_by("pk")
        return Response(IssueSerializer(issues, many=True).data)

    @extend_schema(request=IssueSerializer, responses={201: IssueSerializer, **CONFLICT})
    @negotiation.mapping.post
    def log_issue(self, request, pk=None, **kwargs) -> Response:
        """Log an issue negotiated (while a draft or in negotiation; 409 once signed)."""
        agreement = self.get_object()
        body = self._input(IssueSerializer, agreement)
        issue = follow_up.log_issue(request.user, agreement, body.to_data())
        return Response(IssueSerializer(issue).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IssueSerializer, responses={200: IssueSerializer, **CONFLICT})
    @action(detail=True, methods=["patch"], url_path=r"negotiation/(?P<issue_id>\d+)")
    def edit_issue(self, request, pk=None, issue_id=None, **kwargs) -> Response:
        """Change an issue: the fields sent, and the positions of the parties sent."""
        agreement = self.get_object()
        issue = get_object_or_404(NegotiationIssue, pk=issue_id, agreement=agreement)
        body = self._input(IssueSerializer, agreement, partial=True)
        issue = follow_up.log_issue(request.user, agreement, body.to_data(issue), issue=issue)
        return Response(IssueSerializer(issue).data)

    # Funding and payments ---------------------------------------------------------------------------------

    @extend_schema(request=AmountInputSerializer, responses={201: AmountSerializer})
    @action(detail=True, methods=["post"])
    def funding(self, request, pk=None, **kwargs) -> Response:
        """Set the amount of a year (setting a year again replaces its amount)."""
        agreement = self.get_object()
        body = self._input(AmountInputSerializer, agreement)
        line = follow_up.set_amount(request.user, agreement, dict(body.validated_data))
        return Response(AmountSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=NO_CONTENT)
    @action(detail=True, methods=["delete"], url_path=r"funding/(?P<amount_id>\d+)")
    def remove_amount(self, request, pk=None, amount_id=None, **kwargs) -> Response:
        line = get_object_or_404(FundingAmount, pk=amount_id, agreement=self.get_object())
        follow_up.delete_amount(request.user, line)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=PaymentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def payments(self, request, pk=None, **kwargs) -> Response:
        """The payment schedule."""
        return Response(PaymentSerializer(self.get_object().payments.order_by("due_on", "pk"), many=True).data)

    @extend_schema(request=PaymentSerializer, responses={201: PaymentSerializer})
    @payments.mapping.post
    def add_payment(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        body = self._input(PaymentSerializer, agreement)
        payment = follow_up.add_payment(request.user, agreement, dict(body.validated_data))
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PaidSerializer, responses={200: PaymentSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path=r"payments/(?P<payment_id>\d+)/paid")
    def mark_paid(self, request, pk=None, payment_id=None, **kwargs) -> Response:
        """Mark a payment as paid (today unless `paid_on`; 409 if it already is)."""
        agreement = self.get_object()
        payment = get_object_or_404(Payment, pk=payment_id, agreement=agreement)
        body = self._input(PaidSerializer, agreement)
        payment = follow_up.mark_paid(request.user, payment, body.validated_data.get("paid_on"))
        return Response(PaymentSerializer(payment).data)

    # Accountability reports -------------------------------------------------------------------------------

    @extend_schema(responses=ReportSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def reports(self, request, pk=None, **kwargs) -> Response:
        """The reports due and filed."""
        return Response(ReportSerializer(self.get_object().reports.order_by("due_on", "pk"), many=True).data)

    @extend_schema(request=ReportSerializer, responses={201: ReportSerializer})
    @reports.mapping.post
    def add_report(self, request, pk=None, **kwargs) -> Response:
        agreement = self.get_object()
        body = self._input(ReportSerializer, agreement)
        report = follow_up.add_report(request.user, agreement, dict(body.validated_data))
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SubmitReportSerializer, responses={200: ReportSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path=r"reports/(?P<report_id>\d+)/submit", parser_classes=JSON_OR_UPLOAD)
    def submit_report(self, request, pk=None, report_id=None, **kwargs) -> Response:
        """File a report, with its document (multipart) if any; 409 if it is already filed."""
        agreement = self.get_object()
        report = get_object_or_404(Report, pk=report_id, agreement=agreement)
        body = self._input(SubmitReportSerializer, agreement)
        report = follow_up.submit_report(request.user, report, dict(body.validated_data))
        return Response(ReportSerializer(report).data)

    # Attachments ------------------------------------------------------------------------------------------

    @extend_schema(responses=AttachmentSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def attachments(self, request, pk=None, **kwargs) -> Response:
        """Every file of the agreement the user may download: annexes, signed pages, reports' files (the
        confidential ones only for the parties, the RLS coordinators and the administrators)."""
        files = agreement_rules.attachments_for(request.user).filter(agreement=self.get_object())
        files = files.order_by("-uploaded_at", "pk")
        return Response(AttachmentSerializer(files, many=True).data)

    @extend_schema(request={"multipart/form-data": AttachmentInputSerializer}, responses={201: AttachmentSerializer})
    @attachments.mapping.post
    def attach(self, request, pk=None, **kwargs) -> Response:
        """Attach a file (multipart), checked by its content like on the page."""
        agreement = self.get_object()
        body = self._input(AttachmentInputSerializer, agreement)
        attachment = follow_up.attach(request.user, agreement, dict(body.validated_data))
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=_files(uploads.TYPES.values()))
    @action(detail=True, methods=["get"], url_path=r"attachments/(?P<attachment_id>\d+)", filterset_class=None)
    def attachment(self, request, pk=None, attachment_id=None, **kwargs) -> FileResponse:
        """Download a file, with the type checked at upload (the download is logged); a confidential file answers
        404 to whoever is not a party or a coordinator."""
        attachment = self._attachment(attachment_id)
        return uploads.download(request.user, attachment)

    @extend_schema(request=None, responses={**NO_CONTENT, **CONFLICT})
    @attachment.mapping.delete
    def remove_attachment(self, request, pk=None, attachment_id=None, **kwargs) -> Response:
        """Remove a file (409 for the signed page of a recorded signature)."""
        attachment = self._attachment(attachment_id)
        follow_up.delete_attachment(request.user, attachment)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=AttachmentChangeSerializer, responses={200: AttachmentSerializer})
    @attachment.mapping.patch
    def change_attachment(self, request, pk=None, attachment_id=None, **kwargs) -> Response:
        """Mark a file confidential or not (the parties and the coordinators; 403 to the other readers)."""
        agreement = self.get_object()
        attachment = self._attachment(attachment_id)
        body = self._input(AttachmentChangeSerializer, agreement)
        attachment = follow_up.set_confidential(request.user, attachment, body.validated_data["confidential"])
        return Response(AttachmentSerializer(attachment).data)

    def _attachment(self, attachment_id) -> Attachment:
        """A file of the agreement the user may see (404 otherwise, confidential or nonexistent alike)."""
        files = agreement_rules.attachments_for(self.request.user).select_related("agreement")
        return get_object_or_404(files, pk=attachment_id, agreement=self.get_object())
