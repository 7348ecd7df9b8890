"""Reading a network: which territory, year, graph and instance the user may ask for (docs/network.md).

Pages and API hand over what the user typed (already parsed as numbers by evaluation.forms.NetworkForm); this is
where the scope is checked, so that both answer alike: an unknown territory and one the user may not read are
the same 404, a year outside the data or an instance outside the territory a 400 naming the field."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from concertation.models import Instance
from concertation.rules import instances_for
from evaluation import rules as scope
from evaluation.models import GraphKind
from evaluation.network import store
from evaluation.network.graphs import Scope, in_territory
from registry.models import Territory


def default_territory(user) -> Territory | None:
    """The user's own RLS first (an administrator's first in the tree otherwise)."""
    readable = scope.network_territories_for(user)
    return readable.filter(kind=Territory.Kind.RLS).first() or readable.first()


def check_reads_networks(user) -> None:
    """Refuse a user who reads no network at all, before anything they asked for is read (pages and API alike)."""
    if not scope.network_territories_for(user).exists():
        raise PermissionDenied(_("The networks are for the network coordinators and analysts."))


def network_scope(
    user, *, territory: int | None, year: int | None, graph: str = GraphKind.CO_MEMBERSHIP, instance: int | None = None
) -> Scope:
    """What the user asked for, checked; `year` None means the last year with data."""
    check_reads_networks(user)
    found = scope.network_territories_for(user).filter(pk=territory).first() if territory else default_territory(user)
    if found is None:
        raise Http404
    errors = {}
    if graph not in GraphKind.values:
        errors["graph"] = _("Choose one of the graphs: co-membership, agreements or relations survey.")
    first, last = store.years(graph if graph in GraphKind.values else GraphKind.CO_MEMBERSHIP, found)
    if year is not None and not first <= year <= last:
        if first == last:
            errors["year"] = _("This network has data for %(year)s only.") % {"year": first}
        else:
            errors["year"] = _("This network has data from %(first)s to %(last)s.") % {"first": first, "last": last}
    chosen = None
    if instance is not None:
        chosen = instances_for(user).filter(in_territory(found), pk=instance).first()
        if chosen is None:
            errors["instance"] = _("Choose an instance of this territory.")
    if errors:
        raise ValidationError(errors)
    return Scope(found, last if year is None else year, chosen, viewer=user)


def instance_choices(user, territory: Territory):
    return instances_for(user).filter(in_territory(territory)).order_by("name")


def may_read_network_of(user, instance: Instance) -> bool:
    return scope.network_territories_for(user).filter(pk=instance.rls_id).exists()
