"""Province-scale concertation data for `generate_synthetic`: instances, memberships, delegations, meetings,
attendance, and a few priority exercises and action plans. Deterministic for a seed.

Speed first (100,000 meetings and 1,000,000 attendance records in well under a minute on SQLite): instances,
memberships and meetings go in with bulk_create (their ids are needed), meeting lengths are computed here
(bulk_create does not call Meeting.save()), and the attendance, agenda items, decisions and follow-ups, whose
ids nobody needs, go in with executemany on SQLite or COPY on PostgreSQL, rows built as plain tuples.
No audit event is written.
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import time
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max
from django.utils import timezone

from concertation.models import (
    Action,
    ActionPlan,
    AgendaItem,
    Attendance,
    Ballot,
    BallotChoice,
    Candidate,
    Decision,
    Delegation,
    Demarche,
    DemarcheStage,
    FollowUp,
    Indicator,
    Instance,
    Meeting,
    Membership,
    Objective,
    PriorityExercise,
    VotingRound,
    Workshop,
    WorkshopSelection,
)
from demo.synthetic import split

BATCH = 5000
FIRST_MEETING_DAY = datetime.date(2015, 1, 1)
LAST_MEETING_DAY = datetime.date(2025, 12, 31)
FIRST_MEMBERSHIP_DAY = datetime.date(2010, 1, 1)
LAST_MEMBERSHIP_DAY = datetime.date(2025, 12, 31)


@dataclass(frozen=True)
class ConcertationScale:
    instances: int
    memberships: int
    meetings: int
    attendance: int
    exercises: int  # RLS whose assembly ran a priority exercise (the coordinator's RLS first)
    plans: int  # RLS whose coordination committee has a démarche and an action plan


# kind -> (share of the instances beyond the fixed ones, membership weight, meeting weight)
KIND_WEIGHTS = {
    "assembly": (0, 3.0, 0.35),
    "coordination_committee": (0, 0.8, 1.3),
    "local_action_committee": (0, 0.8, 0.9),
    "table": (0.40, 1.1, 1.0),
    "joint_committee": (0.15, 0.35, 0.7),
    "working_group": (0.30, 0.45, 0.9),
    "other": (0.15, 0.6, 0.6),
}
TABLE_THEMES = [
    ("des aînés", "Aînés"), ("jeunesse", "Jeunesse"), ("petite enfance", "Petite enfance"),
    ("en santé mentale", "Santé mentale"), ("en sécurité alimentaire", "Sécurité alimentaire"),
    ("sur le logement", "Logement"), ("en développement social", "Développement social"),
    ("des proches aidants", "Proches aidants"), ("en déficience et handicap", "Déficience et handicap"),
    ("en immigration et accueil", "Immigration"), ("en persévérance scolaire", "Persévérance scolaire"),
    ("en itinérance", "Itinérance"),
]  # fmt: skip
AGREEMENTS = [
    "soutien à domicile", "accompagnement-transport médical", "répit aux proches aidants", "repas à domicile",
    "santé mentale jeunesse", "travail de milieu en HLM", "intervention de crise", "dépannage alimentaire",
]  # fmt: skip
WORKING_GROUPS = [
    "portrait des besoins", "bottin des ressources", "transport collectif", "communications", "évaluation",
    "semaine thématique", "jardins collectifs", "prévention des chutes", "accueil des nouveaux arrivants",
]  # fmt: skip
OTHER = ["Chantier de développement social", "Comité de suivi du plan local", "Forum citoyen", "Cellule de vigie"]
START_TIMES = [(9, 0), (9, 30), (10, 0), (13, 0), (13, 30), (19, 0)]
LENGTHS_MIN = [60, 90, 90, 120, 120, 120, 150, 180]
AGENDA = [
    "Accueil et adoption de l'ordre du jour", "Adoption du compte rendu", "Tour de table des partenaires",
    "Suivi du plan d'action", "Suivis de la dernière rencontre", "Varia et prochaine rencontre",
]  # fmt: skip


def adapt_for_sqlite(value):
    """What Django's SQLite backend stores: naive UTC text for aware datetimes, ISO dates, 0/1, decimals as text."""
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


# Why members leave, as the demo network records it (a reason drawn per seat, not from the shared generator, so
# that the rest of the data stays the same for a seed).
EXIT_REASONS = ["over_solicitation"] * 3 + ["lost_funding"] * 2 + ["staff_turnover", "mandate_ended", "left_by_choice"]


def exit_reason(seat) -> str:
    return random.Random(seat.id).choice(EXIT_REASONS) if seat.end_date else ""  # noqa: S311 (synthetic data)


def insert_rows(model, columns: list[str], rows, batch: int = 50_000) -> int:
    """Insert tuples straight into the model's table: executemany on SQLite, COPY on PostgreSQL."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # psycopg 3
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        chunk: list[tuple] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                cursor.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count


@dataclass(slots=True)
class Seat:
    """A membership being generated (plain attributes: 40,000 model instances would cost seconds)."""

    id: int
    instance_id: int
    organization_id: int
    person_id: int | None
    role: str
    start_date: datetime.date
    end_date: datetime.date | None


@dataclass(slots=True)
class Session:
    """A meeting being generated."""

    id: int
    instance_id: int
    starts_at: datetime.datetime
    minutes: int
    hours: Decimal
    cancelled: bool
    number: int
    approved_in: Session | None = None


def adapter():
    """Values as the database backend stores them (SQLite); PostgreSQL's COPY adapts Python objects itself."""
    return adapt_for_sqlite if connection.vendor == "sqlite" else (lambda value: value)


def next_pk(model) -> int:
    return (model.objects.aggregate(last=Max("pk"))["last"] or 0) + 1


def reset_sequence(model) -> None:
    """After rows were inserted with explicit ids: PostgreSQL's sequence must move past them."""
    statements = connection.ops.sequence_reset_sql(no_style(), [model])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def deferred_indexes(model):
    """Drop the table's secondary indexes during a bulk load and build them again afterwards, in the same
    transaction: building an index once over all the rows is several times faster than growing it row by row
    (1,000,000 attendance rows on SQLite: about 8 s instead of 20–30 s). Indexes that back a constraint
    (primary key, UNIQUE) stay. On PostgreSQL the foreign keys go too and come back with ADD CONSTRAINT, which
    checks all the rows in one join instead of one trigger per row and key (4,000,000 for the attendance)."""
    table = model._meta.db_table
    quote = connection.ops.quote_name
    indexes, foreign_keys = [], []
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            indexes = cursor.fetchall()
        elif connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
                "(quote_ident(schemaname) || '.' || quote_ident(indexname))::regclass)",
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [quote(table)],
            )
            foreign_keys = cursor.fetchall()
            for name, _definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
        for name, _sql in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for _name, sql in indexes:
                cursor.execute(sql)
            for name, definition in foreign_keys:
                cursor.execute(f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}")


def _place(rls_name: str) -> str:
    return rls_name.removeprefix("RLS de ").removeprefix("RLS du ").removeprefix("RLS des ")


class ConcertationBuilder:
    """Builds on the registry part of SyntheticBuilder (its RLS, organisations and people)."""

    def __init__(self, scale: ConcertationScale, rng: random.Random, registry) -> None:
        self.scale = scale
        self.rng = rng
        self.registry = registry  # the SyntheticBuilder: municipalities_of, organizations_of, people_of
        self.zone = timezone.get_current_timezone()
        self.timings: dict[str, float] = {}

    def _timed(self, label: str, started: float) -> float:
        now = time.perf_counter()
        self.timings[label] = now - started
        return now

    def build(self, rls_nodes: list, first_rls) -> dict[str, int]:
        """`first_rls` (the bench coordinator's) gets the exercises and plans first."""
        postgresql = connection.vendor == "postgresql"
        if postgresql:
            # Foreign keys checked as rows come, not at commit: PostgreSQL alters no table (deferred_indexes)
            # while checks are pending on it or on a table it references.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            return self._build(rls_nodes, first_rls)
        finally:
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _build(self, rls_nodes: list, first_rls) -> dict[str, int]:
        started = time.perf_counter()
        instances = self.build_instances(rls_nodes)
        started = self._timed("instances", started)
        memberships, delegations = self.build_memberships(instances)
        started = self._timed("memberships", started)
        meetings = self.build_meetings(instances)
        started = self._timed("meetings", started)
        attendance = self.build_attendance(instances, meetings)
        started = self._timed("attendance", started)
        items, decisions, follow_ups = self.build_minutes(instances, meetings)
        started = self._timed("minutes", started)
        ordered = [first_rls, *(r for r in rls_nodes if r.pk != first_rls.pk)]
        exercises = self.build_exercises([self.by_rls[r.pk] for r in ordered[: self.scale.exercises]])
        plans = self.build_plans([self.by_rls[r.pk] for r in ordered[: self.scale.plans]])
        self._timed("exercises and plans", started)
        return {
            "instances": len(instances),
            "adhésions": memberships,
            "délégations": delegations,
            "rencontres": len(meetings),
            "présences": attendance,
            "points d'ordre du jour": items,
            "décisions": decisions,
            "suivis": follow_ups,
            "exercices de priorisation": exercises,
            "plans d'action": plans,
        }

    # Instances ------------------------------------------------------------------------------

    def build_instances(self, rls_nodes: list) -> list[Instance]:
        rng = self.rng
        counts = split(self.scale.instances, [rng.uniform(0.8, 1.2) for _ in rls_nodes])
        self.by_rls: dict[int, dict[str, list[Instance]]] = {}
        levels: list[list[Instance]] = [[], [], [], []]  # by depth, so parents are inserted first
        for rls, count in zip(rls_nodes, counts, strict=True):
            place = _place(rls.name)
            municipalities = self.registry.municipalities_of[rls.pk]
            locals_count = max(1, min(len(municipalities), rng.randint(4, 6), count - 4))
            base = {"rls": rls, "level": Instance.Level.LOCAL}
            opened = datetime.date(rng.randint(2009, 2012), rng.randint(1, 12), 1)
            assembly = Instance(
                name=f"Assemblée des partenaires de {place}", kind="assembly", basis="territorial", territory=rls,
                is_public=True, opened_on=opened, **base,
            )  # fmt: skip
            coordination = Instance(
                name=f"Comité de coordination de {place}", kind="coordination_committee", basis="territorial",
                territory=rls, parent=assembly, is_public=True, opened_on=opened + datetime.timedelta(days=120),
                **base,
            )  # fmt: skip
            locals_ = [
                Instance(
                    name=f"Comité d'action locale de {m.name}",
                    kind="local_action_committee",
                    basis="territorial",
                    territory=m,
                    parent=coordination,
                    is_public=rng.random() < 0.8,
                    opened_on=opened + datetime.timedelta(days=rng.randint(150, 900)),
                    **base,
                )  # fmt: skip
                for m in rng.sample(municipalities, locals_count)
            ]
            tables, others = [], []
            themes = rng.sample(TABLE_THEMES, len(TABLE_THEMES))
            for n in range(max(0, count - 2 - locals_count)):
                kind = rng.choices(["table", "joint_committee", "working_group", "other"], [40, 15, 30, 15])[0]
                if kind == "working_group" and not tables:
                    kind = "table"
                opened_on = datetime.date(rng.randint(2005, 2020), rng.randint(1, 12), 1)
                common = {**base, "basis": "thematic", "territory": rls, "opened_on": opened_on}
                if kind == "table":
                    phrase, theme = themes[len(tables) % len(themes)]
                    suffix = f" ({len(tables) // len(themes) + 1})" if len(tables) >= len(themes) else ""
                    tables.append(
                        Instance(
                            name=f"Table de concertation {phrase} de {place}{suffix}",
                            kind=kind,
                            theme=theme,
                            is_public=rng.random() < 0.7,
                            **common,
                        )  # fmt: skip
                    )
                elif kind == "joint_committee":
                    subject = rng.choice(AGREEMENTS)
                    others.append(
                        Instance(
                            name=f"Comité conjoint de l'entente « {subject} » ({n + 1})",
                            kind=kind,
                            theme=subject.capitalize(),
                            is_public=False,
                            **common,
                        )  # fmt: skip
                    )
                elif kind == "working_group":
                    parent = rng.choice(tables)
                    others.append(
                        Instance(
                            name=f"Groupe de travail « {rng.choice(WORKING_GROUPS)} » ({n + 1})",
                            kind=kind,
                            theme=parent.theme,
                            parent=parent,
                            is_public=False,
                            **common,
                        )  # fmt: skip
                    )
                else:
                    others.append(
                        Instance(
                            name=f"{rng.choice(OTHER)} de {place} ({n + 1})",
                            kind=kind,
                            theme="Développement",
                            is_public=rng.random() < 0.5,
                            **common,
                        )  # fmt: skip
                    )
            self.by_rls[rls.pk] = {"assembly": [assembly], "coordination": [coordination], "local": locals_}
            levels[0] += [assembly, *tables, *(o for o in others if o.parent is None)]
            levels[1].append(coordination)
            levels[2] += locals_
            levels[3] += [o for o in others if o.parent is not None]
        for level in levels:
            for instance in level:
                instance.parent_id = instance.parent.pk if instance.parent else None
            Instance.objects.bulk_create(level, batch_size=BATCH)
        return [i for level in levels for i in level]

    # Memberships and delegations -------------------------------------------------------------

    def _org_weights(self, organizations: list) -> list[float]:
        """A few organisations sit everywhere (the concentration the load report measures)."""
        return [1 / (rank + 2) ** 0.9 for rank in range(len(organizations))]

    def build_memberships(self, instances: list[Instance]) -> tuple[int, int]:
        rng, people_of = self.rng, self.registry.people_of
        weights = [KIND_WEIGHTS[i.kind][1] * rng.uniform(0.7, 1.3) for i in instances]
        locals_ = [i for i in instances if i.kind == "local_action_committee"]
        counts = split(self.scale.memberships - len(locals_), weights)
        next_id = next_pk(Membership)
        seats: list[Seat] = []
        self.members_of: dict[int, list[Seat]] = defaultdict(list)
        ranked = {}
        for rls_pk, orgs in self.registry.organizations_of.items():
            ids = [o.pk for o in rng.sample(orgs, len(orgs))]
            ranked[rls_pk] = (ids, list(itertools.accumulate(self._org_weights(ids))))
        roles, role_weights = ["member", "observer", "chair", "secretariat"], list(itertools.accumulate([85, 8, 4, 3]))
        for instance, count in zip(instances, counts, strict=True):
            orgs, org_weights = ranked[instance.rls_id]
            chosen: list[int] = []
            seen: set[int] = set()
            while len(chosen) < min(count, len(orgs)):
                org = rng.choices(orgs, cum_weights=org_weights)[0]
                if org not in seen:
                    seen.add(org)
                    chosen.append(org)
            while len(chosen) < count:  # more seats than organisations: some send two people
                chosen.append(rng.choice(orgs))
            earliest = max(instance.opened_on or FIRST_MEMBERSHIP_DAY, FIRST_MEMBERSHIP_DAY)
            span = (LAST_MEMBERSHIP_DAY - earliest).days
            for org in chosen:
                start = earliest + datetime.timedelta(days=int(span * rng.random() ** 1.6))
                end = start + datetime.timedelta(days=rng.randint(300, 3000)) if rng.random() < 0.45 else None
                people = people_of.get(org)
                seat = Seat(
                    next_id, instance.pk, org, rng.choice(people) if people else None,
                    rng.choices(roles, cum_weights=role_weights)[0], start, end,
                )  # fmt: skip
                next_id += 1
                seats.append(seat)
                self.members_of[instance.pk].append(seat)
        # Each local action committee delegates one of its current members to its coordination committee.
        coordination_of = {i.rls_id: i for i in instances if i.kind == "coordination_committee"}
        delegations = []
        for committee in locals_:
            members = self.members_of[committee.pk]
            current = [m for m in members if m.end_date is None] or members
            if not current:
                continue
            source = rng.choice(current)
            coordination = coordination_of[committee.rls_id]
            start = max(source.start_date, coordination.opened_on or source.start_date)
            seat = Seat(next_id, coordination.pk, source.organization_id, source.person_id, "delegate", start, None)
            next_id += 1
            seats.append(seat)
            self.members_of[coordination.pk].append(seat)
            delegations.append(Delegation(source_id=source.id, seat_id=seat.id))
        columns = ["id", "instance_id", "organization_id", "person_id", "role", "start_date", "end_date",
                   "exit_reason", "exit_note"]  # fmt: skip
        adapt = adapter()
        rows = (
            (m.id, m.instance_id, m.organization_id, m.person_id, m.role, adapt(m.start_date), adapt(m.end_date),
             exit_reason(m), "")
            for m in seats
        )  # fmt: skip
        with deferred_indexes(Membership):
            insert_rows(Membership, columns, rows)
        reset_sequence(Membership)
        Delegation.objects.bulk_create(delegations, batch_size=BATCH)
        return len(seats), len(delegations)

    # Meetings -------------------------------------------------------------------------------

    def build_meetings(self, instances: list[Instance]) -> list[Session]:
        rng = self.rng
        counts = split(self.scale.meetings, [KIND_WEIGHTS[i.kind][2] * rng.uniform(0.6, 1.4) for i in instances])
        next_id = next_pk(Meeting)
        meetings: list[Session] = []
        self.meetings_of: dict[int, list[Session]] = {}
        hours = {length: (Decimal(length) / 60).quantize(Decimal("0.01")) for length in LENGTHS_MIN}
        for instance, count in zip(instances, counts, strict=True):
            first = max(FIRST_MEETING_DAY, instance.opened_on or FIRST_MEETING_DAY)
            span = (LAST_MEETING_DAY - first).days
            offsets = sorted(rng.sample(range(span + 1), min(count, span + 1)))
            own = []
            for offset in offsets:
                day = first + datetime.timedelta(days=offset)
                hour, minute = rng.choice(START_TIMES)
                starts = datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=self.zone)
                length = rng.choice(LENGTHS_MIN)
                cancelled = rng.random() < 0.02
                # bulk loading skips Meeting.save(): the length in hours is computed here.
                own.append(Session(next_id, instance.pk, starts, length, hours[length], cancelled, len(own) + 1))
                next_id += 1
            held = [m for m in own if not m.cancelled]
            for previous, following in zip(held, held[1:], strict=False):
                previous.approved_in = following  # the minutes are approved at the next held meeting
            self.meetings_of[instance.pk] = own
            meetings += own
        adapt, now = adapter(), timezone.now()
        stamp = adapt(now)

        def rows():
            # Latest first: a meeting's minutes are approved at a later one, whose row must already be there for
            # the foreign key check (else SQLite looks for the deferred violations with a scan on every insert).
            for n, m in enumerate(reversed(meetings)):
                status = "cancelled" if m.cancelled else "approved" if m.approved_in else "held"
                approved = m.approved_in
                yield (
                    m.id, stamp, stamp, m.instance_id, f"Rencontre no {m.number}", adapt(m.starts_at),
                    adapt(m.starts_at + datetime.timedelta(minutes=m.minutes)),
                    "Salle communautaire" if n % 10 < 7 else "",
                    "https://visio.synthetique.example/" if n % 5 < 2 else "", status,
                    adapt(m.starts_at - datetime.timedelta(days=14)),
                    adapt(approved.starts_at + datetime.timedelta(minutes=20)) if approved else None,
                    approved.id if approved else None, adapt(m.hours), 0,
                )  # fmt: skip

        columns = [
            "id", "created_at", "updated_at", "instance_id", "title", "starts_at", "ends_at", "location",
            "video_url", "status", "convened_at", "minutes_approved_at", "minutes_approved_in_id", "hours", "sequence",
        ]  # fmt: skip
        with deferred_indexes(Meeting):
            insert_rows(Meeting, columns, rows())
        reset_sequence(Meeting)
        return meetings

    # Attendance ------------------------------------------------------------------------------

    def build_attendance(self, instances: list[Instance], meetings: list[Session]) -> int:
        rng, people_of = self.rng, self.registry.people_of
        lookups = {}
        for instance in instances:
            members = sorted(self.members_of.get(instance.pk, []), key=lambda m: m.start_date)
            lookups[instance.pk] = ([m.start_date for m in members], members)

        def sitting(meeting: Session) -> list[Seat]:
            day = meeting.starts_at.date()
            starts, members = lookups[meeting.instance_id]
            return [m for m in members[: bisect.bisect_right(starts, day)] if m.end_date is None or m.end_date >= day]

        held = [m for m in meetings if not m.cancelled]
        total = sum(len(sitting(m)) for m in held)
        target = min(self.scale.attendance, total)

        def rows():
            needed, remaining = target, total
            for meeting in held:
                for seat in sitting(meeting):
                    # Selection sampling (Knuth's algorithm S): exactly `target` rows, evenly spread.
                    if rng.random() * remaining < needed:
                        needed -= 1
                        draw = rng.random()
                        status = "present" if draw < 0.78 else "excused" if draw < 0.91 else "absent"
                        substitute = None
                        if draw < 0.025:  # present, in someone else's place
                            others = people_of.get(seat.organization_id, ())
                            substitute = next((p for p in others if p != seat.person_id), None)
                        yield (meeting.id, seat.id, seat.organization_id, status, substitute)
                    remaining -= 1

        columns = ["meeting_id", "membership_id", "organization_id", "status", "substitute_id"]
        with deferred_indexes(Attendance):
            return insert_rows(Attendance, columns, rows())

    # Minutes: agenda items, decisions and follow-ups -----------------------------------------------

    def build_minutes(self, instances: list[Instance], meetings: list[Session]) -> tuple[int, int, int]:
        """Agenda items for every meeting; decisions and follow-ups for the held ones."""
        rng, adapt = self.rng, adapter()

        def items():
            for meeting in meetings:
                for order, title in enumerate(rng.sample(AGENDA[2:], 2) + [AGENDA[0], AGENDA[-1]], start=1):
                    yield (meeting.id, order, title, "", "" if meeting.cancelled else f"Compte rendu du point {order}.")

        with deferred_indexes(AgendaItem):
            count_items = insert_rows(AgendaItem, ["meeting_id", "order", "title", "description", "minutes"], items())

        decisions, follow_ups = [], []
        for instance in instances:
            held = [m for m in self.meetings_of[instance.pk] if not m.cancelled]
            members = self.members_of.get(instance.pk, [])
            for n, meeting in enumerate(held):
                mode = rng.choices(["consensus", "vote", "deferred"], [80, 14, 6])[0]
                votes = (rng.randint(5, 15), rng.randint(0, 4), rng.randint(0, 3)) if mode == "vote" else (None,) * 3
                dissent = "Dissidence consignée." if mode == "vote" and votes[1] and rng.random() < 0.3 else ""
                decisions.append((meeting.id, f"Décision {n + 1} de l'instance.", mode, *votes, dissent))
                if members and rng.random() < 0.5:
                    owner = rng.choice(members)
                    following = held[n + 1] if n + 1 < len(held) else None
                    closed = following is not None and rng.random() < 0.85
                    follow_ups.append(
                        (
                            meeting.id, instance.pk, f"Suivi de la rencontre no {n + 1}", owner.organization_id,
                            owner.person_id, adapt(meeting.starts_at.date() + datetime.timedelta(days=30)),
                            "done" if closed else "open", following.id if closed else None,
                        )
                    )  # fmt: skip
        with deferred_indexes(Decision):
            count_decisions = insert_rows(
                Decision,
                ["meeting_id", "text", "mode", "votes_for", "votes_against", "abstentions", "dissent"],
                decisions,
            )
        with deferred_indexes(FollowUp):
            count_follow_ups = insert_rows(
                FollowUp,
                ["meeting_id", "instance_id", "description", "owner_organization_id", "owner_person_id", "due_date",
                 "status", "closed_in_id"],
                follow_ups,
            )  # fmt: skip
        return count_items, count_decisions, count_follow_ups

    # Priority exercises and plans ----------------------------------------------------------------

    def build_exercises(self, structures: list[dict]) -> int:
        rng = self.rng
        origins = ["local_actors", "local_actors", "institution", "ministry", "evidence"]
        for structure in structures:
            assembly = structure["assembly"][0]
            exercise = PriorityExercise.objects.create(
                instance=assembly, title="Priorités d'action 2025-2027", status=PriorityExercise.Status.CLOSED
            )
            candidates = Candidate.objects.bulk_create(
                Candidate(exercise=exercise, title=f"Priorité candidate {n + 1}", origin=origins[n % len(origins)])
                for n in range(8)
            )
            voters = list(dict.fromkeys(m.person_id for m in self.members_of[assembly.pk] if m.person_id))[:30]
            for n in range(4):
                workshop = Workshop.objects.create(exercise=exercise, name=f"Équipe {n + 1}")
                workshop.participants.set(voters[n::4])
                WorkshopSelection.objects.bulk_create(
                    WorkshopSelection(workshop=workshop, candidate=c) for c in rng.sample(candidates, 3)
                )
            held = [m for m in self.meetings_of[assembly.pk] if not m.cancelled]
            when = held[-1].starts_at if held else timezone.now()
            plenary = VotingRound.objects.create(
                exercise=exercise, number=1, opened_at=when, closed_at=when + datetime.timedelta(minutes=45)
            )
            Ballot.objects.bulk_create(Ballot(round=plenary, voter_id=v) for v in voters)
            choices = [
                BallotChoice(round=plenary, candidate=c, ballot_key=f"{plenary.pk:08d}{n:024d}")
                for n, _ in enumerate(voters)
                for c in rng.sample(candidates, rng.randint(2, 5))
            ]
            BallotChoice.objects.bulk_create(choices, batch_size=BATCH)
        return len(structures)

    def build_plans(self, structures: list[dict]) -> int:
        rng = self.rng
        statuses = ["done", "in_progress", "in_progress", "late", "not_started", "cancelled"]
        for structure in structures:
            coordination = structure["coordination"][0]
            orgs = sorted({m.organization_id for m in self.members_of[coordination.pk]})
            demarche = Demarche.objects.create(instance=coordination, title="Démarche de planification 2023-2027")
            DemarcheStage.objects.bulk_create(
                DemarcheStage(
                    demarche=demarche,
                    kind=kind,
                    order=n + 1,
                    status="done" if n < 5 else "in_progress" if n == 5 else "not_started",
                    start_date=datetime.date(2023 + n // 3, 1 + 4 * (n % 3), 1),
                )  # fmt: skip
                for n, kind in enumerate(DemarcheStage.Kind.values)
            )
            plan = ActionPlan.objects.create(
                instance=coordination, demarche=demarche, title="Plan d'action 2025-2027",
                start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2027, 12, 31),
            )  # fmt: skip
            for n in range(4):
                objective = Objective.objects.create(plan=plan, order=n + 1, title=f"Objectif {n + 1}")
                for a in range(3):
                    action = Action.objects.create(
                        objective=objective, title=f"Action {n + 1}.{a + 1}", lead_id=rng.choice(orgs),
                        deadline=datetime.date(2025 + a, 6, 30), status=rng.choice(statuses),
                    )  # fmt: skip
                    action.contributors.set(rng.sample(orgs, min(2, len(orgs))))
                Indicator.objects.bulk_create(
                    Indicator(
                        objective=objective,
                        name=f"Indicateur {n + 1}.{i + 1}",
                        unit="personnes",
                        target=Decimal(100 * (i + 1)),
                        measured=Decimal(rng.randint(20, 110 * (i + 1))),
                        measured_on=datetime.date(2025, 10, 1),
                    )  # fmt: skip
                    for i in range(2)
                )
        return len(structures)


def flush_concertation(rls_queryset) -> None:
    """Remove the concertation rows of the given RLS, biggest tables first with plain DELETEs (the ORM's
    cascade collector would load the hundreds of thousands of meetings and agenda items into memory)."""
    instances = Instance.objects.filter(rls__in=rls_queryset)
    meetings = Meeting.objects.filter(instance__in=instances)
    memberships = Membership.objects.filter(instance__in=instances)
    for queryset in [
        Attendance.objects.filter(meeting__in=meetings),
        FollowUp.objects.filter(instance__in=instances),
        Decision.objects.filter(meeting__in=meetings),
        AgendaItem.objects.filter(meeting__in=meetings),
    ]:
        queryset._raw_delete(queryset.db)
    meetings.update(minutes_approved_in=None)
    meetings._raw_delete(meetings.db)
    Delegation.objects.filter(seat__in=memberships).delete()
    Delegation.objects.filter(source__in=memberships).delete()
    memberships._raw_delete(memberships.db)
    instances.update(parent=None)
    instances.delete()  # what is left is small: exercises, démarches, plans
