"""A user who forgot their password gets a one-time link by e-mail (Django's mail framework)."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    """The throttle counters live in the cache, which outlives a test."""
    cache.clear()
    yield
    cache.clear()


def test_reset_link_by_email_lets_the_user_choose_a_new_password(client, world, mailoutbox):
    world.rep_a.email = "directrice@popote.example.org"
    world.rep_a.save()
    response = client.post(reverse("password_reset"), {"email": "directrice@popote.example.org"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["directrice@popote.example.org"]
    link = re.search(r"http://testserver(/accounts/password/reset/\S+/)", mailoutbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "un-nouveau-mot-de-passe-2026"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    world.rep_a.refresh_from_db()
    assert world.rep_a.check_password(new)
    # The link works once.
    assert client.get(link, follow=True).context["validlink"] is False


def test_unknown_address_sends_nothing_and_reveals_nothing(client, world, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mailoutbox == []


# Audit ---------------------------------------------------------------------------------------------------------------


def reset_link(mail) -> str:
    return re.search(r"http://testserver(/accounts/password/reset/\S+/)", mail.body).group(1)


def test_a_reset_is_audited_from_the_request_to_the_new_password(client, world, mailoutbox):
    client.post(reverse("password_reset"), {"email": world.rep_a.email}, REMOTE_ADDR="203.0.113.7")
    requested = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_RESET_REQUEST)
    assert requested.object_id == str(world.rep_a.pk) and requested.content_type.model == "user"
    assert requested.actor is None and requested.ip_address == "203.0.113.7"

    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    new = "un-nouveau-mot-de-passe-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    completed = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_RESET)
    assert completed.actor == world.rep_a and completed.object_id == str(world.rep_a.pk)
    assert new not in str(list(AuditEvent.objects.values()))


def test_a_request_for_an_unknown_address_is_not_audited_on_anyone(client, world):
    client.post(reverse("password_reset"), {"email": "inconnu@example.org"})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_RESET_REQUEST).exists()


# Throttling ----------------------------------------------------------------------------------------------------------


def test_at_most_three_emails_per_address_and_hour_and_the_page_does_not_tell(world, mailoutbox):
    answers = []
    for attempt in range(8):  # from eight different clients: the per-client limit does not stop them
        response = Client().post(
            reverse("password_reset"), {"email": world.rep_a.email}, REMOTE_ADDR=f"10.0.0.{attempt}"
        )
        answers.append((response.status_code, response["Location"]))
    assert set(answers) == {(302, reverse("password_reset_done"))}
    assert len(mailoutbox) == 3
    assert AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_RESET_REQUEST).count() == 3
    # Another address is counted apart.
    Client().post(reverse("password_reset"), {"email": world.rep_b.email}, REMOTE_ADDR="10.0.1.1")
    assert len(mailoutbox) == 4


def test_the_address_limit_ignores_case_and_counts_unknown_addresses_too(client, world, mailoutbox):
    for address in ["Personne@Example.org", "personne@example.org", "PERSONNE@example.org"]:
        client.post(reverse("password_reset"), {"email": address})
    world.rep_a.email = "personne@example.org"
    world.rep_a.save()
    response = client.post(reverse("password_reset"), {"email": "personne@example.org"})
    # Same answer as ever, nothing sent: the address was already asked for three times this hour.
    assert response.status_code == 302 and response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_one_client_gets_a_429_past_ten_requests_an_hour(client, world, mailoutbox):
    for attempt in range(10):
        response = client.post(reverse("password_reset"), {"email": f"inconnu{attempt}@example.org"})
        assert response.status_code == 302
    refused = client.post(reverse("password_reset"), {"email": world.rep_a.email})
    assert refused.status_code == 429
    assert "Trop de demandes venant de votre réseau. Réessayez dans une heure." in refused.text
    assert mailoutbox == []

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.post(reverse("password_reset"), {"email": world.rep_a.email})
    assert english.status_code == 429
    assert "Too many requests from your network. Try again in an hour." in english.text

    # Another client is not affected.
    other = Client().post(reverse("password_reset"), {"email": world.rep_a.email}, REMOTE_ADDR="198.51.100.4")
    assert other.status_code == 302 and len(mailoutbox) == 1


# Password change ------------------------------------------------------------------------------------------------------


def test_a_password_change_is_audited_without_the_password(client, world):
    client.force_login(world.coordinator)
    old, new = "a-long-test-password-123", "une-phrase-de-passe-assez-longue"
    response = client.post(
        reverse("password_change"), {"old_password": old, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(action=AuditEvent.Action.PASSWORD_CHANGE)
    assert event.actor == world.coordinator and event.object_id == str(world.coordinator.pk)
    stored = str(list(AuditEvent.objects.values()))
    assert old not in stored and new not in stored


def test_a_refused_password_change_is_not_audited(client, world):
    client.force_login(world.coordinator)
    client.post(reverse("password_change"), {"old_password": "wrong", "new_password1": "x", "new_password2": "x"})
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.PASSWORD_CHANGE).exists()


def test_a_locked_out_user_who_resets_the_password_signs_in_at_once(client, world, mailoutbox):
    """The lockout page offers the reset; whoever proves they own the address is not kept waiting 15 minutes."""
    from tests.test_security import is_signed_in, sign_in

    for _ in range(5):
        locked = sign_in(client, "rep_a", "wrong-password")
    assert locked.status_code == 429
    assert reverse("password_reset") in locked.text
    world.rep_a.email = "directrice@popote.example.org"
    world.rep_a.save()
    client.post(reverse("password_reset"), {"email": "directrice@popote.example.org"})
    form_page = client.get(reset_link(mailoutbox[0]), follow=True)
    new = "un-nouveau-mot-de-passe-2026"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert sign_in(client, "rep_a", new).status_code == 302
    assert is_signed_in(client)
