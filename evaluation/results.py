"""A campaign's results: pure read-only computation, with the anonymity rule applied wherever a figure is shown.

Nothing here writes. Aggregates come from the database (counts grouped by item, value, sector and instance);
the only per-response rows read are (response, item, value) tuples of Likert answers, which the section score
needs. `campaign_results` runs a fixed number of queries (at most sixteen) whatever the number of responses.

Anonymity (the campaign's `min_group_size`, never below 3):
- a campaign with fewer respondents than that shows no figure at all (`suppressed`), only that n is too small;
- a sector or instance group below it is hidden, and when exactly one group of a breakdown is hidden the
  smallest shown one is hidden too (secondary suppression), since the total minus the shown groups would give
  it back; a shown group's section mean is hidden when fewer respondents of the group answered the section;
- distributions and open-text comments appear only for the whole campaign, comments sorted by their text (not
  in the order they came in);
- the CSV export numbers responses in a keyed shuffle, not in submission order, and leaves blank the sector of
  a hidden group; with several instances it gives no sector at all when one sector of one instance is small.
A group campaign (one consensual answer recorded by the coordinator) is never suppressed: it names no one.

Shape of `campaign_results(campaign)`, frozen dataclasses (figures are exact floats: templates round):

    Results
      campaign, instrument, scoring ("mean" | "abc" | "checklist"), is_group: bool
      invited, used, respondents: int; response_rate: float | None (used / invited; None for a group campaign)
      min_group_size: int; suppressed: bool (every field below is empty when True)
      sections: tuple[SectionResult]
        section, n (respondents behind the figures), mean, sd (sample), minimum, maximum: float | None
          (the mean of each respondent's mean of the section's Likert items, then their spread)
        level: "strength" | "watch" | "concern" | None (see Level), abc: {"A": int, "B": int, "C": int} or {}
        items: tuple[ItemResult]
          item, n (answers), mean (Likert), share_yes (yes / no), distribution: ((value, label, count), ...)
          unfavourable (A/B/C: C at least as frequent as A and as B), note (the group's discussion note),
          comments: tuple[str] (open-text items)
          relations: RelationsResult | None (relations items): organisations (respondents' organisations that
            named at least one), respondents, ties (distinct pairs: respondent's organisation → organisation named),
            rated: tuple[PartnerRating] (name, raters, mean frequency, usefulness, trust) for the organisations at
            least `min_raters` respondents rated (MIN_RATERS, or the campaign's smallest group if larger), hidden:
            how many organisations named were rated by fewer, territory and year (the network page's query)
      abc: the A/B/C counts of the whole instrument ({} without A/B/C items)
      by_sector, by_instance: tuple[GroupResult] (by_instance only when the campaign covers several instances;
        both empty for a group campaign)
        key (sector code | instance id), label, n: int | None, suppressed: bool,
        means: {section code: float | None} (sections with Likert items), abc: {section code: {letter: count}}
      sector_gap: {section code: float | None}: community minus public, None unless both are shown
      previous: Comparison | None: campaign, means and deltas {section code: float | None} (this minus that)
      comments: tuple[str]: every open-text answer, sorted by text
      benefits_ticked, drawbacks_ticked: float | None (checklist: mean "yes" per respondent), balance: ItemResult
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from django.db import models
from django.db.models import Avg, Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluation.models import Answer, Campaign, Instrument, Item, Relation, Response, Scale, Section
from evaluation.models.network import MIN_RATERS
from registry.models import Organization

ABC_LETTERS = ("A", "B", "C")
SECTOR_ORDER = {sector: n for n, sector in enumerate([*Organization.Sector.values, ""])}


class Level(models.TextChoices):
    STRENGTH = "strength", gettext_lazy("Strength")
    WATCH = "watch", gettext_lazy("To discuss")
    CONCERN = "concern", gettext_lazy("Concern")


@dataclass(frozen=True)
class PartnerRating:
    name: str
    raters: int
    frequency: float
    usefulness: float
    trust: float


@dataclass(frozen=True)
class RelationsResult:
    organizations: int
    respondents: int
    ties: int
    rated: tuple[PartnerRating, ...]
    hidden: int
    min_raters: int
    territory: int
    year: int


@dataclass(frozen=True)
class ItemResult:
    item: Item
    n: int
    mean: float | None = None
    distribution: tuple[tuple[str, str, int], ...] = ()
    share_yes: float | None = None
    unfavourable: bool = False
    note: str = ""
    comments: tuple[str, ...] = ()
    relations: RelationsResult | None = None


@dataclass(frozen=True)
class SectionResult:
    section: Section
    n: int
    mean: float | None
    sd: float | None
    minimum: float | None
    maximum: float | None
    level: str | None
    abc: dict[str, int]
    items: tuple[ItemResult, ...]

    @property
    def level_label(self) -> str:
        return str(Level(self.level).label) if self.level else ""

    @property
    def table_items(self) -> tuple[ItemResult, ...]:
        """The items the results table shows (open questions and relations are shown apart)."""
        return tuple(r for r in self.items if r.item.scale not in (Scale.TEXT, Scale.RELATIONS))


@dataclass(frozen=True)
class GroupResult:
    key: Any
    label: str
    n: int | None
    suppressed: bool
    means: dict[str, float | None]
    abc: dict[str, dict[str, int]]


@dataclass(frozen=True)
class Comparison:
    campaign: Campaign
    means: dict[str, float | None]
    deltas: dict[str, float | None]


@dataclass(frozen=True)
class Results:
    campaign: Campaign
    instrument: Instrument
    scoring: str
    is_group: bool
    invited: int
    used: int
    respondents: int
    response_rate: float | None
    min_group_size: int
    suppressed: bool
    sections: tuple[SectionResult, ...] = ()
    abc: dict[str, int] = field(default_factory=dict)
    by_sector: tuple[GroupResult, ...] = ()
    sector_gap: dict[str, float | None] = field(default_factory=dict)
    by_instance: tuple[GroupResult, ...] = ()
    previous: Comparison | None = None
    comments: tuple[str, ...] = ()
    benefits_ticked: float | None = None
    drawbacks_ticked: float | None = None
    balance: ItemResult | None = None


# Small pieces ----------------------------------------------------------------------------------------------


def hidden_groups(counts: dict[Any, int], minimum: int) -> set[Any]:
    """The groups of a breakdown to hide: those below the minimum, then, while exactly one is hidden, the smallest
    shown one (the first in the breakdown's order among equals), since the total minus the shown groups would give
    the hidden one back."""
    order = list(counts)
    hidden = {key for key, n in counts.items() if n < minimum}
    while len(hidden) == 1 and len(hidden) < len(counts):
        hidden.add(min((key for key in order if key not in hidden), key=lambda k: (counts[k], order.index(k))))
    return hidden


def _mean(sums: Iterable[tuple[int, int]]) -> tuple[int, Fraction | None]:
    """How many respondents, and the exact mean of their own means (sum / count each): exact, so that a section
    at exactly 4.0 reads as a strength. Summed per count first to keep the fractions few."""
    by_count: dict[int, int] = defaultdict(int)
    n = 0
    for total, count in sums:
        by_count[count] += total
        n += 1
    if not n:
        return 0, None
    return n, sum((Fraction(total, count) for count, total in by_count.items()), Fraction(0)) / n


def _spread(sums: list[tuple[int, int]], mean: Fraction) -> tuple[float | None, float, float]:
    values = [total / count for total, count in sums]
    centre = float(mean)
    sd = math.sqrt(math.fsum((v - centre) ** 2 for v in values) / (len(values) - 1)) if len(values) > 1 else None
    return sd, min(values), max(values)


def _level(instrument: Instrument, mean: Fraction | None) -> str | None:
    if mean is None:
        return None
    if mean >= Fraction(instrument.strength_min):
        return Level.STRENGTH
    return Level.WATCH if mean >= Fraction(instrument.concern_below) else Level.CONCERN


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _sorted_texts(texts: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(texts, key=lambda text: (text.casefold(), text)))


def raters_needed(campaign: Campaign) -> int:
    """Respondents who must have rated an organisation before its ratings are shown."""
    return max(MIN_RATERS, campaign.min_group_size)


def _sector_label(key: str) -> str:
    return str(Organization.Sector(key).label) if key in Organization.Sector.values else _("Sector not recorded")


def sector_order(key: str) -> int:
    return SECTOR_ORDER.get(key, len(SECTOR_ORDER))


def instance_order(names: dict[int, str]):
    return lambda pk: (pk is None, names.get(pk, "").casefold(), pk or 0)


# Reading ---------------------------------------------------------------------------------------------------


def structure_of(instrument_id: int) -> list[tuple[Section, list[Item]]]:
    sections = list(Section.objects.filter(instrument_id=instrument_id).order_by("position", "pk"))
    items: dict[int, list[Item]] = defaultdict(list)
    for item in Item.objects.filter(section__instrument=instrument_id).order_by("position", "pk"):
        items[item.section_id].append(item)
    return [(section, items[section.pk]) for section in sections]


def _likert_sums(campaign_id: int, section_of: dict[int, Any]) -> dict[Any, dict[int, tuple[int, int]]]:
    """Per section, each respondent's (sum, count) of Likert answers: the rows are plain tuples, not models."""
    sums: dict[Any, dict[int, tuple[int, int]]] = defaultdict(dict)
    rows = Answer.objects.filter(response__campaign_id=campaign_id, item_id__in=list(section_of)).exclude(value="")
    for response_id, item_id, value in rows.values_list("response_id", "item_id", "value").iterator(chunk_size=5000):
        if value.isdigit():
            respondents = sums[section_of[item_id]]
            total, count = respondents.get(response_id, (0, 0))
            respondents[response_id] = (total + int(value), count + 1)
    return sums


def _section_means(campaign: Campaign) -> dict[str, Fraction | None]:
    """Section code → mean for a campaign, None everywhere when the campaign is below its threshold."""
    likert = Item.objects.filter(section__instrument=campaign.instrument_id, scale=Scale.LIKERT)
    section_of = dict(likert.values_list("pk", "section__code"))
    respondents = Response.objects.filter(campaign=campaign).count()
    hidden = campaign.mode != Campaign.Mode.GROUP and respondents < campaign.min_group_size
    sums = {} if hidden else _likert_sums(campaign.pk, section_of)
    return {code: None if hidden else _mean(sums.get(code, {}).values())[1] for code in set(section_of.values())}


# Whole campaign --------------------------------------------------------------------------------------------


def campaign_results(campaign: Campaign, visible: QuerySet | None = None) -> Results:
    """The results of a campaign; `visible` limits the previous campaign compared with to those the reader may
    open (rules.campaigns_for(user))."""
    instrument = campaign.instrument
    links = campaign.invitations.aggregate(invited=Count("pk"), used=Count("pk", filter=Q(used=True)))
    responses = list(Response.objects.filter(campaign=campaign).values_list("pk", "sector", "instance_id"))
    is_group = campaign.mode == Campaign.Mode.GROUP
    base = {
        "campaign": campaign, "instrument": instrument, "scoring": instrument.scoring, "is_group": is_group,
        "invited": links["invited"], "used": links["used"], "respondents": len(responses),
        "response_rate": None if is_group or not links["invited"] else links["used"] / links["invited"],
        "min_group_size": campaign.min_group_size,
    }  # fmt: skip
    if not is_group and len(responses) < campaign.min_group_size:
        return Results(**base, suppressed=True)
    return _Computation(campaign, instrument, responses, is_group).results(base, visible)


class _Computation:
    """The figures of a campaign above its threshold, from a fixed handful of queries."""

    def __init__(self, campaign: Campaign, instrument: Instrument, responses: list[tuple], is_group: bool) -> None:
        self.campaign, self.instrument, self.is_group = campaign, instrument, is_group
        self.minimum = campaign.min_group_size
        self.structure = structure_of(instrument.pk)
        self.code_of = {section.pk: section.code for section, _items in self.structure}
        self.item_section = {item.pk: section for section, items in self.structure for item in items}
        self.scale_of = {item.pk: item.scale for section, items in self.structure for item in items}
        likert = {pk: self.item_section[pk].pk for pk, scale in self.scale_of.items() if scale == Scale.LIKERT}
        # Sections with Likert items: those that have a mean (None while nobody answered them).
        self.likert_sections = [section.pk for section, _items in self.structure if section.pk in likert.values()]
        self.sums = _likert_sums(campaign.pk, likert)
        self.sector_of = {pk: sector for pk, sector, _instance in responses}
        self.instance_of = {pk: instance for pk, _sector, instance in responses}
        self._count_answers()
        asked = [pk for pk, scale in self.scale_of.items() if scale == Scale.RELATIONS]
        self.relations = self._relations(asked) if asked else {}

    def _count_answers(self) -> None:
        rows = (
            Answer.objects.filter(response__campaign=self.campaign)
            .exclude(value="")
            .values_list("item_id", "value", "response__sector", "response__instance")
            .annotate(n=Count("pk"))
            .order_by()
        )
        self.counts: dict[int, Counter] = defaultdict(Counter)
        self.group_abc: dict[tuple[str, Any], dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
        for item_id, value, sector, instance, n in rows:
            self.counts[item_id][value] += n
            if self.scale_of.get(item_id) == Scale.ABC and value in ABC_LETTERS:
                code = self.item_section[item_id].code
                self.group_abc["sector", sector][code][value] += n
                self.group_abc["instance", instance][code][value] += n
        answered = Answer.objects.filter(response__campaign=self.campaign).values_list("item__section_id")
        self.section_n = dict(answered.annotate(n=Count("response_id", distinct=True)).order_by())

    def results(self, base: dict[str, Any], visible: QuerySet | None) -> Results:
        texts = self._texts()
        notes = self._notes() if self.is_group else {}
        sections = tuple(self._section(section, items, texts, notes) for section, items in self.structure)
        by_sector = () if self.is_group else self._by_sector()
        by_instance = () if self.is_group else self._by_instance()
        checklist = self.instrument.scoring == Instrument.Scoring.CHECKLIST
        ticked = self._ticked() if checklist else {}
        return Results(
            **base, suppressed=False, sections=sections, abc=_abc_total(s.abc for s in sections if s.abc),
            by_sector=by_sector, sector_gap=self._gap(by_sector), by_instance=by_instance,
            previous=self._previous(visible), comments=_sorted_texts(t for ts in texts.values() for t in ts),
            benefits_ticked=ticked.get(Item.Polarity.BENEFIT), drawbacks_ticked=ticked.get(Item.Polarity.DRAWBACK),
            balance=_balance(sections) if checklist else None,
        )  # fmt: skip

    def _section(self, section: Section, items: list[Item], texts: dict, notes: dict) -> SectionResult:
        sums = list(self.sums.get(section.pk, {}).values())
        n, mean = _mean(sums)
        sd, low, high = _spread(sums, mean) if mean is not None else (None, None, None)
        results = tuple(self._item(item, texts.get(item.pk, ()), notes.get(item.pk, "")) for item in items)
        return SectionResult(
            section=section, n=n if mean is not None else self.section_n.get(section.pk, 0), mean=_float(mean), sd=sd,
            minimum=low, maximum=high, level=_level(self.instrument, mean),
            abc=_abc_total(r.distribution for r in results if r.item.scale == Scale.ABC), items=results,
        )  # fmt: skip

    def _item(self, item: Item, texts: tuple[str, ...], note: str) -> ItemResult:
        if item.scale == Scale.TEXT:
            return ItemResult(item=item, n=len(texts), note=note, comments=texts)
        if item.scale == Scale.RELATIONS:
            relations = self.relations[item.pk]
            return ItemResult(item=item, n=relations.respondents, relations=relations)
        counts = self.counts.get(item.pk, Counter())
        distribution = tuple((value, label, counts.get(value, 0)) for value, label in item.labelled_values())
        n = sum(count for _value, _label, count in distribution)
        mean = share_yes = None
        if item.scale == Scale.LIKERT and n:
            mean = sum(int(value) * count for value, _label, count in distribution) / n
        if item.scale == Scale.YES_NO and n:
            share_yes = counts.get("yes", 0) / n
        c = counts.get("C", 0)
        unfavourable = item.scale == Scale.ABC and c > 0 and c >= counts.get("A", 0) and c >= counts.get("B", 0)
        return ItemResult(item, n, mean, distribution, share_yes, unfavourable, note)

    def _relations(self, items: list[int]) -> dict[int, RelationsResult]:
        """Per relations item: who answered and how many ties were named (two queries); an organisation's mean
        ratings only when enough respondents rated it, in name order."""
        rows = Relation.objects.filter(response__campaign=self.campaign, item_id__in=items)
        respondents, organizations, ties = defaultdict(set), defaultdict(set), defaultdict(set)
        for item_id, response_id, respondent, named in rows.values_list(
            "item_id", "response_id", "response__organization_id", "organization_id"
        ).iterator(chunk_size=5000):
            respondents[item_id].add(response_id)
            if respondent is not None:
                organizations[item_id].add(respondent)
                ties[item_id].add((respondent, named))
        minimum = raters_needed(self.campaign)
        per_named = (
            rows.values_list("item_id", "organization_id", "organization__name")
            .annotate(raters=Count("response_id", distinct=True), frequency=Avg("frequency"),
                      usefulness=Avg("usefulness"), trust=Avg("trust"))
            .order_by()
        )  # fmt: skip
        rated, hidden = defaultdict(list), Counter()
        for item_id, _organization, name, raters, frequency, usefulness, trust in per_named:
            if raters >= minimum:
                rated[item_id].append(PartnerRating(name, raters, frequency, usefulness, trust))
            else:
                hidden[item_id] += 1
        return {
            pk: RelationsResult(
                organizations=len(organizations[pk]), respondents=len(respondents[pk]), ties=len(ties[pk]),
                rated=tuple(sorted(rated[pk], key=lambda r: (r.name.casefold(), r.name))), hidden=hidden[pk],
                min_raters=minimum, territory=self.campaign.rls_id, year=self.campaign.opens_on.year,
            )
            for pk in items
        }  # fmt: skip

    def _texts(self) -> dict[int, tuple[str, ...]]:
        ids = [pk for pk, scale in self.scale_of.items() if scale == Scale.TEXT]
        rows = Answer.objects.filter(response__campaign=self.campaign, item_id__in=ids).exclude(text="")
        found: dict[int, list[str]] = defaultdict(list)
        for item_id, text in rows.values_list("item_id", "text"):
            found[item_id].append(text)
        return {item_id: _sorted_texts(texts) for item_id, texts in found.items()}

    def _notes(self) -> dict[int, str]:
        rows = Answer.objects.filter(response__campaign=self.campaign, response__is_group=True).exclude(note="")
        return dict(rows.values_list("item_id", "note"))

    def _ticked(self) -> dict[str, float | None]:
        """Mean number of benefits (drawbacks) ticked "yes" by the respondents who answered that checklist."""
        rows = (
            Answer.objects.filter(response__campaign=self.campaign, item__scale=Scale.YES_NO)
            .exclude(item__polarity="")
            .values_list("item__polarity")
            .annotate(respondents=Count("response_id", distinct=True), ticked=Count("pk", filter=Q(value="yes")))
            .order_by()
        )
        return {polarity: ticked / respondents for polarity, respondents, ticked in rows if respondents}

    # Breakdowns ----------------------------------------------------------------------------------------------

    def _by_sector(self) -> tuple[GroupResult, ...]:
        return self._breakdown("sector", _members(self.sector_of, key=sector_order), _sector_label)

    def _by_instance(self) -> tuple[GroupResult, ...]:
        names = dict(self.campaign.instances.values_list("pk", "name"))
        if len(names) < 2:
            return ()
        members = _members(self.instance_of, key=instance_order(names))
        return self._breakdown("instance", members, lambda pk: names.get(pk) or _("Instance no longer recorded"))

    def _breakdown(self, dimension: str, members: dict[Any, set[int]], label) -> tuple[GroupResult, ...]:
        hidden = hidden_groups({key: len(ids) for key, ids in members.items()}, self.minimum)
        groups = []
        for key, ids in members.items():
            if key in hidden:
                codes = [self.code_of[pk] for pk in self.likert_sections]
                groups.append(GroupResult(key, label(key), None, True, dict.fromkeys(codes), {}))
                continue
            means = {self.code_of[pk]: self._group_mean(self.sums.get(pk, {}), ids) for pk in self.likert_sections}
            abc = {code: _abc_total([counts]) for code, counts in self.group_abc.get((dimension, key), {}).items()}
            groups.append(GroupResult(key, label(key), len(ids), False, means, abc))
        return tuple(groups)

    def _group_mean(self, sums: dict[int, tuple[int, int]], ids: set[int]) -> float | None:
        n, mean = _mean(sums[pk] for pk in ids if pk in sums)
        return _float(mean) if n >= self.minimum else None

    def _gap(self, by_sector: tuple[GroupResult, ...]) -> dict[str, float | None]:
        means = {group.key: group.means for group in by_sector}
        community = means.get(Organization.Sector.COMMUNITY, {})
        public = means.get(Organization.Sector.PUBLIC, {})
        codes = [self.code_of[pk] for pk in self.likert_sections]
        return {
            code: None if community.get(code) is None or public.get(code) is None else community[code] - public[code]
            for code in codes
        }

    # The previous campaign -----------------------------------------------------------------------------------

    def _previous(self, visible: QuerySet | None) -> Comparison | None:
        previous = previous_campaign(self.campaign, self.instrument, visible)
        if previous is None:
            return None
        before = _section_means(previous)
        current = {self.code_of[pk]: _mean(self.sums.get(pk, {}).values())[1] for pk in self.likert_sections}
        deltas = {
            code: None if mean is None or before.get(code) is None else float(mean - before[code])
            for code, mean in current.items()
        }
        return Comparison(previous, {code: _float(mean) for code, mean in before.items()}, deltas)


def previous_campaign(campaign: Campaign, instrument: Instrument, visible: QuerySet | None = None) -> Campaign | None:
    """The latest campaign opened before this one, with the same instrument or one of its lineage (its source, its
    copies, its source's copies), that was sent to at least one of the same instances."""
    lineage = {instrument.pk, instrument.copied_from_id} - {None}
    candidates = Campaign.objects.filter(
        Q(instrument_id__in=lineage) | Q(instrument__copied_from_id__in=lineage),
        opens_on__lt=campaign.opens_on, instances__in=campaign.instances.all(),
    ).exclude(pk=campaign.pk)  # fmt: skip
    if visible is not None:
        candidates = candidates.filter(pk__in=visible.values("pk"))
    return candidates.order_by("-opens_on", "-pk").first()


def _members(groups_of: dict[int, Any], key) -> dict[Any, set[int]]:
    members: dict[Any, set[int]] = defaultdict(set)
    for response_id, group in groups_of.items():
        members[group].add(response_id)
    return {group: members[group] for group in sorted(members, key=key)}


def _abc_total(parts: Iterable[Any]) -> dict[str, int]:
    """A/B/C counts summed over distributions ((value, label, count), …) or counters; {} when there is none."""
    total: Counter = Counter()
    seen = False
    for part in parts:
        seen = True
        if isinstance(part, dict):
            total.update({letter: part.get(letter, 0) for letter in ABC_LETTERS})
        else:
            total.update({value: count for value, _label, count in part if value in ABC_LETTERS})
    return {letter: total.get(letter, 0) for letter in ABC_LETTERS} if seen else {}


def _balance(sections: tuple[SectionResult, ...]) -> ItemResult | None:
    """The checklist's overall judgement of benefits against drawbacks: its (first) choice item."""
    return next((r for s in sections for r in s.items if r.item.scale == Scale.CHOICE), None)
