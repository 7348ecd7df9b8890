"""Import from CSV and XLSX (preview, all-or-nothing, French headings, refused files) and export of the lists
(with their filters, only what the user may see, formulas neutralised)."""

import csv
import datetime
import io
import os
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from core.models import AuditEvent
from registry.models import Affiliation, ImportBatch, Organization, Person, Territory
from tests.factories import OrganizationFactory

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def csv_upload(rows: list[list], name: str = "import.csv", delimiter: str = ",", encoding: str = "utf-8"):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows: list[list], name: str = "import.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def upload(client, kind: str, file):
    return client.post(reverse("registry:import", args=[kind]), {"file": file})


def confirm(client, kind: str, response):
    batch = response.context["batch"]
    return client.post(reverse("registry:import_confirm", args=[kind, batch.pk]))


def counts() -> tuple[int, int, int, int]:
    return Organization.objects.count(), Person.objects.count(), Territory.objects.count(), Affiliation.objects.count()


def error_rows(response) -> list[tuple[int, str, str]]:
    return [(e.row, e.field, e.message) for e in response.context["errors"]]


# Organisations -------------------------------------------------------------------------------------

ORG_HEADER_FR = ["Nom", "Secteur", "ACA", "NEQ", "RLS", "Territoires desservis", "Courriel", "Année de fondation"]
ORG_ROWS = [
    ["Centre d'entraide Saint-Clément", "Organisme communautaire", "oui", "1166543210", "RLS du Val-des-Sources",
     "Saint-Clément", "info@entraide.example", "1987"],
    ["Caisse populaire du Val", "social_economy", "", "", "RLS du Val-des-Sources", "", "", ""],
]  # fmt: skip


@pytest.mark.parametrize("make_file", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_valid_organisations_import_after_confirmation(client, world, make_file):
    client.force_login(world.coordinator)
    before = counts()
    preview = upload(client, "organizations", make_file([ORG_HEADER_FR, *ORG_ROWS]))
    assert preview.status_code == 200
    assert preview.context["errors"] == []
    assert preview.context["row_count"] == 2
    assert "Centre d'entraide Saint-Clément" in unescape(preview.content.decode())
    assert counts() == before, "the preview writes nothing"

    done = confirm(client, "organizations", preview)
    assert done.status_code == 302
    assert counts()[0] == before[0] + 2
    entraide = Organization.objects.get(name="Centre d'entraide Saint-Clément")
    assert entraide.is_aca
    assert entraide.neq == "1166543210"
    assert entraide.founded_year == 1987
    assert list(entraide.territories.all()) == [world.town]
    assert Organization.objects.get(name="Caisse populaire du Val").sector == "social_economy"
    event = AuditEvent.objects.get(action=AuditEvent.Action.IMPORT)
    assert event.actor == world.coordinator
    assert event.changes["rows"] == 2
    assert ImportBatch.objects.get().imported_at is not None

    again = client.post(reverse("registry:import_confirm", args=["organizations", preview.context["batch"].pk]))
    assert again.status_code == 404, "a batch is imported once"
    assert counts()[0] == before[0] + 2


@pytest.mark.parametrize("make_file", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_preview_lists_every_invalid_row_and_imports_nothing(client, world, registry_state, make_file):
    client.force_login(world.coordinator)
    rows = [
        ["name", "sector", "is_aca", "neq", "rls", "email"],
        ["Bon organisme", "community", "", "", "RLS du Val-des-Sources", ""],  # row 2: valid
        ["NEQ court", "community", "", "12345", "RLS du Val-des-Sources", ""],  # row 3
        ["Courriel brisé", "community", "", "", "RLS du Val-des-Sources", "pas@"],  # row 4
        ["popote roulante du val", "community", "", "", "RLS du Val-des-Sources", ""],  # row 5: exists
        ["Caisse ACA", "private", "oui", "", "RLS du Val-des-Sources", ""],  # row 6
        ["Ailleurs", "community", "", "", "RLS des Collines", ""],  # row 7: not the coordinator's RLS
        ["Bon organisme", "community", "", "", "RLS du Val-des-Sources", ""],  # row 8: twice in the file
    ]
    before = registry_state()
    response = upload(client, "organizations", make_file(rows))
    assert response.status_code == 400
    found = error_rows(response)
    assert sorted({row for row, _, _ in found}) == [3, 4, 5, 6, 7, 8]
    messages = {row: message for row, _, message in found}
    assert "10 chiffres" in messages[3]
    assert "adresse e-mail valide" in messages[4]
    assert "existe déjà" in messages[5]
    assert "ACA" in messages[6]
    assert "existe déjà" in messages[8]
    html = unescape(response.content.decode())
    assert "6 problèmes" in html
    assert "existe déjà" in html
    assert "batch" not in response.context or response.context["batch"] is None
    assert registry_state() == before
    assert not ImportBatch.objects.exists(), "nothing to confirm"


def test_row_numbers_match_the_file_even_with_blank_lines(client, world):
    client.force_login(world.coordinator)
    rows = [
        ["name", "sector", "rls"],
        ["Premier", "community", "RLS du Val-des-Sources"],
        [],
        ["Second", "not-a-sector", "RLS du Val-des-Sources"],
    ]
    response = upload(client, "organizations", csv_upload(rows))
    assert [row for row, _, _ in error_rows(response)] == [4]


def test_a_file_that_became_invalid_before_confirmation_imports_nothing(client, world):
    client.force_login(world.coordinator)
    preview = upload(client, "organizations", csv_upload([ORG_HEADER_FR, *ORG_ROWS]))
    assert preview.status_code == 200
    # Meanwhile someone registers the second organisation by hand.
    OrganizationFactory(name="CAISSE POPULAIRE DU VAL", rls=world.rls)
    before = counts()

    response = confirm(client, "organizations", preview)
    assert response.status_code == 400
    assert [row for row, _, _ in error_rows(response)] == [3]
    assert counts() == before
    assert ImportBatch.objects.get().imported_at is None
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.IMPORT).exists()


def test_french_excel_csv_with_semicolons_and_windows_encoding(client, world):
    client.force_login(world.coordinator)
    rows = [
        ["Nom", "Secteur", "RLS"],
        ["Société d'histoire de Saint-Clément", "Organisme communautaire", "RLS du Val-des-Sources"],
    ]
    preview = upload(client, "organizations", csv_upload(rows, delimiter=";", encoding="cp1252"))
    assert preview.status_code == 200, error_rows(preview)
    assert confirm(client, "organizations", preview).status_code == 302
    assert Organization.objects.filter(name="Société d'histoire de Saint-Clément").exists()


# People and territories -----------------------------------------------------------------------------

PEOPLE_HEADER_FR = ["Prénom", "Nom", "Courriel", "Poste", "Niveau de décision", "Organisation", "Date de début"]


@pytest.mark.parametrize("make_file", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_people_import_with_french_headings(client, world, make_file):
    # The administrator: organisations A and B keep their own records (the coordinator affiliates no one with them).
    client.force_login(world.admin)
    start = datetime.date(2021, 9, 1) if make_file is xlsx_upload else "2021-09-01"
    rows = [
        PEOPLE_HEADER_FR,
        ["Claire", "Bouchard", "claire@popote.example", "Directrice", "executive", world.org_a.name, start],
        ["Denis", "Côté", "", "Bénévole", "Bénévole", str(world.org_b.pk), start],
    ]
    preview = upload(client, "people", make_file(rows))
    assert preview.status_code == 200, error_rows(preview)
    assert counts()[1] == 2
    assert confirm(client, "people", preview).status_code == 302
    claire = Person.objects.get(last_name="Bouchard")
    assert claire.first_name == "Claire"
    assert claire.decision_level == "executive"
    affiliation = claire.affiliations.get()
    assert affiliation.organization == world.org_a
    assert affiliation.start_date == datetime.date(2021, 9, 1)
    assert Person.objects.get(last_name="Côté").decision_level == "volunteer"


def test_people_import_refuses_organisations_the_user_cannot_edit(client, world, registry_state):
    client.force_login(world.coordinator)
    rows = [PEOPLE_HEADER_FR, ["Eve", "Morin", "", "", "staff", world.org_elsewhere.name, "2020-01-01"]]
    before = registry_state()
    response = upload(client, "people", csv_upload(rows))
    assert response.status_code == 400
    assert error_rows(response)[0][:2] == (2, "Organisation")
    assert {row for row, _, _ in error_rows(response)} == {2}
    assert registry_state() == before


TERRITORY_HEADER_FR = ["Nom", "Type", "Parent", "Année", "Population", "Population 65+"]


@pytest.mark.parametrize("make_file", [csv_upload, xlsx_upload], ids=["csv", "xlsx"])
def test_territories_import_builds_the_tree(client, world, make_file):
    client.force_login(world.coordinator)
    rows = [
        TERRITORY_HEADER_FR,
        ["Sainte-Anne", "municipality", "MRC du Val", 2024, 1200, 400],
        ["Rang des Érables", "Communauté / territoire d'appartenance", "Sainte-Anne", "", "", ""],
    ]
    preview = upload(client, "territories", make_file(rows))
    assert preview.status_code == 200, error_rows(preview)
    assert not Territory.objects.filter(name="Sainte-Anne").exists()
    assert confirm(client, "territories", preview).status_code == 302
    anne = Territory.objects.get(name="Sainte-Anne")
    assert anne.parent == world.mrc
    assert anne.latest_population().population_65_plus == 400
    rang = Territory.objects.get(name="Rang des Érables")
    assert rang.kind == "community"
    assert rang.path.startswith(anne.path)


def test_territories_import_lists_bad_rows(client, world, registry_state):
    client.force_login(world.coordinator)
    rows = [
        ["name", "kind", "parent", "year", "population", "population_65_plus"],
        ["Trop vieux", "municipality", "MRC du Val", 2024, 100, 150],
        ["RLS fantôme", "rls", "Saint-Clément", "", "", ""],
        ["Hors RLS", "municipality", "RLS des Collines", "", "", ""],
    ]
    before = registry_state()
    response = upload(client, "territories", csv_upload(rows))
    assert response.status_code == 400
    found = error_rows(response)
    assert sorted({row for row, _, _ in found}) == [2, 3, 4]
    assert any("dépasser la population totale" in m for row, _, m in found if row == 2)
    assert registry_state() == before


# Refused files ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("organisations.csv", PNG, "Ce fichier n’est pas un fichier texte (CSV)."),
        ("organisations.xlsx", os.urandom(2048), "Ce fichier n’est pas un fichier Excel (XLSX) valide."),
        (
            "organisations.xlsx",
            b"PK\x03\x04" + os.urandom(2048),
            "Ce fichier n’est pas un fichier Excel (XLSX) valide.",
        ),
        ("organisations.csv", b"", "Le fichier soumis est vide."),
    ],
    ids=["png-named-csv", "random-named-xlsx", "broken-zip", "empty"],
)
def test_files_that_are_not_what_they_claim_are_refused(client, world, registry_state, name, content, message):
    client.force_login(world.coordinator)
    before = registry_state()
    response = upload(client, "organizations", SimpleUploadedFile(name, content))
    assert response.status_code in (200, 400)
    assert message in response.context["form"].errors["file"]
    assert message in unescape(response.content.decode())
    assert registry_state() == before


def test_files_over_5_mb_are_refused(client, world, registry_state):
    client.force_login(world.coordinator)
    line = b"Organisme,community,RLS du Val-des-Sources\n"
    content = b"name,sector,rls\n" + line * (5 * 1024 * 1024 // len(line) + 1)
    assert len(content) > 5 * 1024 * 1024
    before = registry_state()
    response = upload(client, "organizations", SimpleUploadedFile("big.csv", content))
    assert response.status_code == 400
    assert "Le fichier dépasse 5 Mo." in " ".join(response.context["form"].errors["file"])
    assert registry_state() == before


def test_the_error_follows_the_users_language(client, world):
    world.coordinator.language = "en"
    world.coordinator.save()
    client.force_login(world.coordinator)
    response = upload(client, "organizations", SimpleUploadedFile("x.csv", PNG))
    assert "This file is not a text (CSV) file." in response.context["form"].errors["file"]


@pytest.mark.parametrize("role", ["analyst", "rep_a", "rep_b", "nobody"])
def test_only_administrators_and_coordinators_import(client, world, registry_state, role):
    client.force_login(world.coordinator)
    preview = upload(client, "organizations", csv_upload([ORG_HEADER_FR, *ORG_ROWS]))
    batch = preview.context["batch"]
    client.force_login(getattr(world, role))
    before = registry_state()
    assert upload(client, "organizations", csv_upload([ORG_HEADER_FR, *ORG_ROWS])).status_code == 403
    assert client.post(reverse("registry:import_confirm", args=["organizations", batch.pk])).status_code == 403
    assert registry_state() == before


def test_a_coordinator_cannot_confirm_someone_elses_import(client, world, registry_state):
    client.force_login(world.coordinator)
    preview = upload(client, "organizations", csv_upload([ORG_HEADER_FR, *ORG_ROWS]))
    client.force_login(world.other_coordinator)
    before = registry_state()
    response = client.post(reverse("registry:import_confirm", args=["organizations", preview.context["batch"].pk]))
    assert response.status_code == 404
    assert registry_state() == before


def test_unknown_import_kind(client, world):
    client.force_login(world.admin)
    assert client.get(reverse("registry:import", args=["users"])).status_code == 404


# Exports ---------------------------------------------------------------------------------------------


def csv_rows(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(response) -> list[dict]:
    sheet = load_workbook(io.BytesIO(response.content)).active
    header, *rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    return [dict(zip(header, r, strict=True)) for r in rows]


@pytest.fixture
def mixed(world):
    OrganizationFactory(name="Ville de Saint-Clément", sector="municipal", rls=world.rls)
    OrganizationFactory(name='=HYPERLINK("http://evil.example","Cliquez")', sector="community", rls=world.rls)
    OrganizationFactory(name="Archivé", sector="community", rls=world.rls, archived_at="2024-01-01T00:00:00Z")
    return world


def test_csv_export_follows_the_filters_and_the_users_scope(client, mixed):
    client.force_login(mixed.coordinator)
    response = client.get(reverse("registry:organization_list"), {"sector": "community", "format": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert {r["sector"] for r in rows} == {"community"}
    names = {r["name"] for r in rows}
    assert mixed.org_a.name in names
    assert mixed.org_elsewhere.name not in names, "another RLS"
    assert "Archivé" not in names
    assert "Ville de Saint-Clément" not in names


def test_xlsx_export_follows_the_filters(client, mixed):
    client.force_login(mixed.coordinator)
    response = client.get(reverse("registry:organization_list"), {"sector": "municipal", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [r["name"] for r in xlsx_rows(response)] == ["Ville de Saint-Clément"]


def test_export_by_territory_includes_organisations_below(client, world):
    client.force_login(world.analyst)
    rows = csv_rows(client.get(reverse("registry:organization_list"), {"territory": world.mrc.pk, "format": "csv"}))
    assert [r["name"] for r in rows] == [world.org_a.name]
    assert rows[0]["territories"] == "Saint-Clément"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formulas_are_neutralised(client, mixed, fmt):
    client.force_login(mixed.coordinator)
    response = client.get(reverse("registry:organization_list"), {"format": fmt})
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    cells = [str(v) for r in rows for v in r.values() if v is not None]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@")]
    assert any(c.startswith("'=HYPERLINK") for c in cells)


def test_people_export_for_a_representative(client, world):
    client.force_login(world.rep_a)
    for fmt, read in (("csv", csv_rows), ("xlsx", xlsx_rows)):
        rows = read(client.get(reverse("registry:person_list"), {"format": fmt}))
        assert [(r["first_name"], r["last_name"], r["organizations"]) for r in rows] == [
            ("Alice", "Tremblay", world.org_a.name)
        ]


def test_people_export_follows_the_filters(client, world):
    world.person_b.decision_level = "manager"
    world.person_b.save()
    client.force_login(world.coordinator)
    rows = csv_rows(client.get(reverse("registry:person_list"), {"decision_level": "manager", "format": "csv"}))
    assert [r["last_name"] for r in rows] == ["Gagnon"]


def test_territory_export_follows_the_filters(client, world):
    client.force_login(world.rep_b)
    rows = xlsx_rows(client.get(reverse("registry:territory_list"), {"kind": "municipality", "format": "xlsx"}))
    assert [(r["name"], r["parent"], r["population"]) for r in rows] == [("Saint-Clément", "MRC du Val", 3000)]


def test_exported_organisations_can_be_imported_elsewhere(client, world):
    """An export is a valid import file: a coordinator can move a list from one RLS to another."""
    client.force_login(world.admin)
    rows = csv_rows(client.get(reverse("registry:organization_list"), {"search": "Popote", "format": "csv"}))
    rows[0]["rls"] = world.other_rls.name
    rows[0]["territories"] = ""
    header = [k for k in rows[0] if k != "id"]
    file = csv_upload([header, [rows[0][k] for k in header]])
    preview = upload(client, "organizations", file)
    assert preview.status_code == 200, error_rows(preview)
    assert confirm(client, "organizations", preview).status_code == 302
    assert Organization.objects.filter(name=world.org_a.name).count() == 2
