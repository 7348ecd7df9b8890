#!/usr/bin/env python
"""Every network metric of evaluation.network.metrics on random graphs the size of an RLS (300 organisations, 5,000
ties) and of the province (6,000, 100,000), with igraph (what Maillage uses) and with NetworkX (pure Python, for
comparison). `.venv/bin/python bench/network_libraries.py`; the figures go to docs/benchmarks.md by hand.

NetworkX runs exactly on the RLS graph; on the province graph its betweenness and closeness (all shortest paths
from every node) are timed from a sample of sources and extrapolated to all of them, which the output says."""

import os
import random
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "maillage.settings")

import django  # noqa: E402

django.setup()

from evaluation.network.metrics import Network, compute, library  # noqa: E402

SAMPLE = 100  # sources for the extrapolated NetworkX path metrics


def random_network(n: int, m: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = rng.integers(0, n, size=(2, m))
        pairs.update((int(min(x, y)), int(max(x, y))) for x, y in zip(a, b, strict=True) if x != y)
    edges = np.array(sorted(pairs)[:m], dtype=np.int64)
    sectors = [random.Random(seed + i).choice(["community", "public", "municipal"]) for i in range(n)]
    return Network(
        organizations=list(range(1, n + 1)), names=[f"org {i}" for i in range(n)], sectors=sectors,
        sources=edges[:, 0], targets=edges[:, 1], weights=rng.integers(1, 6, size=m).astype(float),
    )  # fmt: skip


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def networkx_seconds(network: Network, exact: bool) -> tuple[float, str]:
    graph = nx.Graph()
    graph.add_nodes_from(range(len(network.organizations)))
    for a, b, w in zip(network.sources, network.targets, network.weights, strict=True):
        graph.add_edge(int(a), int(b), strength=float(w), distance=1 / float(w))
    n = graph.number_of_nodes()
    cheap = timed(lambda: (nx.core_number(graph), nx.community.louvain_communities(graph, weight="strength", seed=1)))
    if exact:
        paths = timed(lambda: (nx.betweenness_centrality(graph, weight="distance"),
                               nx.harmonic_centrality(graph, distance="distance")))  # fmt: skip
        return cheap + paths, "exact"
    sources = random.Random(1).sample(range(n), SAMPLE)
    sampled = timed(lambda: (nx.betweenness_centrality(graph, k=SAMPLE, weight="distance", seed=1),
                             nx.harmonic_centrality(graph, nbunch=sources, distance="distance")))  # fmt: skip
    return cheap + sampled * n / SAMPLE, f"extrapolated from {SAMPLE} sources of {n}"


def main() -> None:
    print(f"{library()}, NetworkX {nx.__version__}")
    for label, n, m, exact in [("RLS", 300, 5_000, True), ("province", 6_000, 100_000, False)]:
        network = random_network(n, m, seed=1)
        ours = min(timed(lambda network=network: compute(network)) for _ in range(3))
        theirs, how = networkx_seconds(network, exact)
        print(f"{label}: {n} nodes, {m} ties — igraph {ours:.2f} s (every metric and the map's layout); "
              f"NetworkX {theirs:.1f} s ({how}; betweenness, harmonic closeness, cores, Louvain)")  # fmt: skip


if __name__ == "__main__":
    main()
