"""Deny by default: every URL pattern of the project, requested anonymously, sends to a sign-in page or
answers 401/403, except an explicit allow-list of public pages. The patterns come from the resolver, so a
URL added later is crawled without anyone having to remember this test."""

import pytest
from django.urls import reverse

from core.models import ApiToken
from registry.models import ImportBatch

# Public by design, with the reason. Each still must not fail (no 5xx).
ALLOW_LIST = {
    "login": "the sign-in page",
    "logout": "signing out when not signed in does nothing",
    "set_language": "visitors choose their language before signing in",
    "healthz": "load balancer probe, answers 'ok' and nothing else",
    "concertation:calendar_feed": "personal iCalendar feed: calendar apps subscribe without a session; the secret "
    "key is the access, a wrong key answers 404",
    "password_reset": "a forgotten password is reset before signing in",
    "password_reset_done": "idem",
    "password_reset_confirm": "idem (the link from the e-mail)",
    "password_reset_complete": "idem",
    "public_organization": "an organisation's public page, only when published (tested below)",
    "public_agreement": "an agreement's public page, only when its parties publish it (tests/agreements)",
    "api-not-found": "any address under /api/v1/ that names no operation: a JSON 404 for everyone, saying nothing",
    "api-schema": "the OpenAPI schema documents the API, no data",
    "api-docs": "the API documentation page, no data",
    "evaluation:respond": "a survey answered through a personal link, without an account: the link (an HMAC of "
    "256 bits) is the credential, a wrong one answers 404",
    "response-list": "idem through the API (POST /api/v1/responses/)",
    "admin:login": "the administration sign-in page",
    "admin:logout": "signing out of the administration when not signed in sends to its index, then to sign-in",
}
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")


def crawl_values(world, route) -> dict[str, list]:
    """Real ids for the pattern's parameters, chosen by what the URL is about."""
    regex = route.regex
    token, _ = ApiToken.issue(world.rep_a, "crawl")
    batch = ImportBatch.objects.create(kind="organizations", filename="x.csv", rows=[], created_by=world.coordinator)
    if "organi" in regex or "funding" in regex:
        pk = world.org_a.pk
    elif "people" in regex or "person" in regex:
        pk = world.person_a.pk
    elif "territor" in regex:
        pk = world.town.pk
    elif "token" in regex:
        pk = token.pk
    elif "import" in regex:
        pk = batch.pk
    else:
        pk = world.rep_a.pk
    # Sign-in is checked before any lookup, so ids of other objects need not exist for this crawl.
    other_ids = {name: [1] for name in route.params if name.endswith("_pk") or name.endswith("_id")}
    return other_ids | {
        "pk": [pk],
        "id": [pk],
        "object_id": [pk],
        "content_type_id": [1],
        "line_pk": [world.org_a.funding_lines.get().pk],
        "affiliation_pk": [world.person_a.affiliations.get().pk],
        "kind": ["organizations"],
        "format": ["json"],
        "app_label": ["registry", "core", "auth", "axes"],
        "url": ["registry/nothing/"],
        "uidb64": ["MQ"],
        "token": ["set-password"],
        "number": [1],
        "extension": ["pdf"],
    }


def is_refused(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES)


def test_every_url_refuses_anonymous_visitors(client, world, routes):
    names = {route.name for route in routes}
    assert {"registry:organization_detail", "home", "login"} <= names, "the resolver walk found the project's URLs"
    assert not set(ALLOW_LIST) - names, "the allow-list names URLs that no longer exist"
    problems = []
    for route in routes:
        url = route.url(crawl_values(world, route))
        if url is None:
            problems.append(f"{route.name}: cannot build a URL; give its parameters a value in crawl_values()")
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if route.name in ALLOW_LIST:
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {url}: {response.status_code}")
            elif not is_refused(response):
                problems.append(f"{method.upper()} {url}: {response.status_code} {response.get('Location', '')}")
    assert not problems, "\n".join(problems)


def test_api_answers_401_to_anonymous_callers(client, world, routes):
    api = [route for route in routes if route.regex.startswith("api/") and route.name not in ALLOW_LIST]
    for route in api:
        url = route.url(crawl_values(world, route))
        assert client.get(url).status_code in (401, 403), url


def test_public_page_only_when_the_organisation_published_it(client, world):
    url = reverse("public_organization", args=[world.org_a.pk])
    assert client.get(url).status_code == 404

    world.org_a.is_public = True
    world.org_a.mission = "Repas chauds livrés aux aînés."
    world.org_a.save()
    response = client.get(url)
    assert response.status_code == 200
    assert world.org_a.name in response.content.decode()
    assert "Repas chauds" in response.content.decode()
    # Funding and people stay private even on the public page.
    assert world.person_a.last_name not in response.content.decode()

    world.org_a.archived_at = world.org_a.updated_at
    world.org_a.save()
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/", "/registry/organisations/", "/registry/people/?format=csv"])
def test_redirect_to_sign_in_keeps_the_requested_page(client, world, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
