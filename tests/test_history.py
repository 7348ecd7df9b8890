"""Who changed what and when: the history page of a record created and edited through the pages."""

from html import unescape

from django.urls import reverse

from core.models import AuditEvent
from registry.models import Organization


def test_history_shows_creation_and_edit_with_who_and_what(client, world):
    client.force_login(world.coordinator)
    data = {"name": "Maison des jeunes du Val", "sector": "community", "rls": world.rls.pk, "phone": "819 555-0101"}
    assert client.post(reverse("registry:organization_create"), data).status_code == 302
    org = Organization.objects.get(name="Maison des jeunes du Val")
    client.force_login(world.admin)
    edited = {**data, "phone": "819 555-0199", "mission": "Un lieu pour les 12-17 ans.", "territories": [world.town.pk]}
    assert client.post(reverse("registry:organization_edit", args=[org.pk]), edited).status_code == 302

    response = client.get(reverse("registry:organization_history", args=[org.pk]))
    assert response.status_code == 200
    events = list(response.context["page"])
    assert [(e.action, e.actor) for e in events] == [("update", world.admin), ("create", world.coordinator)]
    update, create = events
    assert set(update.changes) == {"phone", "mission", "territories"}
    assert update.changes["phone"] == ["819 555-0101", "819 555-0199"]
    assert update.changes["territories"] == [[], ["Saint-Clément"]]
    assert create.changes["name"] == [None, "Maison des jeunes du Val"]

    page = unescape(response.content.decode())
    for text in ("coord", "admin", "819 555-0101", "819 555-0199", "Un lieu pour les 12-17 ans.", "Saint-Clément"):
        assert text in page


def test_saving_without_change_adds_no_event(client, world):
    client.force_login(world.rep_a)  # organisation A keeps its own record
    data = {"name": world.org_a.name, "sector": "community", "rls": world.rls.pk, "territories": [world.town.pk]}
    assert client.post(reverse("registry:organization_edit", args=[world.org_a.pk]), data).status_code == 302
    assert not AuditEvent.objects.filter(object_id=str(world.org_a.pk), action="update").exists()


def test_funding_archive_and_restore_are_in_the_history(client, world):
    client.force_login(world.admin)  # the coordinator proposes changes to organisation A, which keeps its record
    url = reverse("registry:funding_add", args=[world.org_a.pk])
    client.post(url, {"year": 2025, "source": "municipal", "amount": "1500", "funder": "Ville"})
    client.post(reverse("registry:organization_archive", args=[world.org_a.pk]))
    client.post(reverse("registry:organization_archive", args=[world.org_a.pk]), {"restore": "1"})
    events = list(client.get(reverse("registry:organization_history", args=[world.org_a.pk])).context["page"])
    assert [e.action for e in events] == ["restore", "archive", "update"]
    assert "funding" in events[2].changes


def test_person_history_shows_affiliation_changes(client, world):
    client.force_login(world.rep_a)
    affiliation = world.person_a.affiliations.get()
    client.post(
        reverse("registry:affiliation_end", args=[world.person_a.pk, affiliation.pk]), {"end_date": "2024-06-30"}
    )
    response = client.get(reverse("registry:person_history", args=[world.person_a.pk]))
    events = list(response.context["page"])
    assert len(events) == 1
    assert events[0].actor == world.rep_a
    assert "2024-06-30" in unescape(response.content.decode())
