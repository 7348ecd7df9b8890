"""Security baseline: deployment checks, headers, CSRF, login throttling, sign-in audit, sessions, SQLite mode,
and the access log of personal information."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.models import AuditEvent

BASE_DIR = Path(settings.BASE_DIR)
PASSWORD = "a-long-test-password-123"  # tests.factories.UserFactory


def run_manage(tmp_path, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}}
    environment.update(MAILLAGE_VAR_DIR=str(tmp_path), **env)
    return subprocess.run(  # noqa: S603 (fixed arguments, our own manage.py)
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Deployment -------------------------------------------------------------------------------------


def test_production_settings_pass_the_deploy_checks(tmp_path):
    result = run_manage(
        tmp_path,
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        MAILLAGE_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="maillage.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY"),  # the development key
        ({"SECRET_KEY": "too-short"}, "SECRET_KEY"),
        ({"SECRET_KEY": secrets.token_urlsafe(64), "DEBUG": "1"}, "DEBUG"),
        ({"SECRET_KEY": secrets.token_urlsafe(64), "ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
    ],
    ids=["default-key", "short-key", "debug-on", "no-hosts"],
)
def test_production_refuses_to_start_when_unsafe(tmp_path, env, message):
    env = {"ALLOWED_HOSTS": "maillage.example.org", **env}
    result = run_manage(tmp_path, "check", MAILLAGE_ENV="production", **env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_sessions_have_a_bounded_lifetime():
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60
    assert settings.SESSION_COOKIE_HTTPONLY


# Headers ----------------------------------------------------------------------------------------


def csp(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [d.strip().split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize("page", ["login", "organization_list", "person_detail", "organization_detail"])
def test_security_headers(client, world, page):
    if page != "login":
        client.force_login(world.coordinator)
    url = {
        "login": reverse("login"),
        "organization_list": reverse("registry:organization_list"),
        "person_detail": reverse("registry:person_detail", args=[world.person_a.pk]),
        "organization_detail": reverse("registry:organization_detail", args=[world.org_a.pk]),
    }[page]
    response = client.get(url)
    assert response.status_code == 200
    policy = csp(response)
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin"}
    if page != "login":
        assert "no-store" in response["Cache-Control"]


def test_exports_are_not_cached(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:person_list") + "?format=csv")
    assert "no-store" in response["Cache-Control"]


def template_files() -> list[Path]:
    roots = [Path(d) for t in settings.TEMPLATES for d in t["DIRS"]]
    roots += [p for p in BASE_DIR.glob("*/templates") if ".venv" not in p.parts]
    return sorted({f for root in roots for f in root.rglob("*.html")})


def test_templates_have_no_inline_script():
    files = template_files()
    assert any(f.name == "base.html" for f in files)
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    inline_handler = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
    offenders = [
        f"{f.relative_to(BASE_DIR)}: {m.group(0)[:80]}"
        for f in files
        for pattern in (inline_script, inline_handler, re.compile(r"javascript:", re.IGNORECASE))
        for m in pattern.finditer(f.read_text())
    ]
    assert not offenders, "\n".join(offenders)


# CSRF -------------------------------------------------------------------------------------------


def test_post_without_csrf_token_is_refused(world, registry_state):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.coordinator)
    before = registry_state()
    url = reverse("registry:organization_archive", args=[world.org_a.pk])
    assert client.post(url).status_code == 403
    assert registry_state() == before

    client.get(reverse("registry:organization_detail", args=[world.org_a.pk]))
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    assert client.post(url, {"csrfmiddlewaretoken": token}).status_code == 302
    world.org_a.refresh_from_db()
    assert world.org_a.is_archived


# Sign-in ----------------------------------------------------------------------------------------


def sign_in(client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_failed_sign_ins_lock_the_account(client, world):
    for attempt in range(1, 6):
        response = sign_in(client, "rep_a", "wrong-password")
        # The fifth failure already answers with the lockout page.
        assert response.status_code == (200 if attempt < 5 else 429)
        assert not is_signed_in(client)

    response = sign_in(client, "rep_a")  # the right password, too late
    assert response.status_code == 429
    assert not is_signed_in(client)
    assert client.get(reverse("home")).status_code == 302

    # Someone else signing in from the same address is not locked out.
    other = sign_in(client, "rep_b")
    assert other.status_code == 302
    assert is_signed_in(client)


def test_four_failures_then_the_right_password_signs_in(client, world):
    for _ in range(4):
        sign_in(client, "rep_a", "wrong-password")
    assert sign_in(client, "rep_a").status_code == 302
    assert is_signed_in(client)


SPRAYED = ["rep_a", "rep_b", "coord", "analyst", "nobody"]


def test_one_client_spraying_passwords_across_accounts_is_stopped(world):
    """Four wrong passwords for each of five accounts: no account reaches its own limit (5), but the client
    reaches its limit (20 failures in 15 minutes, settings.LOGIN_FAILURE_LIMIT_PER_CLIENT) at the 20th attempt."""
    sprayer = Client(REMOTE_ADDR="192.0.2.10")
    statuses = [
        sign_in(sprayer, name, f"Printemps2026-{round_}").status_code for round_ in range(4) for name in SPRAYED
    ]
    assert statuses == [200] * 19 + [429]

    # Locked for every account from that address, even with the right password, and the page says why.
    refused = sign_in(sprayer, "coord_other")
    assert refused.status_code == 429
    assert not is_signed_in(sprayer)
    assert "depuis votre réseau" in refused.text

    # The accounts themselves are not locked: their owners sign in from elsewhere.
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert sign_in(elsewhere, "rep_a").status_code == 302


def test_a_colleague_on_the_same_network_signs_in_below_the_client_limit(world):
    office = Client(REMOTE_ADDR="192.0.2.11")
    for _ in range(3):
        for name in SPRAYED:  # 15 failures, 3 per account
            sign_in(office, name, "wrong-password")
    assert sign_in(office, "coord_other").status_code == 302
    assert is_signed_in(office)


def test_every_sign_in_and_failure_is_audited_without_the_password(client, world):
    sign_in(client, "rep_a", "Wrong-Secret-987")
    sign_in(client, "rep_a")

    failed = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN_FAILED)
    assert failed.actor_label == "rep_a"
    assert failed.ip_address == "127.0.0.1"
    success = AuditEvent.objects.get(action=AuditEvent.Action.LOGIN)
    assert success.actor == world.rep_a
    stored = json.dumps(list(AuditEvent.objects.values()), default=str)
    assert "Wrong-Secret-987" not in stored
    assert PASSWORD not in stored


def test_session_key_changes_at_sign_in(client, world):
    session = client.session
    session["visited"] = True
    session.save()
    anonymous_key = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = anonymous_key

    assert sign_in(client, "coord").status_code == 302
    assert client.session.session_key != anonymous_key
    assert not Session.objects.filter(session_key=anonymous_key).exists()


def test_sign_out_ends_the_session_on_the_server(client, world):
    sign_in(client, "coord")
    key = client.session.session_key
    assert client.post(reverse("logout")).status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    assert AuditEvent.objects.filter(action=AuditEvent.Action.LOGOUT, actor=world.coordinator).exists()

    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = key
    response = replay.get(reverse("registry:organization_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_ends_the_other_sessions(world):
    laptop, phone = Client(), Client()
    sign_in(laptop, "coord")
    sign_in(phone, "coord")
    new_password = "another-long-passphrase-456"
    response = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    assert laptop.get(reverse("registry:organization_list")).status_code == 200
    stale = phone.get(reverse("registry:organization_list"))
    assert stale.status_code == 302
    assert stale["Location"].startswith(reverse("login"))


def test_password_change_applies_the_password_rules(client, world):
    sign_in(client, "coord")
    response = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert "new_password2" in response.context["form"].errors
    world.coordinator.refresh_from_db()
    assert world.coordinator.check_password(PASSWORD)


# Database ---------------------------------------------------------------------------------------


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(db, tmp_path):
    """The embedded database survives concurrent server threads. Checked on a real file database opened with
    the options the settings give SQLite (the test database itself may be in memory or on PostgreSQL)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    probe = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES['default'], default=str))"
    )
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment.update(MAILLAGE_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="maillage.settings")
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", probe], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    sqlite_settings = json.loads(result.stdout)
    assert sqlite_settings["ENGINE"] == "django.db.backends.sqlite3"
    assert sqlite_settings["OPTIONS"]["timeout"] >= 5
    assert sqlite_settings["OPTIONS"]["transaction_mode"] == "IMMEDIATE"

    wrapper = DatabaseWrapper({**connection.settings_dict, **sqlite_settings, "NAME": str(tmp_path / "wal.sqlite3")})
    try:
        with wrapper.cursor() as cursor:
            assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    finally:
        wrapper.close()

    if connection.vendor == "sqlite":
        assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
        assert "journal_mode=WAL" in connection.settings_dict["OPTIONS"]["init_command"]
    else:
        assert connection.vendor == "postgresql"
        assert connection.features.has_select_for_update


# Access log of personal information --------------------------------------------------------------


def test_reading_a_person_is_logged(client, world):
    client.force_login(world.analyst)
    response = client.get(reverse("registry:person_detail", args=[world.person_a.pk]))
    assert response.status_code == 200
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert event.actor == world.analyst
    assert event.object_id == str(world.person_a.pk)
    assert event.ip_address == "127.0.0.1"


def test_a_refused_read_logs_no_access(client, world):
    client.force_login(world.rep_b)
    assert client.get(reverse("registry:person_detail", args=[world.person_a.pk])).status_code == 404
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()


def test_views_do_not_clutter_the_history_page(client, world):
    client.force_login(world.coordinator)
    client.get(reverse("registry:person_detail", args=[world.person_a.pk]))
    history = client.get(reverse("registry:person_history", args=[world.person_a.pk]))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).count() == 1
    assert list(history.context["page"]) == []


def test_exports_are_logged(client, world):
    client.force_login(world.coordinator)
    client.get(reverse("registry:organization_list") + "?sector=community&format=xlsx")
    event = AuditEvent.objects.get(action=AuditEvent.Action.EXPORT)
    assert event.actor == world.coordinator
    assert event.changes["format"] == "xlsx"
    assert "sector=community" in event.changes["query"]


def test_names_are_escaped_everywhere_they_are_shown(client, world):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    client.force_login(world.coordinator)
    data = {"name": payload, "sector": "community", "rls": world.rls.pk, "mission": payload}
    assert client.post(reverse("registry:organization_create"), data).status_code == 302
    from registry.models import Organization

    org = Organization.objects.get(name=payload)
    for url in (
        reverse("registry:organization_list"),
        reverse("registry:organization_detail", args=[org.pk]),
        reverse("registry:organization_history", args=[org.pk]),
        reverse("home"),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
        assert "<img src=x" not in html, url
