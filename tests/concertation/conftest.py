import datetime

import pytest

from concertation.actions import instances as actions
from concertation.models import Instance, Membership


@pytest.fixture
def ves(world):
    """The VES structure in miniature: an assembly, a coordination committee and a local action committee."""
    base = {"rls": world.rls, "basis": Instance.Basis.TERRITORIAL, "territory": world.rls, "is_public": False}
    assembly = actions.create_instance(
        world.admin, {**base, "name": "Assemblée des partenaires", "kind": Instance.Kind.ASSEMBLY, "level": "local"}
    )
    coordination = actions.create_instance(
        world.admin,
        {
            **base,
            "name": "Comité de coordination",
            "kind": "coordination_committee",
            "level": "local",
            "parent": assembly,
        },
    )
    local = actions.create_instance(
        world.admin,
        {**base, "name": "Comité d'action locale de Saint-Clément", "kind": "local_action_committee",
         "level": "local", "parent": coordination, "territory": world.town},
    )  # fmt: skip
    member_a = actions.add_membership(
        world.admin,
        local,
        {"organization": world.org_a, "person": world.person_a, "start_date": datetime.date(2020, 1, 1)},
    )
    actions.add_membership(
        world.admin, coordination, {"organization": world.org_b, "start_date": datetime.date(2020, 1, 1)}
    )
    return {
        "assembly": assembly,
        "coordination": coordination,
        "local": local,
        "member_a": member_a,
        "Membership": Membership,
    }
