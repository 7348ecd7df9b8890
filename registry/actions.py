"""Every write to the registry goes through these functions: atomic, audited, taking the acting user.

Each one checks the user's permission and the scope of every object it references (core.guard), then the
registry's rules (ACA only for community organisations, one name per RLS, dates in order, the territorial tree),
so the pages, the API and the imports refuse the same input with the same message on the same field.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent
from registry import rules as perms
from registry.models import Affiliation, FundingLine, Organization, Person, Territory, TerritoryPopulation
from registry.rules import is_owned

ORGANIZATION_FIELDS = [
    "name", "sector", "neq", "mission", "founded_year", "rls", "email", "phone",
    "address", "postal_code", "website", "is_public", "aca_verified_on", "funding_visibility",
]  # fmt: skip
ACA_CRITERIA = list(Organization.AcaCriterion.values)
# is_aca and the criteria are set through `aca_criteria` (or the single `is_aca` of imports and older clients).
AUDITED_ORGANIZATION_FIELDS = [*ORGANIZATION_FIELDS, "is_aca", *ACA_CRITERIA]
FUNDING_FIELDS = ["year", "source", "amount", "funder"]
PERSON_FIELDS = ["first_name", "last_name", "email", "phone", "position", "decision_level"]
AFFILIATION_FIELDS = ["organization", "title", "start_date", "end_date"]
TERRITORY_FIELDS = ["name", "kind", "parent", "code", "description"]

# A territory sits under one of a higher rank (an MRC under an RLS, never the reverse).
KIND_RANK: dict[str, int] = {
    Territory.Kind.PROVINCE: 0,
    Territory.Kind.HEALTH_REGION: 1,
    Territory.Kind.RTS: 2,
    Territory.Kind.RLS: 3,
    Territory.Kind.MRC: 4,
    Territory.Kind.CLSC: 4,
    Territory.Kind.MUNICIPALITY: 5,
    Territory.Kind.COMMUNITY: 6,
}


def _apply(instance: models.Model, data: dict[str, Any], fields: list[str]) -> None:
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])


def _validate(instance: models.Model, rules: dict[str, str], **options: Any) -> None:
    """The rules' messages and the model's own checks of the other fields, raised together, by field.

    Callers pass validate_constraints=False where the rules cover the model's constraints with clearer messages."""
    errors: dict[str, list[str]] = {field: [message] for field, message in rules.items()}
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)


def _under(field: str, error: ValidationError) -> ValidationError:
    """A nested item's refusal (a funding line, an affiliation) said under the list's field."""
    return ValidationError({field: error.messages})


# Organisations ------------------------------------------------------------------------------


def _organization_state(org: Organization) -> dict[str, Any]:
    state = audit.snapshot(org, AUDITED_ORGANIZATION_FIELDS)
    state["territories"] = sorted(t.name for t in org.territories.all())
    state["funding"] = sorted(f"{f.year} {f.source} {f.amount}" for f in org.funding_lines.all())
    return state


def _check_organization_scope(user, org: Organization, data: dict[str, Any]) -> None:
    """An organisation goes in an RLS the user coordinates (or stays where it is) and serves territories of that
    RLS (or keeps those it serves)."""
    rls = data.get("rls", org.rls if org.rls_id else None)
    if rls is not None and rls.pk != org.rls_id:
        guard.within(perms.placeable_rls_for(user), rls, "rls")
    if data.get("territories"):
        current = Territory.objects.filter(pk__in=org.territories.all()) if org.pk else Territory.objects.none()
        served = Territory.objects.filter(path__startswith=rls.path) if rls is not None else Territory.objects.none()
        guard.within(served | current, data["territories"], "territories")


def _name_taken(org: Organization) -> bool:
    wanted = (org.name or "").strip()
    if not wanted or org.rls_id is None:
        return False
    # Compared in Python: SQLite ignores case for ASCII letters only, and French names have accents (É, À).
    others = Organization.objects.filter(rls_id=org.rls_id).exclude(pk=org.pk)
    same_length = others.alias(length=Length("name")).filter(length=len(wanted)).values_list("name", flat=True)
    return any(other.casefold() == wanted.casefold() for other in same_length)


def _apply_aca(org: Organization, data: dict[str, Any]) -> dict[str, str]:
    """The eight criteria are the source of truth; is_aca follows them. The single `is_aca` flag (imports, older
    API clients) ticks or unticks all eight when it changes. Returns the refusals, by field."""
    if "aca_criteria" in data:
        met = set(data["aca_criteria"] or [])
        unknown = met - set(ACA_CRITERIA)
        if unknown:
            return {"aca_criteria": _("Choose among the criteria offered.")}
        for code in ACA_CRITERIA:
            setattr(org, code, code in met)
    elif "is_aca" in data and bool(data["is_aca"]) != org.is_aca:
        for code in ACA_CRITERIA:
            setattr(org, code, bool(data["is_aca"]))
    org.is_aca = all(getattr(org, code) for code in ACA_CRITERIA)
    if org.sector != Organization.Sector.COMMUNITY and any(getattr(org, code) for code in ACA_CRITERIA):
        if "aca_criteria" in data:
            return {
                "aca_criteria": _(
                    "The ACA criteria apply to community organisations only; untick them or change the sector."
                )
            }
        return {"is_aca": _("Only community organisations can be recognised as ACA; untick it or change the sector.")}
    return {}


def _organization_rules(org: Organization) -> dict[str, str]:
    """The model's two constraints, said next to the field to change."""
    errors = {}
    if org.aca_verified_on and org.aca_verified_on > timezone.localdate():
        errors["aca_verified_on"] = _("The date the criteria were checked cannot be in the future.")
    if _name_taken(org):
        errors["name"] = _(
            "An organisation named “%(name)s” already exists in %(rls)s. "
            "Choose another name, or edit the existing organisation."
        ) % {"name": org.name, "rls": org.rls}
    return errors


def _check_funding_visibility(acting_user, org: Organization, data: dict[str, Any]) -> None:
    wanted = data.get("funding_visibility")
    if wanted and wanted != (org.funding_visibility or Organization.FundingVisibility.COORDINATORS):
        guard.require(
            acting_user,
            "registry.set_funding_visibility",
            org if org.pk else None,
            _("Only the organisation chooses who sees the detail of its funding."),
        )


def _save_organization(acting_user, org: Organization, data: dict[str, Any]) -> None:
    """`acting_user` is the one whose scope bounds the input: the author of the change (for an accepted proposal,
    the coordinator who proposed it)."""
    _check_organization_scope(acting_user, org, data)
    _apply(org, data, ORGANIZATION_FIELDS)
    errors = _apply_aca(org, data)
    _validate(org, {**_organization_rules(org), **errors}, validate_constraints=False)
    org.save()
    if "territories" in data:
        org.territories.set(data["territories"])
    if "funding" in data:
        org.funding_lines.all().delete()
        for line in data["funding"]:
            try:
                _new_funding_line(org, line)
            except ValidationError as error:
                raise _under("funding", error) from error


@transaction.atomic
def create_organization(acting_user, data: dict[str, Any]) -> Organization:
    guard.require(acting_user, "registry.add_organization")
    org = Organization()
    _check_funding_visibility(acting_user, org, data)
    _save_organization(acting_user, org, data)
    audit.record(acting_user, AuditEvent.Action.CREATE, org, audit.diff({}, _organization_state(org)))
    return org


OWNED_RECORD = _lazy(
    "This organisation keeps its own record: propose the change, and one of its representatives will accept or "
    "refuse it."
)


def require_edit(user, org: Organization) -> None:
    guard.require(user, "registry.change_organization", org, OWNED_RECORD if is_owned(org) else "")


@transaction.atomic
def update_organization(acting_user, org: Organization, data: dict[str, Any]) -> Organization:
    require_edit(acting_user, org)
    _check_funding_visibility(acting_user, org, data)
    return _apply_organization_update(acting_user, acting_user, org, data)


def _apply_organization_update(
    author, acting_user, org: Organization, data: dict[str, Any], note: dict | None = None
) -> Organization:
    """The write itself, once allowed: the author's scope bounds the input; the actor is recorded."""
    before = _organization_state(org)
    _save_organization(author, org, data)
    changes = audit.diff(before, _organization_state(org))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, org, {**changes, **(note or {})})
    return org


def _new_funding_line(org: Organization, data: dict[str, Any]) -> FundingLine:
    line = FundingLine(organization=org)
    _apply(line, data, FUNDING_FIELDS)
    rules = {}
    if line.amount is not None and line.amount < 0:
        rules["amount"] = _("The amount cannot be negative.")
    _validate(line, rules, validate_constraints=False)
    line.save()
    return line


@transaction.atomic
def add_funding_line(acting_user, org: Organization, data: dict[str, Any]) -> FundingLine:
    require_edit(acting_user, org)
    return _apply_funding_line(acting_user, org, data)


def _apply_funding_line(acting_user, org: Organization, data: dict[str, Any], note: dict | None = None) -> FundingLine:
    line = _new_funding_line(org, data)
    audit.record(acting_user, AuditEvent.Action.UPDATE, org, {"funding": [None, str(line)], **(note or {})})
    return line


@transaction.atomic
def remove_funding_line(acting_user, line: FundingLine) -> None:
    require_edit(acting_user, line.organization)
    _apply_funding_removal(acting_user, line)


def _apply_funding_removal(acting_user, line: FundingLine, note: dict | None = None) -> None:
    org = line.organization
    label = str(line)
    line.delete()
    audit.record(acting_user, AuditEvent.Action.UPDATE, org, {"funding": [label, None], **(note or {})})


@transaction.atomic
def set_funding_visibility(acting_user, org: Organization, visibility: str) -> Organization:
    """Who reads the detail of the organisation's funding lines: its own choice (registry/rules.py applies it)."""
    guard.require(
        acting_user,
        "registry.set_funding_visibility",
        org,
        _("Only the organisation chooses who sees the detail of its funding."),
    )
    if visibility not in Organization.FundingVisibility.values:
        raise ValidationError({"funding_visibility": _("Choose one of the options offered.")})
    before = org.funding_visibility
    if visibility != before:
        org.funding_visibility = visibility
        org.save(update_fields=["funding_visibility", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.UPDATE, org, {"funding_visibility": [before, visibility]})
    return org


@transaction.atomic
def archive_organization(acting_user, org: Organization) -> Organization:
    guard.require(acting_user, "registry.archive_organization", org)
    if org.archived_at is None:
        org.archived_at = timezone.now()
        org.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.ARCHIVE, org)
    return org


@transaction.atomic
def restore_organization(acting_user, org: Organization) -> Organization:
    guard.require(acting_user, "registry.archive_organization", org)
    if org.archived_at is not None:
        org.archived_at = None
        org.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.RESTORE, org)
    return org


# People -------------------------------------------------------------------------------------


def _person_state(person: Person) -> dict[str, Any]:
    state = audit.snapshot(person, PERSON_FIELDS)
    state["affiliations"] = sorted(
        f"{a.organization} {a.start_date}–{a.end_date or ''}"
        for a in person.affiliations.select_related("organization")
    )
    return state


def _affiliation_rules(affiliation: Affiliation) -> dict[str, str]:
    start, end = affiliation.start_date, affiliation.end_date
    if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
        return {"end_date": _("The end date cannot be before the start date.")}
    return {}


def _new_affiliation(person: Person, data: dict[str, Any]) -> Affiliation:
    affiliation = Affiliation(person=person)
    _apply(affiliation, data, AFFILIATION_FIELDS)
    _validate(affiliation, _affiliation_rules(affiliation), validate_constraints=False)
    affiliation.save()
    return affiliation


def _add_affiliations(person: Person, items: list[dict[str, Any]]) -> None:
    for item in items:
        try:
            _new_affiliation(person, item)
        except ValidationError as error:
            raise _under("affiliations", error) from error


def _check_affiliations(acting_user, items: list[dict[str, Any]]) -> None:
    """People are affiliated only with organisations the user manages."""
    organizations = [item.get("organization") for item in items]
    guard.within(perms.editable_organizations_for(acting_user), organizations, "affiliations")


@transaction.atomic
def create_person(acting_user, data: dict[str, Any]) -> Person:
    guard.require(acting_user, "registry.add_person")
    items = data.get("affiliations") or []
    _check_affiliations(acting_user, items)
    if not items and not perms.scope_for(acting_user).is_admin:
        # Someone else sees a person through an affiliation: without one, the person would be lost to its author.
        raise ValidationError({"affiliations": _("Give at least one affiliation with an organisation you manage.")})
    person = Person()
    _apply(person, data, PERSON_FIELDS)
    _validate(person, {})
    person.save()
    _add_affiliations(person, items)
    audit.record(acting_user, AuditEvent.Action.CREATE, person, audit.diff({}, _person_state(person)))
    return person


PERSON_OF_OWNED_RECORD = _lazy(
    "This person belongs to an organisation that keeps its own record: propose the change, and one of its "
    "representatives will accept or refuse it."
)


@transaction.atomic
def update_person(acting_user, person: Person, data: dict[str, Any]) -> Person:
    """Given affiliations replace those with organisations the user manages; the others are kept as they are."""
    owned = acting_user.has_perm("registry.propose_person_change", person)
    guard.require(acting_user, "registry.change_person", person, PERSON_OF_OWNED_RECORD if owned else "")
    return _apply_person_update(acting_user, person, data)


def _apply_person_update(acting_user, person: Person, data: dict[str, Any], note: dict | None = None) -> Person:
    items = data.get("affiliations")
    if items is not None:
        _check_affiliations(acting_user, items)
    before = _person_state(person)
    _apply(person, data, PERSON_FIELDS)
    _validate(person, {})
    person.save()
    if items is not None:
        person.affiliations.filter(organization__in=perms.editable_organizations_for(acting_user)).delete()
        _add_affiliations(person, items)
    changes = audit.diff(before, _person_state(person))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, person, {**changes, **(note or {})})
    return person


@transaction.atomic
def add_affiliation(acting_user, person: Person, data: dict[str, Any]) -> Affiliation:
    guard.require(acting_user, "registry.change_person", person)
    guard.within(perms.editable_organizations_for(acting_user), data.get("organization"), "organization")
    affiliation = _new_affiliation(person, data)
    audit.record(acting_user, AuditEvent.Action.UPDATE, person, {"affiliations": [None, str(affiliation)]})
    return affiliation


@transaction.atomic
def end_affiliation(acting_user, affiliation: Affiliation, end_date: datetime.date) -> Affiliation:
    guard.require(acting_user, "registry.change_affiliation", affiliation)
    before = affiliation.end_date
    affiliation.end_date = end_date
    _validate(affiliation, _affiliation_rules(affiliation), validate_constraints=False)
    affiliation.save(update_fields=["end_date"])
    org = affiliation.organization
    audit.record(
        acting_user,
        AuditEvent.Action.UPDATE,
        affiliation.person,
        {"affiliation_end": [f"{org} {before or ''}", f"{org} {end_date}"]},
    )
    return affiliation


@transaction.atomic
def archive_person(acting_user, person: Person) -> Person:
    guard.require(acting_user, "registry.archive_person", person)
    if person.archived_at is None:
        person.archived_at = timezone.now()
        person.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.ARCHIVE, person)
    return person


@transaction.atomic
def restore_person(acting_user, person: Person) -> Person:
    guard.require(acting_user, "registry.archive_person", person)
    if person.archived_at is not None:
        person.archived_at = None
        person.save(update_fields=["archived_at", "updated_at"])
        audit.record(acting_user, AuditEvent.Action.RESTORE, person)
    return person


# Territories --------------------------------------------------------------------------------


def _territory_state(territory: Territory) -> dict[str, Any]:
    state = audit.snapshot(territory, TERRITORY_FIELDS)
    state["grouped_municipalities"] = sorted(t.name for t in territory.grouped_municipalities.all())
    return state


def _check_territory_scope(user, territory: Territory, data: dict[str, Any]) -> None:
    """A coordinator places territories, and groups municipalities, within their RLS; what is already there stays."""
    editable = perms.editable_territories_for(user)
    parent = data.get("parent")
    if "parent" in data and parent is not None and parent.pk != territory.parent_id:
        guard.within(editable, parent, "parent")
    if data.get("grouped_municipalities"):
        current = territory.grouped_municipalities.all() if territory.pk else Territory.objects.none()
        allowed = editable.filter(kind=Territory.Kind.MUNICIPALITY) | Territory.objects.filter(pk__in=current)
        guard.within(allowed, data["grouped_municipalities"], "grouped_municipalities")


def _territory_rules(user, territory: Territory, data: dict[str, Any], moved: bool) -> dict[str, str]:
    errors = {}
    kind, parent = territory.kind, territory.parent
    if parent is None:
        # Only the platform administrator puts a territory at the top of the tree, outside every RLS.
        if kind != Territory.Kind.PROVINCE or (moved and not perms.scope_for(user).is_admin):
            errors["parent"] = _("Choose the territory this one belongs to.")
    elif kind == Territory.Kind.PROVINCE:
        errors["parent"] = _("A province has no parent territory.")
    elif territory.pk is not None and (parent.pk == territory.pk or parent.path.startswith(territory.path)):
        errors["parent"] = _("A territory cannot be placed under itself or one of its descendants.")
    elif kind in KIND_RANK and KIND_RANK[parent.kind] >= KIND_RANK[kind]:
        errors["parent"] = _("A territory of kind “%(kind)s” cannot be placed under one of kind “%(parent_kind)s”.") % {
            "kind": Territory.Kind(kind).label,
            "parent_kind": parent.get_kind_display(),
        }
    population, older = data.get("population"), data.get("population_65_plus")
    if population is not None and older is not None and older > population:
        errors["population_65_plus"] = _("The population aged 65+ cannot exceed the total population.")
    if (population is not None or older is not None) and not data.get("year"):
        errors["year"] = _("Give the year of the population figures.")
    return errors


def _save_figures(territory: Territory, data: dict[str, Any]) -> None:
    if "grouped_municipalities" in data:
        territory.grouped_municipalities.set(data["grouped_municipalities"])
    if data.get("population") is not None and data.get("year"):
        set_population(territory, data["year"], data["population"], data.get("population_65_plus") or 0)


def _insert_territory(data: dict[str, Any]) -> Territory:
    territory = Territory()
    _apply(territory, data, TERRITORY_FIELDS)
    territory.full_clean(exclude=["path"])
    territory.save()
    territory.path = f"{territory.parent.path if territory.parent else '/'}{territory.pk}/"
    territory.save(update_fields=["path"])
    _save_figures(territory, data)
    return territory


@transaction.atomic
def create_territory(acting_user, data: dict[str, Any]) -> Territory:
    guard.require(acting_user, "registry.add_territory")
    territory = Territory()
    _check_territory_scope(acting_user, territory, data)
    _apply(territory, data, TERRITORY_FIELDS)
    _validate(territory, _territory_rules(acting_user, territory, data, moved=True), exclude=["path"])
    territory = _insert_territory(data)
    audit.record(acting_user, AuditEvent.Action.CREATE, territory, audit.diff({}, _territory_state(territory)))
    return territory


@transaction.atomic
def create_territory_as_system(data: dict[str, Any]) -> Territory:
    """For fixtures and loaders that build the reference tree themselves: no user, so no permission or scope
    check and none of the tree rules (the loader's data is trusted); the event is recorded without an actor."""
    territory = _insert_territory(data)
    audit.record(None, AuditEvent.Action.CREATE, territory, audit.diff({}, _territory_state(territory)))
    return territory


@transaction.atomic
def update_territory(acting_user, territory: Territory, data: dict[str, Any]) -> Territory:
    guard.require(acting_user, "registry.change_territory", territory)
    _check_territory_scope(acting_user, territory, data)
    before = _territory_state(territory)
    old_path, old_parent = territory.path, territory.parent_id
    _apply(territory, data, TERRITORY_FIELDS)
    moved = territory.parent_id != old_parent
    _validate(territory, _territory_rules(acting_user, territory, data, moved), exclude=["path"])
    new_path = f"{territory.parent.path if territory.parent else '/'}{territory.pk}/"
    territory.path = new_path
    territory.save()
    if new_path != old_path:
        _move_subtree(old_path, new_path)
    _save_figures(territory, data)
    changes = audit.diff(before, _territory_state(territory))
    if changes:
        audit.record(acting_user, AuditEvent.Action.UPDATE, territory, changes)
    return territory


def _move_subtree(old_path: str, new_path: str) -> None:
    """Re-parenting rewrites the descendants' paths; their history and figures stay attached to them."""
    moved = list(Territory.objects.filter(path__startswith=old_path).exclude(path=new_path))
    for node in moved:
        node.path = new_path + node.path[len(old_path) :]
    Territory.objects.bulk_update(moved, ["path"], batch_size=500)


def set_population(territory: Territory, year: int, population: int, population_65_plus: int) -> TerritoryPopulation:
    """Part of a territory's creation or update (and of the demo loader, which owns its figures)."""
    figure = TerritoryPopulation.objects.filter(territory=territory, year=year).first() or TerritoryPopulation(
        territory=territory, year=year
    )
    figure.population = population
    figure.population_65_plus = population_65_plus
    figure.full_clean()
    figure.save()
    return figure


@transaction.atomic
def delete_territory(acting_user, territory: Territory) -> None:
    guard.require(acting_user, "registry.delete_territory", territory)
    if territory.children.exists() or territory.organizations.exists() or territory.rls_organizations.exists():
        raise Conflict(_("This territory still has sub-territories or organisations; move them first."))
    audit.record(acting_user, AuditEvent.Action.DELETE, territory)
    territory.delete()
