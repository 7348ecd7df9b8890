"""Results of a priority exercise: pure read-only computations (the API and the evaluation module call them)."""

from typing import Any

from django.db.models import Count, Sum

from concertation.models import BallotChoice, Candidate, PriorityExercise, VotingRound

# Where a retained priority came from: local actors or the population itself (appropriation) or the institution
# and the ministry (a sign of instrumentation, domain.md §5); evidence stands apart.
ORIGIN_GROUPS = {
    Candidate.Origin.LOCAL_ACTORS: "local",
    Candidate.Origin.POPULATION: "local",
    Candidate.Origin.INSTITUTION: "institutional",
    Candidate.Origin.MINISTRY: "institutional",
    Candidate.Origin.EVIDENCE: "evidence",
}


def plenary_candidates(exercise: PriorityExercise):
    """Candidates selected by at least one workshop team go to the plenary; all of them if no team selected any."""
    selected = exercise.candidates.filter(selections__isnull=False).distinct()
    return selected if selected.exists() else exercise.candidates.all()


def latest_round(exercise: PriorityExercise) -> VotingRound | None:
    return exercise.rounds.order_by("-number").first()


def exercise_results(exercise: PriorityExercise, voting_round: VotingRound | None = None) -> dict[str, Any]:
    """Adherence to each candidate in a plenary round (the latest by default).

    A voter adheres to a candidate when their ballot gives it at least one point (approval: ticked it).
    A candidate is retained when its share of adherents among the round's voters is strictly above the
    exercise's threshold (50 % by default: a majority).

    While a secret round is open the tallies are sealed (``"sealed": True``, per-candidate ``adherents``,
    ``points`` and ``share`` are None, nothing is retained): watching the counts move after each ballot
    would tell who voted for what. The number of voters stays visible.

    Returns::

        {"round": int | None, "open": bool, "sealed": bool, "voters": int, "threshold": int, "method": str,
         "candidates": [{"id", "title", "origin", "origin_label", "teams", "adherents", "points",
                         "share" (percent, 1 decimal), "retained",
                         "committee", "committee_name"}, ...],   # most adherents first
                                                                 # (in candidate order when sealed)
         "retained": int,
         "origins": {"local": int, "institutional": int, "evidence": int},   # retained priorities by origin
         "local_share": float | None, "institutional_share": float | None,   # percent of the retained
         "committees": [{"id", "name", "candidates": [row, ...], "retained": int,
                         "origins": {...}, "local_share", "institutional_share"}, ...]}

    Per committee (domain.md §7: the assembly seeks a majority of adherents "for each committee's priorities"):
    the candidates a committee proposed, with the plenary's adherence to each, in the order above; committees in
    name order, then (``id`` None) the candidates no committee proposed. Empty when no committee proposed any:
    the exercise was not run across committees. Origins count "population" with local actors.
    """
    voting_round = voting_round or latest_round(exercise)
    voters = voting_round.ballots.count() if voting_round else 0
    sealed = bool(voting_round and voting_round.is_open and exercise.secret)
    tallies = {}
    if voting_round and not sealed:
        tallies = {
            row["candidate"]: row
            for row in BallotChoice.objects.filter(round=voting_round, points__gte=1)
            .values("candidate")
            .annotate(adherents=Count("ballot_key", distinct=True), points=Sum("points"))
        }
    candidates = (
        exercise.candidates.annotate(teams=Count("selections", distinct=True))
        .select_related("proposed_by_instance")
        .order_by("pk")
    )
    rows = []
    for candidate in candidates:
        tally = tallies.get(candidate.pk, {})
        adherents = tally.get("adherents", 0)
        share = round(100 * adherents / voters, 1) if voters else 0.0
        rows.append(
            {
                "id": candidate.pk,
                "title": candidate.title,
                "origin": candidate.origin,
                "origin_label": str(candidate.get_origin_display()),
                "teams": candidate.teams,
                "adherents": adherents,
                "points": tally.get("points") or 0,
                "share": share,
                "retained": voters > 0 and share > exercise.threshold,
                "committee": candidate.proposed_by_instance_id,
                "committee_name": candidate.proposed_by_instance.name if candidate.proposed_by_instance_id else "",
            }
        )
        if sealed:
            rows[-1].update(adherents=None, points=None, share=None, retained=False)
    if not sealed:
        rows.sort(key=lambda r: (-r["adherents"], -r["points"], r["id"]))
    return {
        "round": voting_round.number if voting_round else None,
        "open": bool(voting_round and voting_round.is_open),
        "sealed": sealed,
        "voters": voters,
        "threshold": exercise.threshold,
        "method": exercise.method,
        "candidates": rows,
        **_retained(rows),
        "committees": by_committee(rows),
    }


def _retained(rows: list[dict[str, Any]]) -> dict[str, Any]:
    retained = [r for r in rows if r["retained"]]
    origins = {"local": 0, "institutional": 0, "evidence": 0}
    for row in retained:
        origins[ORIGIN_GROUPS[row["origin"]]] += 1
    return {
        "retained": len(retained),
        "origins": origins,
        "local_share": round(100 * origins["local"] / len(retained), 1) if retained else None,
        "institutional_share": round(100 * origins["institutional"] / len(retained), 1) if retained else None,
    }


def by_committee(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The result rows grouped by the committee that proposed them (see `exercise_results`)."""
    if not any(row["committee"] for row in rows):
        return []
    groups: dict[int | None, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row["committee"], []).append(row)
    order = sorted(groups, key=lambda pk: (pk is None, groups[pk][0]["committee_name"].casefold(), pk or 0))
    return [
        {"id": pk, "name": groups[pk][0]["committee_name"], "candidates": groups[pk], **_retained(groups[pk])}
        for pk in order
    ]
