"""The network metrics against small graphs computed by hand, and against NetworkX on a random graph."""

import random

import networkx as nx
import numpy as np
import pytest

from evaluation.network.metrics import Network, compute


def network(edges, n=None, sectors=None, weights=None) -> Network:
    n = n if n is not None else max(max(e) for e in edges) + 1
    return Network(
        organizations=[100 + i for i in range(n)],
        names=[f"org {i}" for i in range(n)],
        sectors=sectors or ["community"] * n,
        sources=np.array([a for a, _b in edges], dtype=np.int64),
        targets=np.array([b for _a, b in edges], dtype=np.int64),
        weights=np.array(weights if weights is not None else [1.0] * len(edges)),
    )


def by_index(result) -> dict:
    return {node["id"]: node for node in result["nodes"]}


def test_a_star_is_fully_centralised_around_its_centre():
    result = compute(network([(0, 1), (0, 2), (0, 3), (0, 4)]))
    nodes, metrics = by_index(result), result["metrics"]
    assert metrics["density"] == 0.4  # 4 ties of 10 possible
    assert metrics["centralization"] == 1.0
    assert metrics["components"] == 1
    assert nodes[0]["betweenness"] == 1.0  # every path between two leaves goes through the centre
    assert [nodes[i]["betweenness"] for i in range(1, 5)] == [0.0] * 4
    assert nodes[0]["closeness"] == 1.0
    assert nodes[1]["closeness"] == pytest.approx((1 + 3 * 0.5) / 4, abs=1e-4)
    assert metrics["dynamic_core"][0] == 100  # the centre first: same coreness (1), strongest


def test_a_path():
    result = compute(network([(0, 1), (1, 2), (2, 3)]))
    nodes, metrics = by_index(result), result["metrics"]
    assert nodes[1]["betweenness"] == pytest.approx(2 / 3, abs=1e-4)  # (a, c) and (a, d) of the 3 pairs without b
    assert nodes[0]["betweenness"] == 0.0
    assert nodes[0]["closeness"] == pytest.approx((1 + 1 / 2 + 1 / 3) / 3, abs=1e-4)
    assert metrics["centralization"] == pytest.approx(2 / 6, abs=1e-4)  # Σ(2 − d) / ((n−1)(n−2))
    assert [nodes[i]["coreness"] for i in range(4)] == [1, 1, 1, 1]


def test_two_triangles_joined_by_a_bridge():
    edges = [(0, 1), (0, 2), (1, 2), (2, 3), (3, 4), (3, 5), (4, 5)]
    result = compute(network(edges, sectors=["community"] * 3 + ["public"] * 3))
    nodes, metrics = by_index(result), result["metrics"]
    assert metrics["communities"] == 2
    assert {node["community"] for node in result["nodes"]} == {1, 2}
    assert len({nodes[0]["community"], nodes[1]["community"], nodes[2]["community"]}) == 1
    assert nodes[0]["community"] != nodes[3]["community"]
    assert nodes[2]["betweenness"] == pytest.approx(0.6)  # 2 × 3 pairs of 10 cross the bridge
    assert [node["broker"] for node in result["nodes"]] == [False, False, True, True, False, False]
    assert metrics["cross_sector_share"] == pytest.approx(1 / 7, abs=1e-4)  # only the bridge
    assert metrics["density"] == pytest.approx(7 / 15, abs=1e-4)
    assert metrics["max_coreness"] == 2 and metrics["core_size"] == 6
    assert sorted(metrics["dynamic_core"][:2]) == [102, 103]  # the bridge's ends: 3 ties each


def test_a_strong_tie_is_a_short_path():
    # a–b and b–c are strong (3), a–c weak (1): distances 1, 1 and 3, so the shortest way from a to c goes through b.
    result = compute(network([(0, 1), (1, 2), (0, 2)], weights=[3.0, 3.0, 1.0]))
    nodes = by_index(result)
    assert nodes[1]["betweenness"] == 1.0
    assert nodes[1]["weighted_degree"] == 6.0
    assert nodes[1]["closeness"] == 1.0  # one step (the strongest tie) from each of the others
    assert nodes[0]["closeness"] == pytest.approx((1 + 1 / 2) / 2, abs=1e-4)  # b in 1, c in 2 (through b)


def test_isolates_and_components():
    result = compute(network([(0, 1)], n=4))
    metrics = result["metrics"]
    assert metrics["components"] == 3
    assert metrics["isolates"] == 2
    assert [node["isolate"] for node in result["nodes"]] == [False, False, True, True]
    assert result["nodes"][2]["closeness"] == 0.0  # harmonic: defined on a disconnected graph
    assert 102 not in metrics["dynamic_core"]


def test_an_empty_network():
    result = compute(network([], n=0))
    assert result["nodes"] == [] and result["edges"] == []
    assert result["metrics"]["density"] == 0.0 and result["metrics"]["dynamic_core"] == []


def test_the_same_network_gives_the_same_communities_and_map():
    rng = random.Random(7)
    edges = list({tuple(sorted(rng.sample(range(60), 2))) for _ in range(200)})
    first, second = compute(network(edges, n=60)), compute(network(edges, n=60))
    assert first == second
    assert first["metrics"]["communities"] > 1  # Leiden with modularity, not a community per node


def test_metrics_agree_with_networkx():
    rng = random.Random(3)
    n = 80
    edges = list({tuple(sorted(rng.sample(range(n), 2))) for _ in range(300)})
    weights = [float(rng.choice([1, 2, 4])) for _ in edges]  # distances 4, 2, 1: sums exact
    result = compute(network(edges, n=n, weights=weights))
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for (a, b), w in zip(edges, weights, strict=True):
        graph.add_edge(a, b, strength=w, distance=max(weights) / w)
    betweenness = nx.betweenness_centrality(graph, weight="distance", normalized=True)
    harmonic = nx.harmonic_centrality(graph, distance="distance")
    core = nx.core_number(graph)
    for node in result["nodes"]:
        i = node["id"]
        assert node["betweenness"] == pytest.approx(betweenness[i], abs=1e-4)
        assert node["closeness"] == pytest.approx(harmonic[i] / (n - 1), abs=1e-4)
        assert node["coreness"] == core[i]
        assert node["weighted_degree"] == pytest.approx(graph.degree(i, weight="strength"))
    assert result["metrics"]["density"] == pytest.approx(nx.density(graph), abs=1e-4)
    assert result["metrics"]["components"] == nx.number_connected_components(graph)
