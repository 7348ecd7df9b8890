import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from core.models import ApiToken

# core.guard's message for a referenced object outside the user's scope: it names nothing.
OUT_OF_SCOPE = "Choose among the options offered: this choice is not available to you."


@pytest.fixture
def maintained(world):
    """An organisation of the coordinator's RLS without a representative account: the coordinator maintains its
    record directly (organisations A and B keep their own)."""
    from tests.factories import FundingLineFactory, OrganizationFactory

    org = OrganizationFactory(name="Maison des jeunes du Val", rls=world.rls)
    org.territories.set([world.town])
    FundingLineFactory(organization=org)
    return org


@pytest.fixture
def api_as():
    """An API client authenticated with a real Bearer token of the given user, asking for French by default."""

    def make(user, language: str = "fr") -> APIClient:
        _, key = ApiToken.issue(user, "test")
        client = APIClient(HTTP_ACCEPT_LANGUAGE=language)
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        return client

    return make


def french(msgid: str) -> str:
    """A message as a French-speaking user reads it, after checking that the French catalogue translates it."""
    text = (Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po").read_text()
    translations = {}
    for block in text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)msgstr ((?:".*"\n?)+)', block, re.MULTILINE)
        if match:
            translations[_joined(match.group(1))] = _joined(match.group(2))
    assert translations.get(msgid), f"{msgid!r} has no French translation in the catalogue"
    with translation.override("fr"):
        return gettext(msgid)


def _joined(quoted: str) -> str:
    return "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', quoted)).replace('\\"', '"')
