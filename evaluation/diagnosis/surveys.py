"""Survey scores for a diagnosis: the mean-scored campaigns of the scope, read in three queries for every campaign
at once (evaluation.results reads one campaign in about fifteen), with results' own pieces: each respondent's
mean first, then their mean (results._mean), and its anonymity rule (results.hidden_groups) so that the diagnosis
never shows a figure the results page hides."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

from django.db.models import Count

from evaluation.models import Answer, Campaign, Instrument, Response, Scale
from evaluation.results import _level, _mean, hidden_groups, instance_order

if TYPE_CHECKING:
    from evaluation.diagnosis.facts import Scope


def survey_rows(scope: Scope, first: int, last: int, include_unreleased: bool) -> list[dict[str, Any]]:
    """Per campaign closing in the period whose figures may be shown: the scope's respondents, their mean score
    (1 to 5) over every Likert item and per section, and the instrument's reading of it. Oldest first.

    Unless `include_unreleased` (a reader who is a member of the instance, or its coordinator), only campaigns whose
    results the members released by a recorded decision count (evaluation.rules)."""
    campaigns = Campaign.objects.filter(
        instrument__scoring=Instrument.Scoring.MEAN, closes_on__year__gte=first, closes_on__year__lte=last,
        pk__in=Response.objects.filter(scope.q()).values("campaign_id"),
    )  # fmt: skip
    if not include_unreleased:
        campaigns = campaigns.filter(release_decision__isnull=False)
    info = {
        row["pk"]: row
        for row in campaigns.values(
            "pk", "title", "closes_on", "mode", "min_group_size", "instrument__strength_min",
            "instrument__concern_below",
        )
    }  # fmt: skip
    if not info:
        return []
    counts: dict[int, dict[int | None, int]] = defaultdict(dict)
    for campaign_id, instance_id, n in (
        Response.objects.filter(campaign_id__in=list(info)).order_by().values_list("campaign_id", "instance_id")
    ).annotate(n=Count("pk")):
        counts[campaign_id][instance_id] = n
    names: dict[int, dict[int, str]] = defaultdict(dict)
    for campaign_id, instance_id, name in Campaign.instances.through.objects.filter(
        campaign_id__in=list(info)
    ).values_list("campaign_id", "instance_id", "instance__name"):
        names[campaign_id][instance_id] = name
    shown = [pk for pk in info if _shown(scope, info[pk], counts[pk], names[pk])]
    sums = _likert_sums(scope, shown)
    rows = [_row(info[pk], sums.get(pk, {})) for pk in shown]
    return sorted((row for row in rows if row["mean"] is not None), key=lambda row: (row["closes_on"], row["pk"]))


def _shown(scope: Scope, campaign: dict[str, Any], counts: dict[int | None, int], names: dict[int, str]) -> bool:
    """results' rule: a campaign below its minimum shows nothing; an instance group below it, or hidden by
    secondary suppression, is hidden. A group campaign names no one and is always shown."""
    if campaign["mode"] == Campaign.Mode.GROUP:
        return True
    minimum = campaign["min_group_size"]
    if sum(counts.values()) < minimum:
        return False
    if scope.instance is None or len(names) < 2:
        return True
    ordered = {key: counts[key] for key in sorted(counts, key=instance_order(names))}
    return scope.instance.pk not in hidden_groups(ordered, minimum)


def _likert_sums(scope: Scope, campaign_ids: list[int]) -> dict[int, dict[str | None, dict[int, tuple[int, int]]]]:
    """campaign → section code (None: every Likert item) → respondent → (sum, count) of their answers."""
    sums: dict[int, dict[str | None, dict[int, tuple[int, int]]]] = defaultdict(lambda: defaultdict(dict))
    if not campaign_ids:
        return sums
    rows = (
        Answer.objects.filter(scope.q("response__"), response__campaign_id__in=campaign_ids, item__scale=Scale.LIKERT)
        .exclude(value="")
        .values_list("response__campaign_id", "response_id", "item__section__code", "value")
    )
    for campaign_id, response_id, section, value in rows.iterator(chunk_size=5000):
        if not value.isdigit():
            continue
        for key in (None, section):
            total, count = sums[campaign_id][key].get(response_id, (0, 0))
            sums[campaign_id][key][response_id] = (total + int(value), count + 1)
    return sums


def _row(campaign: dict[str, Any], sums: dict[str | None, dict[int, tuple[int, int]]]) -> dict[str, Any]:
    n, mean = _mean(sums.get(None, {}).values())
    sections = {code: _mean(by.values())[1] for code, by in sums.items() if code is not None}
    thresholds = Instrument(
        strength_min=campaign["instrument__strength_min"], concern_below=campaign["instrument__concern_below"]
    )
    level = _level(thresholds, mean)
    return {
        "pk": campaign["pk"],
        "title": campaign["title"],
        "closes_on": campaign["closes_on"],
        "respondents": n,
        "mean": None if mean is None else round(float(mean), 2),
        "sections": {code: round(float(m), 2) for code, m in sorted(sections.items()) if m is not None},
        "level": str(level) if level else None,
    }
