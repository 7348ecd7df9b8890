"""An import is confirmed once: the batch is claimed in the transaction that writes its rows, so a double submit
(one after the other, or one arriving while the first is still writing) imports nothing twice."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry import imports
from registry.models import ImportBatch, Person

pytestmark = pytest.mark.django_db

PEOPLE = [
    ["first_name", "last_name", "decision_level", "organization", "start_date"],
    ["Claire", "Bouchard", "executive", "Popote roulante du Val", "2021-09-01"],
    ["Denis", "Côté", "staff", "Popote roulante du Val", "2021-09-01"],
]


@pytest.fixture
def batch(client, world) -> ImportBatch:
    """People (no name is unique, so a second import would duplicate them) checked and waiting for confirmation."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(PEOPLE)
    # The administrator: the coordinator no longer affiliates people with an organisation keeping its own record.
    client.force_login(world.admin)
    file = SimpleUploadedFile("people.csv", buffer.getvalue().encode(), content_type="text/csv")
    preview = client.post(reverse("registry:import", args=["people"]), {"file": file})
    assert preview.status_code == 200 and preview.context["errors"] == []
    return preview.context["batch"]


def confirm_url(batch: ImportBatch) -> str:
    return reverse("registry:import_confirm", args=[batch.kind, batch.pk])


def test_a_second_submit_imports_nothing(client, batch):
    assert client.post(confirm_url(batch)).status_code == 302
    assert client.post(confirm_url(batch)).status_code == 404
    assert Person.objects.filter(last_name__in=["Bouchard", "Côté"]).count() == 2


def test_a_submit_arriving_while_the_first_writes_imports_nothing(client, batch, monkeypatch):
    """The second submit comes in after the first has claimed the batch and while it writes the rows."""
    answers = []
    run_import = imports.run_import

    def first_writes(*args, **kwargs):
        if not answers:
            answers.append(client.post(confirm_url(batch)).status_code)
        return run_import(*args, **kwargs)

    monkeypatch.setattr(imports, "run_import", first_writes)
    assert client.post(confirm_url(batch)).status_code == 302
    assert answers == [404]
    assert Person.objects.filter(last_name__in=["Bouchard", "Côté"]).count() == 2


def test_a_batch_claimed_meanwhile_is_not_imported_again(world, batch):
    """Between the lookup and the claim, another submit confirmed the batch: the claim finds nothing to take."""
    ImportBatch.objects.filter(pk=batch.pk).update(imported_at="2024-01-01T00:00:00Z")
    assert imports.import_batch(world.coordinator, batch) is None
    assert not Person.objects.filter(last_name="Bouchard").exists()


def test_a_refused_confirmation_leaves_the_batch_to_confirm_again(client, world, batch):
    world.org_a.archived_at = "2024-01-01T00:00:00Z"
    world.org_a.save()
    response = client.post(confirm_url(batch))
    assert response.status_code == 400
    batch.refresh_from_db()
    assert batch.imported_at is None, "the claim is rolled back with the rows"
    assert not Person.objects.filter(last_name="Bouchard").exists()
