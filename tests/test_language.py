"""French by default; the language switch persists on the user's profile and follows them to the next sign-in."""

from django.test import Client
from django.urls import reverse

PASSWORD = "a-long-test-password-123"


def language_of(response) -> str:
    html = response.content.decode()
    return "en" if '<html lang="en-CA">' in html else "fr" if '<html lang="fr-CA">' in html else "?"


def test_french_by_default(client, world):
    client.force_login(world.coordinator)
    response = client.get(reverse("registry:organization_list"))
    assert language_of(response) == "fr"
    assert "Se déconnecter" in response.content.decode()


def test_switching_to_english_is_saved_and_survives_a_new_sign_in(client, world):
    client.post(reverse("login"), {"username": "coord", "password": PASSWORD})
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("registry:person_list")})
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person_list")
    world.coordinator.refresh_from_db()
    assert world.coordinator.language == "en"

    page = client.get(response["Location"])
    assert language_of(page) == "en"
    assert "Sign out" in page.content.decode()

    client.post(reverse("logout"))
    later = Client()  # another day, another browser: no language cookie
    signed_in = later.post(reverse("login"), {"username": "coord", "password": PASSWORD}, follow=True)
    assert language_of(signed_in) == "en"

    back = later.post(reverse("set_language"), {"language": "fr", "next": "/"}, follow=True)
    assert language_of(back) == "fr"
    world.coordinator.refresh_from_db()
    assert world.coordinator.language == "fr"


def test_visitors_choose_a_language_before_signing_in(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")}, follow=True)
    assert language_of(response) == "en"
    assert "Sign in" in response.content.decode()


def test_unknown_language_and_foreign_redirects_are_ignored(client, world):
    client.force_login(world.rep_a)
    response = client.post(reverse("set_language"), {"language": "xx", "next": "https://evil.example/"})
    assert response["Location"] == "/"
    world.rep_a.refresh_from_db()
    assert world.rep_a.language == "fr"
    response = client.post(reverse("set_language"), {"language": "en", "next": "//evil.example/"})
    assert response["Location"] == "/"


def test_sign_in_ignores_a_foreign_next(client, world):
    response = client.post(
        reverse("login") + "?next=https://evil.example/", {"username": "rep_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert not response["Location"].startswith(("http", "//"))
