"""Layout of an RLS's instance structure as an SVG tree (parents above children) with delegation arrows.

Server-side geometry keeps the page free of JavaScript and lets the same data render as a nested list
for screen readers.
"""

from collections import Counter
from dataclasses import dataclass, field

from concertation.models import Instance

NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 190, 64, 24, 90, 20


@dataclass
class Node:
    instance: Instance
    depth: int = 0
    x: float = 0
    y: float = 0
    children: list["Node"] = field(default_factory=list)

    @property
    def cx(self) -> float:
        return self.x + NODE_W / 2

    @property
    def lines(self) -> list[str]:
        return wrap(self.instance.name, 26)[:2]


@dataclass
class Diagram:
    width: int
    height: int
    nodes: list[Node]
    roots: list[Node]
    tree_edges: list[tuple[float, float, float, float]]
    delegation_edges: list[dict]


def wrap(text: str, width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    if len(lines) > 2:
        lines[1] = lines[1][: width - 1] + "…"
    return lines


def layout(instances: list[Instance], delegations: list[tuple[int, int, str]]) -> Diagram:
    nodes = {i.pk: Node(i) for i in instances}
    roots = []
    for node in nodes.values():
        parent = nodes.get(node.instance.parent_id)
        (parent.children if parent else roots).append(node)
    next_slot = [0.0]

    def place(node: Node, depth: int, seen: set[int]) -> None:
        seen.add(node.instance.pk)
        node.depth, node.y = depth, MARGIN + depth * (NODE_H + GAP_Y)
        children = [c for c in node.children if c.instance.pk not in seen]
        for child in children:
            place(child, depth + 1, seen)
        if children:
            node.x = (children[0].x + children[-1].x) / 2
        else:
            node.x = MARGIN + next_slot[0] * (NODE_W + GAP_X)
            next_slot[0] += 1

    seen: set[int] = set()
    for root in roots:
        place(root, 0, seen)
    placed = [n for n in nodes.values() if n.instance.pk in seen]
    tree_edges = [
        (parent.cx, parent.y + NODE_H, child.cx, child.y)
        for parent in placed
        for child in parent.children
        if child.instance.pk in seen
    ]
    counts = Counter((source, seat) for source, seat, _ in delegations)
    arrows = []
    for (source_id, seat_id), n in counts.items():
        a, b = nodes.get(source_id), nodes.get(seat_id)
        if not a or not b:
            continue
        # A curve bending to the right, so it stays distinct from a parent/child line between the same boxes.
        x1, y1, x2, y2 = a.cx + 30, a.y if b.y < a.y else a.y + NODE_H, b.cx + 30, b.y + NODE_H if b.y < a.y else b.y
        bend = 60
        mid = (y1 + y2) / 2
        path = f"M {x1:.0f} {y1:.0f} C {x1 + bend:.0f} {mid:.0f}, {x2 + bend:.0f} {mid:.0f}, {x2:.0f} {y2:.0f}"
        arrows.append({"path": path, "count": n, "lx": (x1 + x2) / 2 + bend * 0.75, "ly": (y1 + y2) / 2,
                       "source": a.instance.name, "seat": b.instance.name})  # fmt: skip
    width = int(MARGIN * 2 + max(1, next_slot[0]) * (NODE_W + GAP_X))
    depth = max((n.depth for n in placed), default=0)
    height = int(MARGIN * 2 + (depth + 1) * (NODE_H + GAP_Y))
    return Diagram(width, height, placed, roots, tree_edges, arrows)
