"""Role × action matrix of the registry actions called directly: the actions refuse by themselves, whatever page or
API calls them. ok: the write happens; 403: PermissionDenied; 400: ValidationError (the user may do this kind of
write, but not with an object outside their scope). Every refusal leaves the registry as it was.

The targets are organisation A, its person Alice and the MRC and municipality of the coordinator's RLS.
`other_coordinator` coordinates another RLS; `rep_b` represents organisation B of the same RLS. Organisation A has a
representative (rep_a), so it keeps its own record: the coordinator proposes changes to it instead of writing them
(tests/registry/test_change_requests.py), and affiliating a person with it is outside the coordinator's scope (400).
"""

import datetime
import inspect
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from registry import actions
from registry.models import Person
from tests.factories import make_territory

ROLES = ["admin", "coordinator", "other_coordinator", "analyst", "rep_a", "rep_b", "nobody"]

#                            admin coord other analyst rep_a rep_b nobody
MATRIX = {
    "create_organization": "ok ok 400 403 403 403 403",
    "update_organization": "ok 403 403 403 ok 403 403",
    "set_funding_visibility": "ok 403 403 403 ok 403 403",
    "archive_organization": "ok ok 403 403 403 403 403",
    "restore_organization": "ok ok 403 403 403 403 403",
    "add_funding_line": "ok 403 403 403 ok 403 403",
    "remove_funding_line": "ok 403 403 403 ok 403 403",
    "create_person": "ok 400 400 403 ok 400 403",
    "update_person": "ok 403 403 403 ok 403 403",
    "archive_person": "ok 403 403 403 ok 403 403",
    "restore_person": "ok 403 403 403 ok 403 403",
    "add_affiliation": "ok 403 403 403 ok 403 403",
    "end_affiliation": "ok 403 403 403 ok 403 403",
    "create_territory": "ok ok 400 403 403 403 403",
    "update_territory": "ok ok 403 403 403 403 403",
    "delete_territory": "ok ok 403 403 403 403 403",
}


def archived(obj):
    obj.archived_at = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    obj.save()
    return obj


def nothing(w):
    return None


# action: (set-up returning the target, done before the "before" snapshot; the call as a given user)
CALLS = {
    "create_organization": (nothing, lambda w, u, _: actions.create_organization(
        u, {"name": "Maison de la famille", "sector": "community", "rls": w.rls, "territories": [w.town]}
    )),
    "update_organization": (nothing, lambda w, u, _: actions.update_organization(u, w.org_a, {"phone": "819 555-01"})),
    "set_funding_visibility": (nothing, lambda w, u, _: actions.set_funding_visibility(u, w.org_a, "organization")),
    "archive_organization": (nothing, lambda w, u, _: actions.archive_organization(u, w.org_a)),
    "restore_organization": (lambda w: archived(w.org_a), lambda w, u, org: actions.restore_organization(u, org)),
    "add_funding_line": (nothing, lambda w, u, _: actions.add_funding_line(
        u, w.org_a, {"year": 2025, "source": "programme", "amount": Decimal("2500")}
    )),
    "remove_funding_line": (
        lambda w: w.org_a.funding_lines.get(), lambda w, u, line: actions.remove_funding_line(u, line)
    ),
    "create_person": (nothing, lambda w, u, _: actions.create_person(u, {
        "first_name": "Léa", "last_name": "Roy", "decision_level": "staff",
        "affiliations": [{"organization": w.org_a, "start_date": datetime.date(2024, 1, 1)}],
    })),
    "update_person": (nothing, lambda w, u, _: actions.update_person(u, w.person_a, {"position": "Directrice"})),
    "archive_person": (nothing, lambda w, u, _: actions.archive_person(u, w.person_a)),
    "restore_person": (lambda w: archived(w.person_a), lambda w, u, person: actions.restore_person(u, person)),
    "add_affiliation": (nothing, lambda w, u, _: actions.add_affiliation(
        u, w.person_a, {"organization": w.org_a, "title": "Bénévole", "start_date": datetime.date(2018, 5, 1)}
    )),
    "end_affiliation": (
        lambda w: w.person_a.affiliations.get(),
        lambda w, u, affiliation: actions.end_affiliation(u, affiliation, datetime.date(2024, 6, 30)),
    ),
    "create_territory": (nothing, lambda w, u, _: actions.create_territory(
        u, {"name": "Secteur Nord", "kind": "community", "parent": w.mrc}
    )),
    "update_territory": (nothing, lambda w, u, _: actions.update_territory(u, w.town, {"code": "99999"})),
    "delete_territory": (
        lambda w: make_territory("Hameau des Pins", "municipality", w.mrc),
        lambda w, u, hamlet: actions.delete_territory(u, hamlet),
    ),
}  # fmt: skip

CASES = [
    pytest.param(action, role, outcome, id=f"{action}-{role}")
    for action, outcomes in MATRIX.items()
    for role, outcome in zip(ROLES, outcomes.split(), strict=True)
]


def test_the_matrix_covers_every_action_of_the_registry():
    # Every public function taking acting_user: a new action needs its row.
    written = {
        name
        for name, function in vars(actions).items()
        if inspect.isfunction(function)
        and function.__module__ == actions.__name__
        and not name.startswith("_")
        and "acting_user" in inspect.signature(function).parameters
    }
    assert written == set(MATRIX) == set(CALLS)


@pytest.mark.parametrize(("action", "role", "outcome"), CASES)
def test_role_action_matrix(world, registry_state, action, role, outcome):
    prepare, call = CALLS[action]
    target = prepare(world)
    before = registry_state()
    if outcome == "ok":
        call(world, getattr(world, role), target)
        assert registry_state() != before, "an allowed write changes the registry"
        return
    with pytest.raises(PermissionDenied if outcome == "403" else ValidationError):
        call(world, getattr(world, role), target)
    assert registry_state() == before, "a refused write changes nothing"


def test_out_of_scope_refusals_name_nothing(world):
    """other_coordinator's refusals say which field, never what lies outside their RLS."""
    with pytest.raises(ValidationError) as error:
        CALLS["create_person"][1](world, world.other_coordinator, None)
    assert "affiliations" in error.value.message_dict
    assert world.org_a.name not in str(error.value)
    assert not Person.objects.filter(last_name="Roy").exists()
