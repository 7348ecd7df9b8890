"""/api/v1/meetings: schedule, convene, agenda, attendance, decisions, follow-ups — through the meeting actions."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from api.views import Pagination, as_api_error
from concertation.actions import meetings as actions
from concertation.models import AgendaItem, Attendance, Decision, FollowUp, Instance, Meeting
from concertation.rules import instances_for


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


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "agenda_item", "text", "mode", "votes_for", "votes_against", "abstentions", "dissent"]
        read_only_fields = ["id"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = [
            "id", "meeting", "agenda_item", "description", "owner_organization", "owner_person", "due_date", "status",
            "closed_in",
        ]  # fmt: skip
        read_only_fields = ["id", "meeting", "closed_in"]


class MeetingSerializer(serializers.ModelSerializer):
    instance = serializers.PrimaryKeyRelatedField(queryset=Instance.objects.all())
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(source="attendances", many=True, read_only=True)
    decisions = DecisionSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id", "instance", "title", "starts_at", "ends_at", "location", "video_url", "status", "convened_at",
            "minutes_approved_at", "minutes_approved_in", "hours", "agenda_items", "attendance", "decisions",
            "follow_ups",
        ]  # fmt: skip
        read_only_fields = ["status", "convened_at", "minutes_approved_at", "minutes_approved_in", "hours"]

    def validate_instance(self, instance: Instance) -> Instance:
        if self.instance is not None and instance.pk != self.instance.instance_id:
            raise serializers.ValidationError(_("A meeting cannot move to another instance."))
        if not self.context["request"].user.has_perm("concertation.change_instance", instance):
            raise serializers.ValidationError(_("Only the instance's coordinators can schedule its meetings."))
        return instance

    def validate(self, attrs: dict) -> dict:
        starts = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts and ends and ends <= starts:
            raise serializers.ValidationError({"ends_at": _("The meeting must end after it starts.")})
        return attrs


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Meeting.Status.choices)


class AttendanceRowsSerializer(serializers.Serializer):
    rows = AttendanceSerializer(many=True)


def _write(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except DjangoValidationError as error:
        raise as_api_error(error) from error


class MeetingViewSet(viewsets.ModelViewSet):
    serializer_class = MeetingSerializer
    pagination_class = Pagination
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        qs = Meeting.objects.filter(instance__in=instances_for(self.request.user))
        params = self.request.query_params
        if params.get("instance"):
            qs = qs.filter(instance_id=params["instance"])
        if params.get("from"):
            qs = qs.filter(starts_at__date__gte=params["from"])
        if params.get("to"):
            qs = qs.filter(starts_at__date__lte=params["to"])
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

    def managed(self) -> Meeting:
        meeting = self.get_object()
        if not self.request.user.has_perm("concertation.change_instance", meeting.instance):
            raise exceptions.PermissionDenied
        return meeting

    def perform_create(self, serializer) -> None:
        data = dict(serializer.validated_data)
        instance = data.pop("instance")
        serializer.instance = _write(actions.schedule_meeting, self.request.user, instance, data, self.request)

    def perform_update(self, serializer) -> None:
        if not self.request.user.has_perm("concertation.change_instance", serializer.instance.instance):
            raise exceptions.PermissionDenied
        data = dict(serializer.validated_data)
        data.pop("instance", None)
        serializer.instance = _write(actions.update_meeting, self.request.user, serializer.instance, data, self.request)

    def _detail(self, meeting: Meeting) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=meeting.pk)).data)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def convene(self, request, pk=None, **kwargs) -> Response:
        """E-mail the convocation (agenda and .ics invitation) to the member representatives."""
        meeting = self.managed()
        _write(actions.convene_meeting, request.user, meeting, request)
        return self._detail(meeting)

    @extend_schema(request=StatusSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request, pk=None, **kwargs) -> Response:
        meeting = self.managed()
        body = StatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.set_meeting_status, request.user, meeting, body.validated_data["status"], request)
        return self._detail(meeting)

    @extend_schema(request=None, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="approve-previous")
    def approve_previous(self, request, pk=None, **kwargs) -> Response:
        meeting = self.managed()
        _write(actions.approve_previous_minutes, request.user, meeting, request)
        return self._detail(meeting)

    @extend_schema(request=AgendaItemSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="agenda-items")
    def agenda_items(self, request, pk=None, **kwargs) -> Response:
        meeting = self.managed()
        body = AgendaItemSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.add_agenda_item, request.user, meeting, dict(body.validated_data), request)
        return self._detail(meeting)

    @extend_schema(request=AttendanceRowsSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None, **kwargs) -> Response:
        meeting = self.managed()
        body = AttendanceRowsSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        allowed = {m.pk: m for m in actions.attendance_memberships(meeting)}
        rows = []
        for row in body.validated_data["rows"]:
            membership = row["membership"]
            if membership.pk not in allowed:
                raise exceptions.ValidationError({"rows": _("This membership is not part of the meeting.")})
            rows.append((allowed[membership.pk], row["status"], row.get("substitute")))
        _write(actions.record_attendance, request.user, meeting, rows, request)
        return self._detail(meeting)

    @extend_schema(request=DecisionSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"])
    def decisions(self, request, pk=None, **kwargs) -> Response:
        meeting = self.managed()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.record_decision, request.user, meeting, dict(body.validated_data), request)
        return self._detail(meeting)

    @extend_schema(request=FollowUpSerializer, responses=MeetingSerializer)
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, pk=None, **kwargs) -> Response:
        meeting = self.managed()
        body = FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        _write(actions.add_follow_up, request.user, meeting, dict(body.validated_data), request)
        return self._detail(meeting)

    @extend_schema(request=FollowUpSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["patch"], url_path=r"follow-ups/(?P<follow_up_pk>\d+)")
    def follow_up(self, request, pk=None, follow_up_pk=None, **kwargs) -> Response:
        """Change a follow-up item (e.g. close it) at this meeting, even if it was created at an earlier one."""
        meeting = self.managed()
        item = get_object_or_404(FollowUp, pk=follow_up_pk, instance_id=meeting.instance_id)
        body = FollowUpSerializer(item, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        updated = _write(
            actions.update_follow_up, request.user, item, dict(body.validated_data), at_meeting=meeting, request=request
        )
        return Response(FollowUpSerializer(updated).data)
