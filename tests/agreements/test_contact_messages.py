"""What a user is told when recording a party's contacts is refused (found trying the pages as a representative)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from agreements.models import PartyContact

pytestmark = pytest.mark.django_db

WHY_FR = "Chaque partie inscrit elle-même ses signataires"


def test_another_partys_contact_form_says_why_it_is_refused(client, world, agreement):
    party_b = agreement.parties.get(organization=world.org_b)
    client.force_login(world.rep_a)
    page = client.get(reverse("agreements:contact_add", args=[party_b.pk]))
    assert page.status_code == 403
    assert WHY_FR in page.content.decode()

    api = APIClient(HTTP_ACCEPT_LANGUAGE="fr")
    api.force_authenticate(world.rep_a)
    answer = api.post(
        f"/api/v1/agreements/{agreement.pk}/contacts/",
        {"party": party_b.pk, "person": world.person_b.pk, "role": "respondent"},
        format="json",
    )
    assert answer.status_code == 403
    assert answer.json()["detail"].startswith(WHY_FR)
    assert not PartyContact.objects.filter(party=party_b).exists()


def test_a_signature_dated_in_the_future_is_refused(world, agreement):
    party_a = agreement.parties.get(organization=world.org_a)
    api = APIClient(HTTP_ACCEPT_LANGUAGE="fr")
    api.force_authenticate(world.rep_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    answer = api.post(
        f"/api/v1/agreements/{agreement.pk}/contacts/",
        {"party": party_a.pk, "person": world.person_a.pk, "role": "signatory", "signed_on": tomorrow.isoformat()},
        format="json",
    )
    assert answer.status_code == 400
    assert answer.json() == {"signed_on": ["Une signature ne peut pas être datée dans le futur."]}
    assert not PartyContact.objects.filter(party=party_a).exists()
