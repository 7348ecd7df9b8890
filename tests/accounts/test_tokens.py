"""API tokens are written by core actions only: audited, and a user cannot touch someone else's token."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from core import actions
from core.models import ApiToken, AuditEvent

pytestmark = pytest.mark.django_db


def token_state() -> list:
    return list(ApiToken.objects.order_by("pk").values()) + [AuditEvent.objects.filter(action="token").count()]


def test_creating_a_token_is_audited_on_its_owner(world):
    token, key = actions.create_api_token(world.rep_a, "Tableur")
    assert token.user == world.rep_a and token.digest == ApiToken.hash(key)
    event = AuditEvent.objects.get(action=AuditEvent.Action.TOKEN)
    assert event.actor == world.rep_a and event.object_id == str(world.rep_a.pk)
    assert event.changes == {"created": [None, str(token)]}
    assert key not in str(event.changes)


def test_a_token_needs_a_name_of_at_most_100_characters(world):
    for name in ["", "x" * 101]:
        with pytest.raises(ValidationError) as refused:
            actions.create_api_token(world.rep_a, name)
        assert set(refused.value.message_dict) == {"name"}
    assert not ApiToken.objects.exists()


def test_revoking_a_token_is_audited_once(world):
    token, _ = actions.create_api_token(world.rep_a, "Tableur")
    actions.revoke_api_token(world.rep_a, token)
    actions.revoke_api_token(world.rep_a, token)  # a second time: nothing more
    token.refresh_from_db()
    assert token.revoked_at is not None
    revoked = AuditEvent.objects.filter(action="token", changes__has_key="revoked")
    assert revoked.count() == 1 and revoked.get().actor == world.rep_a


@pytest.mark.parametrize("who", ["rep_b", "coordinator", "nobody"])
def test_another_users_token_cannot_be_revoked(world, who):
    token, _ = ApiToken.issue(world.rep_a, "Tableur")
    before = token_state()
    with pytest.raises(PermissionDenied):
        actions.revoke_api_token(getattr(world, who), token)
    assert token_state() == before


def test_an_administrator_revokes_a_leaked_token(world):
    token, _ = ApiToken.issue(world.rep_a, "Tableur")
    actions.revoke_api_token(world.admin, token)
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="token")
    assert event.actor == world.admin and event.object_id == str(world.rep_a.pk)


def test_the_profile_page_uses_the_actions(client, world):
    client.force_login(world.rep_a)
    client.post(reverse("token_create"), {"name": "Tableur"})
    token = ApiToken.objects.get(user=world.rep_a)
    client.post(reverse("token_revoke", args=[token.pk]))
    assert AuditEvent.objects.filter(action="token", actor=world.rep_a).count() == 2

    # Someone else's token is not found, and stays as it was.
    other, _ = ApiToken.issue(world.rep_b, "autre")
    before = token_state()
    assert client.post(reverse("token_revoke", args=[other.pk])).status_code == 404
    assert token_state() == before


def test_a_nameless_token_is_refused_on_the_page_in_french(client, world):
    client.force_login(world.rep_a)
    response = client.post(reverse("token_create"), {"name": "  "})
    assert response.status_code == 400
    assert "Ce champ est obligatoire." in response.text
    assert not ApiToken.objects.exists()


def test_the_command_creates_an_audited_token(world, capsys):
    call_command("create_api_token", world.analyst.username, "--name", "Rapport Power BI")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=world.analyst, digest=ApiToken.hash(key))
    assert token.name == "Rapport Power BI"
    assert AuditEvent.objects.filter(action="token", object_id=str(world.analyst.pk)).exists()
