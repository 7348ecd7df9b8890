"""What the administrator changes about accounts — superuser and staff flags, roles, passwords, tokens — goes to the
audit log with the values before and after; users are deactivated, never deleted."""

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import ApiToken, AuditEvent, User
from registry.models import RoleAssignment

pytestmark = pytest.mark.django_db


def user_form(user: User, **changes) -> dict:
    joined = timezone.localtime(user.date_joined)
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "language": user.language,
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S"),
        # What the page sends back for a field with a default (show_hidden_initial).
        "initial-date_joined_0": joined.strftime("%Y-%m-%d"),
        "initial-date_joined_1": joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
    }
    flags = {"is_active": user.is_active, "is_staff": user.is_staff, "is_superuser": user.is_superuser, **changes}
    data.update({name: "on" for name, value in flags.items() if value})
    return data


def test_making_a_user_superuser_is_audited_with_before_and_after(client, world):
    client.force_login(world.admin)
    url = reverse("admin:core_user_change", args=[world.rep_a.pk])
    response = client.post(url, user_form(world.rep_a, is_superuser=True, is_staff=True))
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.rep_a.refresh_from_db()
    assert world.rep_a.is_superuser
    event = AuditEvent.objects.get(action=AuditEvent.Action.UPDATE, object_id=str(world.rep_a.pk))
    assert event.actor == world.admin
    assert event.content_type.model == "user"
    assert event.changes == {"is_superuser": [False, True], "is_staff": [False, True]}


def test_a_user_added_in_the_administration_is_audited_without_the_password(client, world):
    client.force_login(world.admin)
    password = "un-mot-de-passe-tres-long-2026"
    data = {"username": "nouvelle", "usable_password": "true", "password1": password, "password2": password}
    assert client.post(reverse("admin:core_user_add"), data).status_code == 302
    created = User.objects.get(username="nouvelle")
    event = AuditEvent.objects.get(action=AuditEvent.Action.CREATE, object_id=str(created.pk))
    assert event.changes == {"username": [None, "nouvelle"]}
    assert password not in str(list(AuditEvent.objects.values()))


def test_users_are_deactivated_not_deleted(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("admin:core_user_delete", args=[world.rep_a.pk])).status_code == 403
    assert client.post(reverse("admin:core_user_delete", args=[world.rep_a.pk]), {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=world.rep_a.pk).exists()


def test_a_password_set_by_the_administrator_is_audited(client, world):
    client.force_login(world.admin)
    password = "un-autre-mot-de-passe-2026"
    url = reverse("admin:auth_user_password_change", args=[world.rep_a.pk])
    data = {"password1": password, "password2": password, "usable_password": "true"}
    assert client.post(url, data).status_code == 302
    world.rep_a.refresh_from_db()
    assert world.rep_a.check_password(password)
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE)
    assert event.actor == world.admin and event.object_id == str(world.rep_a.pk)
    assert password not in str(event.changes)


def role_events(action: str):
    return AuditEvent.objects.filter(action=action, content_type__model="roleassignment")


def test_granting_and_withdrawing_a_role_are_audited(client, world):
    client.force_login(world.admin)
    data = {"user": world.nobody.pk, "role": RoleAssignment.Role.COORDINATOR, "rls": world.rls.pk, "organization": ""}
    assert client.post(reverse("admin:registry_roleassignment_add"), data).status_code == 302
    role = RoleAssignment.objects.get(user=world.nobody)
    granted = role_events(AuditEvent.Action.CREATE).get(object_id=str(role.pk))
    assert granted.actor == world.admin
    assert granted.changes["role"] == [None, "coordinator"]
    assert granted.changes["user"] == [None, "nobody"]

    url = reverse("admin:registry_roleassignment_delete", args=[role.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    withdrawn = role_events(AuditEvent.Action.DELETE).get(object_id=str(role.pk))
    assert withdrawn.actor == world.admin
    assert withdrawn.changes["role"] == ["coordinator", None]


def test_roles_deleted_in_bulk_are_audited_one_by_one(client, world):
    client.force_login(world.admin)
    roles = list(RoleAssignment.objects.filter(user__in=[world.rep_a, world.rep_b]).values_list("pk", flat=True))
    data = {"action": "delete_selected", "_selected_action": roles, "post": "yes"}
    assert client.post(reverse("admin:registry_roleassignment_changelist"), data).status_code == 302
    assert not RoleAssignment.objects.filter(pk__in=roles).exists()
    deleted = role_events(AuditEvent.Action.DELETE).filter(actor=world.admin)
    assert sorted(int(pk) for pk in deleted.values_list("object_id", flat=True)) == sorted(roles)


def test_tokens_are_revoked_in_the_administration_not_deleted(client, world):
    token, key = ApiToken.issue(world.rep_a, "Tableur")
    client.force_login(world.admin)
    changelist = reverse("admin:core_apitoken_changelist")
    assert client.post(reverse("admin:core_apitoken_delete", args=[token.pk]), {"post": "yes"}).status_code == 403
    refused = {"action": "delete_selected", "_selected_action": [token.pk], "post": "yes"}
    client.post(changelist, refused)
    assert ApiToken.objects.filter(pk=token.pk).exists()

    assert client.post(changelist, {"action": "revoke", "_selected_action": [token.pk]}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN)
    assert event.actor == world.admin and event.changes == {"revoked": [str(token), None]}
    # The token's digest is not even shown.
    page = client.get(reverse("admin:core_apitoken_change", args=[token.pk]))
    assert page.status_code == 200 and token.digest not in page.text
