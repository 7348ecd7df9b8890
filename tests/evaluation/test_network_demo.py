"""The demo's network tells the VES story: the assembly brings the RLS together until 2012, then the network frays,
while the same few organisations keep holding it."""

from evaluation.models import GraphKind
from evaluation.network import store
from evaluation.network.graphs import Scope
from registry.models import Territory


def test_the_demo_network_densifies_then_frays_around_a_stable_core(demo):
    rls = Territory.objects.get(kind=Territory.Kind.RLS, name="RLS du Haut-Bocage")
    years = {year: store.computed(GraphKind.CO_MEMBERSHIP, Scope(rls, year)) for year in range(2010, 2017)}
    ties = {year: result["metrics"]["edges"] for year, result in years.items()}
    assert max(ties, key=ties.get) == 2012  # the assembly at its widest
    assert ties[2010] < ties[2011] < ties[2012]
    assert ties[2012] > ties[2013] > ties[2014] > ties[2015] > ties[2016]  # the fraying after 2013
    cores = []
    for result in years.values():
        names = {node["organization"]: node["name"] for node in result["nodes"]}
        cores.append({names[org] for org in result["metrics"]["dynamic_core"]})
    assert all(3 <= len(core) <= 5 for core in cores)
    assert all("Centre d’action bénévole du Haut-Bocage" in core or "Centre d'action bénévole du Haut-Bocage" in core
               for core in cores)  # fmt: skip
