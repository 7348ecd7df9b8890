"""Every write to the registry goes through these functions: atomic, audited, taking the acting user."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core import audit
from core.models import AuditEvent
from registry.models import Affiliation, FundingLine, Organization, Person, Territory, TerritoryPopulation

ORGANIZATION_FIELDS = [
    "name", "sector", "is_aca", "neq", "mission", "founded_year", "rls", "email", "phone",
    "address", "postal_code", "website", "is_public",
]  # fmt: skip
PERSON_FIELDS = ["first_name", "last_name", "email", "phone", "position", "decision_level"]
TERRITORY_FIELDS = ["name", "kind", "parent", "code", "description"]


def _organization_state(org: Organization) -> dict[str, Any]:
    state = audit.snapshot(org, ORGANIZATION_FIELDS)
    state["territories"] = sorted(t.name for t in org.territories.all())
    state["funding"] = sorted(f"{f.year} {f.source} {f.amount}" for f in org.funding_lines.all())
    return state


def _apply(instance, data: dict[str, Any], fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


# Organisations ------------------------------------------------------------------------------


@transaction.atomic
def create_organization(acting_user, data: dict[str, Any], request=None) -> Organization:
    org = Organization()
    _apply(org, data, ORGANIZATION_FIELDS)
    org.full_clean()
    org.save()
    if "territories" in data:
        org.territories.set(data["territories"])
    if "funding" in data:
        _replace_funding(org, data["funding"])
    audit.record(acting_user, AuditEvent.Action.CREATE, org, audit.diff({}, _organization_state(org)), request)
    return org


@transaction.atomic
def update_organization(acting_user, org: Organization, data: dict[str, Any], request=None) -> Organization:
    before = _organization_state(org)
    _apply(org, data, ORGANIZATION_FIELDS)
    org.full_clean()
    org.save()
    if "territories" in data:
        org.territories.set(data["territories"])
    if "funding" in data:
        _replace_funding(org, data["funding"])
    changes = audit.diff(before, _organization_state(org))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, org, changes, request)
    return org


def _replace_funding(org: Organization, lines: list[dict[str, Any]]) -> None:
    org.funding_lines.all().delete()
    for line in lines:
        funding = FundingLine(organization=org, **line)
        funding.full_clean()
        funding.save()


@transaction.atomic
def add_funding_line(acting_user, org: Organization, data: dict[str, Any], request=None) -> FundingLine:
    line = FundingLine(organization=org, **data)
    line.full_clean()
    line.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, org, {"funding": [None, str(line)]}, request)
    return line


@transaction.atomic
def remove_funding_line(acting_user, line: FundingLine, request=None) -> None:
    org = line.organization
    label = str(line)
    line.delete()
    audit.record(acting_user, AuditEvent.Action.UPDATE, org, {"funding": [label, None]}, request)


@transaction.atomic
def archive_organization(acting_user, org: Organization, request=None) -> Organization:
    if org.archived_at is None:
        org.archived_at = timezone.now()
        org.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.ARCHIVE, org, request=request)
    return org


@transaction.atomic
def restore_organization(acting_user, org: Organization, request=None) -> Organization:
    if org.archived_at is not None:
        org.archived_at = None
        org.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.RESTORE, org, request=request)
    return org


# People -------------------------------------------------------------------------------------


def _person_state(person: Person) -> dict[str, Any]:
    state = audit.snapshot(person, PERSON_FIELDS)
    state["affiliations"] = sorted(
        f"{a.organization} {a.start_date}–{a.end_date or ''}"
        for a in person.affiliations.select_related("organization")
    )
    return state


@transaction.atomic
def create_person(acting_user, data: dict[str, Any], request=None) -> Person:
    person = Person()
    _apply(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    for item in data.get("affiliations", []):
        _add_affiliation(person, item)
    audit.record(acting_user, AuditEvent.Action.CREATE, person, audit.diff({}, _person_state(person)), request)
    return person


@transaction.atomic
def update_person(acting_user, person: Person, data: dict[str, Any], request=None) -> Person:
    before = _person_state(person)
    _apply(person, data, PERSON_FIELDS)
    person.full_clean()
    person.save()
    if "affiliations" in data:
        person.affiliations.all().delete()
        for item in data["affiliations"]:
            _add_affiliation(person, item)
    changes = audit.diff(before, _person_state(person))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, person, changes, request)
    return person


def _add_affiliation(person: Person, data: dict[str, Any]) -> Affiliation:
    affiliation = Affiliation(person=person, **data)
    affiliation.full_clean()
    affiliation.save()
    return affiliation


@transaction.atomic
def add_affiliation(acting_user, person: Person, data: dict[str, Any], request=None) -> Affiliation:
    affiliation = _add_affiliation(person, data)
    audit.record(acting_user, AuditEvent.Action.UPDATE, person, {"affiliations": [None, str(affiliation)]}, request)
    return affiliation


@transaction.atomic
def end_affiliation(acting_user, affiliation: Affiliation, end_date, request=None) -> Affiliation:
    before = affiliation.end_date
    affiliation.end_date = end_date
    affiliation.full_clean()
    affiliation.save(update_fields=["end_date"])
    audit.record(
        acting_user,
        AuditEvent.Action.UPDATE,
        affiliation.person,
        {"affiliation_end": [f"{affiliation.organization} {before or ''}", f"{affiliation.organization} {end_date}"]},
        request,
    )
    return affiliation


@transaction.atomic
def archive_person(acting_user, person: Person, request=None) -> Person:
    if person.archived_at is None:
        person.archived_at = timezone.now()
        person.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.ARCHIVE, person, request=request)
    return person


@transaction.atomic
def restore_person(acting_user, person: Person, request=None) -> Person:
    if person.archived_at is not None:
        person.archived_at = None
        person.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.RESTORE, person, request=request)
    return person


# Territories --------------------------------------------------------------------------------


def check_parent(territory: Territory, parent: Territory | None) -> None:
    """A territory cannot be its own ancestor."""
    if parent is None or territory.pk is None:
        return
    if parent.pk == territory.pk or parent.path.startswith(territory.path):
        raise ValidationError({"parent": _("A territory cannot be placed under itself or one of its descendants.")})


def _territory_state(territory: Territory) -> dict[str, Any]:
    state = audit.snapshot(territory, TERRITORY_FIELDS)
    state["grouped_municipalities"] = sorted(t.name for t in territory.grouped_municipalities.all())
    return state


@transaction.atomic
def create_territory(acting_user, data: dict[str, Any], request=None) -> Territory:
    territory = Territory()
    _apply(territory, data, TERRITORY_FIELDS)
    territory.full_clean(exclude=["path"])
    territory.save()
    territory.path = f"{territory.parent.path if territory.parent else '/'}{territory.pk}/"
    territory.save(update_fields=["path"])
    if "grouped_municipalities" in data:
        territory.grouped_municipalities.set(data["grouped_municipalities"])
    if data.get("population") is not None and data.get("year"):
        set_population(territory, data["year"], data["population"], data.get("population_65_plus") or 0)
    audit.record(acting_user, AuditEvent.Action.CREATE, territory, audit.diff({}, _territory_state(territory)), request)
    return territory


@transaction.atomic
def update_territory(acting_user, territory: Territory, data: dict[str, Any], request=None) -> Territory:
    before = _territory_state(territory)
    old_path = territory.path
    if "parent" in data:
        check_parent(territory, data["parent"])
    _apply(territory, data, TERRITORY_FIELDS)
    territory.full_clean(exclude=["path"])
    new_path = f"{territory.parent.path if territory.parent else '/'}{territory.pk}/"
    territory.path = new_path
    territory.save()
    if new_path != old_path:
        _move_subtree(old_path, new_path)
    if "grouped_municipalities" in data:
        territory.grouped_municipalities.set(data["grouped_municipalities"])
    if data.get("population") is not None and data.get("year"):
        set_population(territory, data["year"], data["population"], data.get("population_65_plus") or 0)
    changes = audit.diff(before, _territory_state(territory))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, territory, changes, request)
    return territory


def _move_subtree(old_path: str, new_path: str) -> None:
    """Re-parenting rewrites the descendants' paths; their history and figures stay attached to them."""
    moved = list(Territory.objects.filter(path__startswith=old_path).exclude(path=new_path))
    for node in moved:
        node.path = new_path + node.path[len(old_path) :]
    Territory.objects.bulk_update(moved, ["path"], batch_size=500)


def set_population(territory: Territory, year: int, population: int, population_65_plus: int) -> TerritoryPopulation:
    figure = TerritoryPopulation.objects.filter(territory=territory, year=year).first() or TerritoryPopulation(
        territory=territory, year=year
    )
    figure.population = population
    figure.population_65_plus = population_65_plus
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def delete_territory(acting_user, territory: Territory, request=None) -> None:
    if territory.children.exists() or territory.organizations.exists() or territory.rls_organizations.exists():
        raise ValidationError(_("This territory still has sub-territories or organisations; move them first."))
    audit.record(acting_user, AuditEvent.Action.DELETE, territory, request=request)
    territory.delete()
