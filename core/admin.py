"""The administration writes nothing the audit log does not see: every registered ModelAdmin derives from
AuditedAdmin (tests/test_admin.py checks the whole registry), and records that hold history are never hard-deleted
here (they are archived or ended on their pages instead)."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _

from core import actions, audit
from core.models import ApiToken, AuditEvent, User

# Never copied into the audit log, not even hashed (axes' get_data/post_data: what a failed sign-in submitted).
SECRET_FIELDS = {"password", "password1", "password2", "usable_password", "digest", "get_data", "post_data"}


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The stored values of a row (what a deletion loses, what a creation adds), secrets left out."""
    values = {}
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in SECRET_FIELDS:
            continue
        value = audit.jsonable(getattr(obj, field.name))
        if value not in (None, "", [], {}):
            values[field.name] = value
    return values


def form_changes(form, before: models.Model | None, after: models.Model) -> dict[str, list[Any]]:
    """{field: [before, after]} for what the admin form changed, many-to-many included."""
    concrete = {f.name for f in after._meta.concrete_fields}
    many = {f.name for f in after._meta.many_to_many}
    changes = {}
    for name in form.changed_data:
        if name in SECRET_FIELDS:
            continue
        if name in concrete:
            changes[name] = [audit.jsonable(getattr(before, name, None)), audit.jsonable(getattr(after, name))]
        elif name in many:  # what the form started with and what it saves
            old = sorted(str(x) for x in form.initial.get(name) or []) if before is not None else []
            changes[name] = [old, sorted(str(x) for x in form.cleaned_data.get(name) or [])]
    return changes


class AuditedAdmin(admin.ModelAdmin):
    """Back-office writes go to the audit log, with who, what, and the values before and after: saves (inline rows
    included, each on its own row), deletions one by one (the "delete selected" action too)."""

    def save_model(self, request, obj, form, change) -> None:
        before = type(obj)._default_manager.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        changes = form_changes(form, before, obj)
        if changes or not change:
            action = AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE
            audit.record(request.user, action, obj, changes)

    def save_formset(self, request, form, formset, change) -> None:
        # Recorded before saving: a deleted row loses its primary key.
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                self._record_deletion(request, row.instance)
        originals = {
            row.instance.pk: type(row.instance)._default_manager.filter(pk=row.instance.pk).first()
            for row in formset.initial_forms
            if row.instance.pk is not None and row not in formset.deleted_forms and row.has_changed()
        }
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit.record(request.user, AuditEvent.Action.CREATE, obj, {k: [None, v] for k, v in snapshot(obj).items()})
        for obj, fields in formset.changed_objects:
            before = originals.get(obj.pk)
            changes = {
                name: [audit.jsonable(getattr(before, name, None)), audit.jsonable(getattr(obj, name))]
                for name in fields
                if name not in SECRET_FIELDS and hasattr(obj, name)
            }
            audit.record(request.user, AuditEvent.Action.UPDATE, obj, changes)

    def delete_model(self, request, obj) -> None:
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self._record_deletion(request, obj)
        super().delete_queryset(request, queryset)

    def _record_deletion(self, request, obj: models.Model) -> None:
        audit.record(request.user, AuditEvent.Action.DELETE, obj, {k: [v, None] for k, v in snapshot(obj).items()})


class ReadOnlyAdmin(AuditedAdmin):
    """Shown for reference; written elsewhere (by the audited actions, or by the system)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _without_django_permissions(fieldsets: Any) -> tuple:
    """Django's user fieldsets (their titles translated by Django) minus groups and permissions, which we ignore."""
    ignored = {"groups", "user_permissions"}
    return tuple(
        (title, {**opts, "fields": [f for f in opts["fields"] if f not in ignored]}) for title, opts in fieldsets
    )


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    """Users are deactivated, never deleted: the audit log and the records they wrote name them.
    Their permissions come from their roles (django-rules), so Django's groups and permissions are not offered."""

    fieldsets = (*_without_django_permissions(BaseUserAdmin.fieldsets), (None, {"fields": ("language",)}))
    list_display = ("username", "email", "first_name", "last_name", "is_active", "is_superuser", "language")
    list_filter = ("is_active", "is_staff", "is_superuser")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def log_change(self, request, obj, message):
        # The administration's "change password" page saves through its own form, not save_model.
        if request.resolver_match and request.resolver_match.url_name == "auth_user_password_change":
            audit.record(request.user, AuditEvent.Action.PASSWORD_CHANGE, obj)
        return super().log_change(request, obj, message)


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Tokens are created by their owner (profile page, `manage.py create_api_token`) and revoked, never deleted."""

    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "user__username")
    exclude = ("digest",)
    list_select_related = ("user",)
    actions = ["revoke"]

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.select_related("user"):
            actions.revoke_api_token(request.user, token)
        self.message_user(request, _("The selected tokens are revoked."))


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """The audit log is append-only, in the admin as everywhere."""

    list_display = ("at", "actor_label", "action", "content_type", "object_repr", "ip_address")
    list_filter = ("action", "content_type")
    search_fields = ("actor_label", "object_repr")
    date_hierarchy = "at"


# Roles, not groups, give permissions (core.backends.LockoutBackend answers no group permission).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


def _audit_axes_admin() -> None:
    """django-axes registers its own admins: the failure logs become read-only, and unlocking a client (deleting
    its access attempts) is audited."""
    from axes import admin as axes_admin
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    if not admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN = False
        return

    class AccessAttemptAdmin(AuditedAdmin, axes_admin.AccessAttemptAdmin):
        actions = []  # expired attempts are cleaned at every failure; no unaudited bulk deletion

        def has_change_permission(self, request, obj=None) -> bool:
            return False

    class AccessLogAdmin(ReadOnlyAdmin, axes_admin.AccessLogAdmin):
        pass

    class AccessFailureLogAdmin(ReadOnlyAdmin, axes_admin.AccessFailureLogAdmin):
        pass

    for model, model_admin in [
        (AccessAttempt, AccessAttemptAdmin),
        (AccessLog, AccessLogAdmin),
        (AccessFailureLog, AccessFailureLogAdmin),
    ]:
        admin.site.unregister(model)
        admin.site.register(model, model_admin)


_audit_axes_admin()


def _read_only_task_results() -> None:
    """Background tasks (django-tasks) are shown for follow-up, written by the workers only."""
    from django.apps import apps

    if not apps.is_installed("django_tasks_db"):
        return
    from django_tasks_db.models import DBTaskResult

    if admin.site.is_registered(DBTaskResult):
        original = type(admin.site._registry[DBTaskResult])
        admin.site.unregister(DBTaskResult)
        read_only = type("DBTaskResultAdmin", (ReadOnlyAdmin, original), {"__module__": __name__})
        admin.site.register(DBTaskResult, read_only)


_read_only_task_results()
