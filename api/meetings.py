"""/api/v1/meetings: schedule, convene, agenda, minutes, attendance, decisions, follow-ups — through the meeting
actions, which check the permission, the scope of everyone named and the meeting's state (409 when it refuses)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework import status as http
from rest_framework.decorators import action
from rest_framework.response import Response

from api.concertation import ScopedSerializer
from api.schema import CONFLICT
from api.views import Pagination
from concertation.actions import meetings as actions
from concertation.filters import MeetingFilter
from concertation.forms_meetings import follow_up_owners
from concertation.models import AgendaItem, Attendance, Decision, FollowUp, Meeting, Membership
from concertation.rules import instances_for
from registry.models import Person


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "order", "title", "description", "minutes"]
        read_only_fields = ["id", "order"]


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["membership", "organization", "status", "substitute"]
        read_only_fields = ["organization"]


class MeetingPartSerializer(serializers.ModelSerializer):
    """A decision or follow-up item: its agenda item, owners… are chosen among the meeting's (context "meeting")."""

    def get_fields(self):
        fields = super().get_fields()
        meeting = self.context.get("meeting")
        if meeting is not None:
            fields["agenda_item"].queryset = meeting.agenda_items.all()
            if "owner_organization" in fields:
                fields["owner_organization"].queryset, fields["owner_person"].queryset = follow_up_owners(meeting)
        return fields


class DecisionSerializer(MeetingPartSerializer):
    class Meta:
        model = Decision
        fields = ["id", "agenda_item", "text", "mode", "votes_for", "votes_against", "abstentions", "dissent"]
        read_only_fields = ["id"]


class FollowUpSerializer(MeetingPartSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id", "meeting", "agenda_item", "description", "owner_organization", "owner_person", "due_date", "status",
            "closed_in",
        ]  # fmt: skip
        read_only_fields = ["id", "meeting", "closed_in"]


class MeetingSerializer(ScopedSerializer):
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    scoped = {"instance": instances_for}
    read_only_on_update = ("instance",)

    class Meta:
        model = Meeting
        fields = [
            "id", "instance", "title", "starts_at", "ends_at", "location", "video_url", "status", "convened_at",
            "minutes_approved_at", "minutes_approved_in", "hours", "agenda_items", "attendance", "decisions",
            "follow_ups",
        ]  # fmt: skip
        read_only_fields = ["status", "convened_at", "minutes_approved_at", "minutes_approved_in", "hours"]
        validators = []


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[Meeting.Status.HELD, Meeting.Status.CANCELLED, Meeting.Status.PLANNED])


class MoveSerializer(serializers.Serializer):
    direction = serializers.ChoiceField(choices=["up", "down"])


class MinutesItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Id of an agenda item of this meeting.")
    minutes = serializers.CharField(allow_blank=True)


class MinutesSerializer(serializers.Serializer):
    items = MinutesItemSerializer(many=True)


class AttendanceRowSerializer(serializers.Serializer):
    membership = serializers.PrimaryKeyRelatedField(queryset=Membership.objects.none())
    status = serializers.ChoiceField(choices=Attendance.Status.choices)
    substitute = serializers.PrimaryKeyRelatedField(queryset=Person.objects.none(), required=False, allow_null=True)


class AttendanceRowsSerializer(serializers.Serializer):
    """Memberships are those whose attendance is taken at this meeting; substitutes, people affiliated with them."""

    rows = AttendanceRowSerializer(many=True)

    def get_fields(self):
        fields = super().get_fields()
        meeting = self.context.get("meeting")
        if meeting is not None:
            memberships = actions.attendance_memberships(meeting)
            row = fields["rows"].child
            row.fields["membership"].queryset = Membership.objects.filter(pk__in=[m.pk for m in memberships])
            orgs = {m.organization_id for m in memberships}
            row.fields["substitute"].queryset = Person.objects.filter(affiliations__organization_id__in=orgs).distinct()
        return fields


@extend_schema_view(partial_update=extend_schema(responses={200: MeetingSerializer, **CONFLICT}))
class MeetingViewSet(
    mixins.CreateModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, mixins.ListModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """A meeting is not deleted (it is cancelled); DELETE removes its agenda items and decisions."""

    serializer_class = MeetingSerializer
    pagination_class = Pagination
    filterset_class = MeetingFilter
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        qs = Meeting.objects.filter(instance__in=instances_for(self.request.user)).select_related("instance")
        if self.action != "list":
            qs = qs.prefetch_related(
                "agenda_items",
                "decisions",
                Prefetch("follow_ups", queryset=FollowUp.objects.order_by("pk")),
                Prefetch("attendances", queryset=Attendance.objects.order_by("pk")),
            )
        else:
            qs = qs.prefetch_related("agenda_items", "decisions", "follow_ups", "attendances")
        return qs.order_by("-starts_at", "pk")

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = actions.schedule_meeting(self.request.user, instance, data)

    def perform_update(self, serializer) -> None:
        serializer.instance = actions.update_meeting(
            self.request.user, serializer.instance, dict(serializer.validated_data)
        )

    def _detail(self, meeting: Meeting, code: int = http.HTTP_200_OK) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data, status=code)

    def _body(self, serializer_class, meeting: Meeting, instance=None, partial: bool = False) -> dict:
        context = {**self.get_serializer_context(), "meeting": meeting}
        body = serializer_class(instance, data=self.request.data, partial=partial, context=context)
        body.is_valid(raise_exception=True)
        return dict(body.validated_data)

    def _part(self, model, meeting: Meeting, part_pk):
        return get_object_or_404(model, pk=part_pk, meeting=meeting)

    @extend_schema(request=None, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def convene(self, request, pk=None, **kwargs) -> Response:
        """E-mail the convocation (agenda and .ics invitation) to the member representatives."""
        meeting = self.get_object()
        actions.convene_meeting(request.user, meeting)
        return self._detail(meeting)

    @extend_schema(request=StatusSerializer, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None, **kwargs) -> Response:
        """Held, cancelled, or planned again (a cancelled meeting reinstated)."""
        meeting = self.get_object()
        actions.set_meeting_status(request.user, meeting, self._body(StatusSerializer, meeting)["status"])
        return self._detail(meeting)

    @extend_schema(request=None, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="approve-previous")
    def approve_previous(self, request, pk=None, **kwargs) -> Response:
        """Approve the minutes of the instance's previous held meeting, during this one."""
        meeting = self.get_object()
        actions.approve_previous_minutes(request.user, meeting)
        return self._detail(meeting)

    @extend_schema(request=AgendaItemSerializer, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="agenda-items")
    def agenda_items(self, request, pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        data = self._body(AgendaItemSerializer, meeting)
        data.pop("minutes", None)
        actions.add_agenda_item(request.user, meeting, data)
        return self._detail(meeting)

    @extend_schema(request=AgendaItemSerializer, responses={200: AgendaItemSerializer, **CONFLICT})
    @action(detail=True, methods=["patch"], url_path=r"agenda-items/(?P<item_pk>\d+)")
    def agenda_item(self, request, pk=None, item_pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        item = self._part(AgendaItem, meeting, item_pk)
        item = actions.update_agenda_item(request.user, item, self._body(AgendaItemSerializer, meeting, item, True))
        return Response(AgendaItemSerializer(item).data)

    @extend_schema(request=None, responses={204: None, **CONFLICT})
    @agenda_item.mapping.delete
    def remove_agenda_item(self, request, pk=None, item_pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        actions.remove_agenda_item(request.user, self._part(AgendaItem, meeting, item_pk))
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(request=MoveSerializer, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path=r"agenda-items/(?P<item_pk>\d+)/move")
    def move_agenda_item(self, request, pk=None, item_pk=None, **kwargs) -> Response:
        """Move an agenda item up or down by one place."""
        meeting = self.get_object()
        item = self._part(AgendaItem, meeting, item_pk)
        actions.move_agenda_item(request.user, item, self._body(MoveSerializer, meeting)["direction"])
        return self._detail(meeting)

    @extend_schema(request=MinutesSerializer, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def minutes(self, request, pk=None, **kwargs) -> Response:
        """The minutes of several agenda items at once (items not listed keep theirs)."""
        meeting = self.get_object()
        items = self._body(MinutesSerializer, meeting)["items"]
        actions.record_minutes(request.user, meeting, {row["id"]: row["minutes"] for row in items})
        return self._detail(meeting)

    @extend_schema(request=AttendanceRowsSerializer, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        rows = self._body(AttendanceRowsSerializer, meeting)["rows"]
        actions.record_attendance(
            request.user, meeting, [(row["membership"], row["status"], row.get("substitute")) for row in rows]
        )
        return self._detail(meeting)

    @extend_schema(request=DecisionSerializer, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        actions.record_decision(request.user, meeting, self._body(DecisionSerializer, meeting))
        return self._detail(meeting)

    @extend_schema(request=DecisionSerializer, responses={200: DecisionSerializer, **CONFLICT})
    @action(detail=True, methods=["patch"], url_path=r"decisions/(?P<decision_pk>\d+)")
    def decision(self, request, pk=None, decision_pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        decision = self._part(Decision, meeting, decision_pk)
        data = self._body(DecisionSerializer, meeting, decision, partial=True)
        return Response(DecisionSerializer(actions.update_decision(request.user, decision, data)).data)

    @extend_schema(request=None, responses={204: None, **CONFLICT})
    @decision.mapping.delete
    def delete_decision(self, request, pk=None, decision_pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        actions.delete_decision(request.user, self._part(Decision, meeting, decision_pk))
        return Response(status=http.HTTP_204_NO_CONTENT)

    @extend_schema(request=FollowUpSerializer, responses={200: MeetingSerializer, **CONFLICT})
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk=None, **kwargs) -> Response:
        meeting = self.get_object()
        actions.add_follow_up(request.user, meeting, self._body(FollowUpSerializer, meeting))
        return self._detail(meeting)

    @extend_schema(request=FollowUpSerializer, responses={200: FollowUpSerializer, **CONFLICT})
    @action(detail=True, methods=["patch"], url_path=r"follow-ups/(?P<follow_up_pk>\d+)")
    def follow_up(self, request, pk=None, follow_up_pk=None, **kwargs) -> Response:
        """Edit a follow-up item of this meeting, or change the status of one carried over to it (closing it
        here records this meeting)."""
        meeting = self.get_object()
        item = get_object_or_404(FollowUp.objects.select_related("meeting"), pk=follow_up_pk, instance=meeting.instance)
        data = self._body(FollowUpSerializer, item.meeting, item, partial=True)
        return Response(FollowUpSerializer(actions.update_follow_up(request.user, item, data, at_meeting=meeting)).data)
