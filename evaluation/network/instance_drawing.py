"""The drawing of the map of concertations: a server-rendered SVG (no script; the CSP forbids inline styles, so
presentation attributes as in core/charts.py). The instances sit on a circle in name order, each a disc whose area
is proportional to its member organisations; a line joins two instances that share at least MIN_SHARED
organisations, thicker when they share more. The tables of the page carry the same figures for screen readers."""

import math

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.charts import BRAND, FONT, INK, MUTED, PAPER

SIZE = 390  # the viewBox is square and fits a 390 px phone; the height attribute caps it on a wide screen
RING = 128  # radius of the circle the instances sit on
MAX_RADIUS, MIN_RADIUS = 22.0, 3.0
MAX_LINE = 8.0
MIN_SHARED = 2  # a tie of one shared organisation is in the table of pairs, not drawn: the map stays readable
LABEL = 26  # characters of a name written under its disc; the full name is in the disc's <title>


def short_name(name: str, limit: int = LABEL) -> str:
    """The name, or its first word and its last words around an ellipsis: instances of a territory often differ
    only by their end (“Comité d’action locale des Rangs”, “… du Plateau”)."""
    name = " ".join(name.split())
    if len(name) <= limit:
        return name
    head, _space, rest = name.partition(" ")
    head = head[: limit // 2]
    words: list[str] = []
    for word in rest.split():  # a lone « or » stays with its word
        if words and (words[-1] == "«" or (word != "«" and not any(c.isalnum() for c in word))):
            words[-1] = f"{words[-1]} {word}"
        else:
            words.append(word)
    tail = ""
    for word in reversed(words):
        longer = f"{word} {tail}".strip()
        if len(head) + len(" … ") + len(longer) > limit:
            break
        tail = longer
    return f"{head} … {tail}" if tail else f"{name[: limit - 1].rstrip()}…"


def instance_svg(nodes: list[dict], edges: list[dict]) -> SafeString | None:
    """`nodes` and `edges` as evaluation.network.instances.instance_map answers them (nodes in name order)."""
    if not nodes:
        return None
    n, centre = len(nodes), SIZE / 2
    biggest = max(node["members"] for node in nodes) or 1
    # Neighbouring discs never overlap: the largest radius is at most 40 % of the distance between two neighbours.
    largest = min(MAX_RADIUS, 0.4 * 2 * RING * math.sin(math.pi / n)) if n > 1 else MAX_RADIUS
    place = {}
    for index, node in enumerate(nodes):
        angle = 2 * math.pi * index / n - math.pi / 2  # the first in name order at the top, then clockwise
        ring = RING if n > 1 else 0
        radius = max(MIN_RADIUS, largest * math.sqrt(node["members"] / biggest))  # area ∝ members
        place[node["id"]] = (centre + ring * math.cos(angle), centre + ring * math.sin(angle), radius)
    names = {node["id"]: node["name"] for node in nodes}
    drawn = [edge for edge in edges if edge["shared"] >= MIN_SHARED]
    strongest = max((edge["shared"] for edge in drawn), default=1)

    title = _("Map of the instances and the organisations they share")
    desc = _(
        "%(instances)s placed on a circle in name order, each disc sized by its member organisations; "
        "%(ties)s of %(minimum)s shared organisations or more drawn as lines, thicker when more organisations "
        "are shared. The tables below give every figure."
    ) % {
        "instances": ngettext("%(n)s instance", "%(n)s instances", n) % {"n": n},
        "ties": ngettext("%(n)s tie", "%(n)s ties", len(drawn)) % {"n": len(drawn)},
        "minimum": MIN_SHARED,
    }
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart instance-map" viewBox="0 0 {SIZE} {SIZE}" '
        f'width="100%" height="{SIZE + 10}" role="img" aria-label="{escape(title)}" '
        f'aria-describedby="instance-map-desc" font-family="{FONT}">',
        f"<title>{escape(title)}</title>",
        f'<desc id="instance-map-desc">{escape(desc)}</desc>',
    ]
    for edge in drawn:
        (x1, y1, _r1), (x2, y2, _r2) = place[edge["source"]], place[edge["target"]]
        width = max(0.75, MAX_LINE * edge["shared"] / strongest)
        said = ngettext(
            "%(a)s and %(b)s: %(n)s shared organisation", "%(a)s and %(b)s: %(n)s shared organisations", edge["shared"]
        ) % {"a": names[edge["source"]], "b": names[edge["target"]], "n": edge["shared"]}
        parts.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="{MUTED}" '
            f'stroke-opacity="0.45" stroke-width="{width:.1f}" stroke-linecap="round"><title>{escape(said)}</title>'
            f"</line>"
        )
    for node in nodes:
        x, y, radius = place[node["id"]]
        said = ngettext(
            "%(name)s: %(n)s member organisation", "%(name)s: %(n)s member organisations", node["members"]
        ) % {"name": node["name"], "n": node["members"]}
        # The name under its disc, above it at the very top; at the far left and right it runs inward from the
        # disc's edge so that it stays in the drawing.
        side, top = (x - centre) / RING, (centre - y) / RING
        label_y = y - radius - 6 if top > 0.9 else y + radius + 14
        anchor, label_x = ("end", x + radius) if side > 0.9 else ("start", x - radius) if side < -0.9 else ("middle", x)
        parts.append(
            f"<g><title>{escape(said)}</title>"
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="{BRAND}" fill-opacity="0.9" '
            f'stroke="{PAPER}" stroke-width="1.5"/>'
            + (
                f'<text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" font-size="11" fill="{PAPER}">'
                f"{node['members']}</text>"
                if radius >= 9
                else ""
            )
            + f'<text x="{label_x:.1f}" y="{label_y:.1f}" text-anchor="{anchor}" font-size="11" fill="{INK}" '
            f'stroke="{PAPER}" stroke-width="3" stroke-linejoin="round" paint-order="stroke">'
            f"{escape(short_name(node['name']))}</text></g>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # every name above is escaped, every other value numeric
