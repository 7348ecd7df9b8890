"""The metrics of one network, computed by igraph (C): never a Python loop over pairs.

Semantics (docs/network.md): a tie keeps its strength (instances or agreements shared, or the rated frequency);
path-based metrics (betweenness, closeness) read a distance of (strongest tie's strength) / strength, since a
strong tie is a short one (the inverse of the strength, scaled so that the strongest tie is one step: betweenness
does not change with the scale, and closeness stays between 0 and 1);
strength, k-cores and communities read the strength or no weight. Closeness is harmonic, so that a network in
several components still has one. Communities come from Leiden with the modularity objective and a fixed seed
(igraph's defaults, the CPM objective at resolution 1, put every node in a community of its own)."""

import random
from dataclasses import dataclass, field

import igraph
import numpy as np

SEED = 1
LEIDEN = {"objective_function": "modularity", "resolution": 1.0, "beta": 0.01, "n_iterations": -1}
PARAMETERS = {
    "distance": "max(strength) / strength",
    "betweenness": "weighted by distance, normalised to [0, 1] by (n-1)(n-2)/2",
    "closeness": "harmonic, weighted by distance, normalised by n-1",
    "coreness": "k-core number, unweighted",
    "communities": {"algorithm": "leiden", **LEIDEN, "weights": "strength", "seed": SEED, "numbered_from": 1},
    "broker": "a tie to another community and betweenness at or above the network's 90th percentile (above 0)",
    "dynamic_core": "the highest k-core, by weighted degree, 3 to 5 organisations",
    "layout": {"algorithm": "fruchterman_reingold", "niter": 500, "grid": "auto", "weights": "strength", "seed": SEED},
}
DYNAMIC_CORE_MIN, DYNAMIC_CORE_MAX = 3, 5


def library() -> str:
    return f"igraph {igraph.__version__}"


@dataclass
class Network:
    """Nodes are organisations; `sources[k] – targets[k]` is tie k, with `weights[k]` its strength (and, for the
    co-membership graph, `days[k]` the days the two sat together)."""

    organizations: list[int]
    names: list[str]
    sectors: list[str]
    sources: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    targets: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    days: np.ndarray | None = None


def compute(network: Network, *, paths: bool = True) -> dict:
    """The network as the API answers it: nodes with their metrics, edges, and the network's metrics.
    `paths=False` leaves out betweenness, closeness and communities (the year-by-year evolution needs only the
    cheap ones)."""
    n = len(network.organizations)
    graph = igraph.Graph(n=n, edges=np.column_stack([network.sources, network.targets]).tolist(), directed=False)
    strength = network.weights.astype(float)
    degree = np.array(graph.degree(), dtype=np.int64)
    weighted = np.array(graph.strength(weights=strength.tolist()), dtype=float) if n else np.zeros(0)
    coreness = np.array(graph.coreness(), dtype=np.int64) if n else np.zeros(0, dtype=np.int64)
    nodes = [
        {
            "id": index,
            "organization": org,
            "name": network.names[index],
            "sector": network.sectors[index],
            "degree": int(degree[index]),
            "weighted_degree": round(float(weighted[index]), 3),
            "coreness": int(coreness[index]),
            "isolate": bool(degree[index] == 0),
        }
        for index, org in enumerate(network.organizations)
    ]
    metrics = _network_metrics(network, graph, degree, coreness)
    metrics["dynamic_core"] = _dynamic_core(network.organizations, coreness, weighted)
    if paths:
        _path_metrics(graph, network, strength, nodes, metrics)
    edges = [
        {"source": int(s), "target": int(t), "weight": round(float(w), 3)}
        for s, t, w in zip(network.sources, network.targets, strength, strict=True)
    ]
    if network.days is not None:
        for edge, days in zip(edges, network.days, strict=True):
            edge["days"] = int(days)
    return {"nodes": nodes, "edges": edges, "metrics": metrics}


def _network_metrics(network: Network, graph: igraph.Graph, degree: np.ndarray, coreness: np.ndarray) -> dict:
    n, m = len(network.organizations), len(network.sources)
    sectors = np.array(network.sectors, dtype=object)
    cross = int(np.count_nonzero(sectors[network.sources] != sectors[network.targets])) if m else 0
    max_core = int(coreness.max()) if n else 0
    return {
        "nodes": n,
        "edges": m,
        "density": round(2 * m / (n * (n - 1)), 4) if n > 1 else 0.0,
        "components": len(graph.connected_components()) if n else 0,
        "centralization": _degree_centralization(degree),
        "cross_sector_share": round(cross / m, 4) if m else 0.0,
        "max_coreness": max_core,
        "core_size": int(np.count_nonzero(coreness == max_core)) if n else 0,
        "isolates": int(np.count_nonzero(degree == 0)),
    }


def _degree_centralization(degree: np.ndarray) -> float:
    """Freeman's degree centralisation: 1 for a star, 0 when every organisation has as many ties."""
    n = len(degree)
    if n < 3:
        return 0.0
    return round(float((degree.max() - degree).sum()) / ((n - 1) * (n - 2)), 4)


def _dynamic_core(organizations: list[int], coreness: np.ndarray, weighted: np.ndarray) -> list[int]:
    """The organisations that hold the network together: highest coreness first, then weighted degree; the
    whole highest core when it has 3 to 5 organisations, its 5 strongest when bigger, completed from the next
    cores to 3 when smaller."""
    if not organizations:
        return []
    order = np.lexsort((np.array(organizations), -weighted, -coreness))  # last key sorts first
    top = coreness[order[0]]
    in_top = int(np.count_nonzero(coreness == top))
    size = min(max(in_top, DYNAMIC_CORE_MIN), DYNAMIC_CORE_MAX, len(organizations))
    return [organizations[i] for i in order[:size] if coreness[i] > 0]


def _path_metrics(graph: igraph.Graph, network: Network, strength: np.ndarray, nodes: list, metrics: dict) -> None:
    n = len(nodes)
    distance = (strength.max() / strength).tolist() if len(strength) else None
    betweenness = np.array(graph.betweenness(directed=False, weights=distance), dtype=float) if n else np.zeros(0)
    if n > 2:
        betweenness /= (n - 1) * (n - 2) / 2
    else:
        betweenness[:] = 0.0
    closeness = graph.harmonic_centrality(weights=distance, normalized=True) if n > 1 else [0.0] * n
    community, modularity = _communities(graph, strength)
    positions = _layout(graph, strength)
    brokers = _brokers(network, community, betweenness)
    for index, node in enumerate(nodes):
        node["betweenness"] = round(float(betweenness[index]), 4)
        node["closeness"] = round(float(closeness[index]), 4)
        node["community"] = int(community[index])
        node["broker"] = bool(brokers[index])
        node["x"], node["y"] = round(positions[index][0], 2), round(positions[index][1], 2)
    metrics["communities"] = int(community.max()) if n else 0
    metrics["modularity"] = round(modularity, 4)
    metrics["brokers"] = int(brokers.sum())


class _Seeded:
    """igraph draws from the generator set here: a fixed seed gives the same communities and map on every run."""

    def __enter__(self) -> None:
        igraph.set_random_number_generator(random.Random(SEED))  # noqa: S311 (layout and communities, not secrets)

    def __exit__(self, *exc) -> None:
        igraph.set_random_number_generator(random)


def _layout(graph: igraph.Graph, strength: np.ndarray) -> list[tuple[float, float]]:
    """Positions for the map, computed here so that the browser only draws (no layout worker)."""
    if not graph.vcount():
        return []
    weights = strength.tolist() if len(strength) else None
    with _Seeded():
        # The grid variant igraph picks above 1,000 nodes lays the province out in half a second (DrL: a minute).
        layout = graph.layout_fruchterman_reingold(weights=weights, niter=500, grid="auto")
    return [(float(x), float(y)) for x, y in layout.coords]


def _communities(graph: igraph.Graph, strength: np.ndarray) -> tuple[np.ndarray, float]:
    """Leiden, modularity objective, seeded; communities numbered from the biggest (1) down."""
    n = graph.vcount()
    if not n or not graph.ecount():
        return np.arange(1, n + 1), 0.0
    with _Seeded():
        partition = graph.community_leiden(weights=strength.tolist(), **LEIDEN)
    raw = np.array(partition.membership)
    sizes = np.bincount(raw)
    rank = np.empty_like(sizes)
    rank[np.lexsort((np.arange(len(sizes)), -sizes))] = np.arange(len(sizes))
    return rank[raw] + 1, float(graph.modularity(partition.membership, weights=strength.tolist()))


def _brokers(network: Network, community: np.ndarray, betweenness: np.ndarray) -> np.ndarray:
    n = len(community)
    brokers = np.zeros(n, dtype=bool)
    if not n or not len(network.sources):
        return brokers
    bridging = community[network.sources] != community[network.targets]
    across = np.zeros(n, dtype=bool)
    across[network.sources[bridging]] = True
    across[network.targets[bridging]] = True
    threshold = np.percentile(betweenness, 90)
    return across & (betweenness >= threshold) & (betweenness > 0)
