"""Province-scale evaluation data for `generate_synthetic`: survey campaigns of the shipped instruments with their
invitations, responses and answers, and a few context events per RLS. Deterministic for a seed.

Each RLS surveys its partners' assembly with *Conditions de la concertation* every two or three years from
2015–2017 on, and runs one or two other campaigns: *Facteurs de collaboration* on its one or two biggest tables,
*Avantages et inconvénients* on the assembly, or the coordination committee's self-evaluation with *Action en
partenariat* (one consensual answer, no invitations). About two RLS in five, the bench coordinator's always, made
their own copy of *Conditions* with an open question at the end, as the demo's RLS did (evaluation.demo_data), and
use it from the year they made it: the results page then has comments and compares a copy with its source.

Campaigns are closed, between 2015 and 2025 (the concertation's span). Members active at the opening who have a
person are invited, once per person; 40–80 % answer (a rate drawn per campaign). Answers are drawn around a mean
per RLS, moved per section, per sector of the respondent, per item (money, training and written roles lower, as
in the demo) and by a trend per RLS, and 4 % of the items are left blank. Responses are written in a shuffled
order, not the invitations' one, as the anonymous mode requires; a confidential campaign keeps the link. About half
the individual campaigns were released by a decision of the instance's first meeting after closing.

Speed first, as for the concertation and the agreements: rows are plain tuples with explicit ids where other rows
point to them (campaigns, invitations, responses), inserted with executemany on SQLite or COPY on PostgreSQL with
the secondary indexes rebuilt once. The instrument copies (a few thousand items at most) go in with bulk_create.
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import Q
from django.utils import timezone

from concertation.models import ContextEvent, Decision, Instance
from demo.synthetic import RLS_COORDINATOR_PREFIX
from demo.synthetic.concertation import adapter, deferred_indexes, insert_rows, next_pk, reset_sequence
from evaluation.demo_data import COMMENT_ITEM, COMMENT_SECTION, typographic
from evaluation.models import Answer, Campaign, Instrument, Invitation, Item, Report, Response, Scale, Section
from registry.models import Organization, RoleAssignment

CONDITIONS, FACTORS, PARTNERSHIP, CHECKLIST = (
    "conditions-concertation", "facteurs-collaboration", "action-partenariat", "avantages-inconvenients",
)  # fmt: skip
FIRST_YEAR, LAST_YEAR = 2015, 2025
COPY_SHARE = 0.4  # RLS that made their own copy of Conditions, with an open question
SKIPPED = 0.04  # items left blank
COMMENT_SHARE = 0.12  # respondents who write in the open question
RELEASED = 0.5  # individual campaigns whose results the instance released
CONFIDENTIAL = 0.15
# Conditions most networks still have to build, whoever answers (evaluation.demo_data's STILL_TO_BUILD).
HARD_ITEMS = {"financement": -0.7, "moyens": -0.6, "formation": -0.5, "formalisation": -0.4, "evaluation": -0.4,
              "temps": -0.3, "soutien": -0.2}  # fmt: skip
SEASONS = {"printemps": 5, "automne": 10}  # opening month
COMMENTS = {
    "low": [
        "Trop de rencontres pour un petit organisme : nous devons choisir où nous investir.",
        "Les orientations arrivent toutes faites ; l'assemblée sert surtout à les entériner.",
        "Les documents arrivent souvent la veille des rencontres.",
        "Le financement ne suit pas ce qu'on attend des organismes.",
        "On nous consulte, mais on ne décide plus grand-chose ensemble.",
    ],
    "high": [
        "Les rencontres sont bien préparées et l'animation laisse la parole à tout le monde.",
        "Belle collaboration entre les organismes et l'établissement cette année.",
        "Les comités d'action locale donnent du sens à la démarche.",
        "On voit enfin des résultats concrets pour la population.",
    ],
    "any": [
        "Il faudrait mieux accueillir les nouveaux membres.",
        "La visioconférence aide les organismes éloignés à participer.",
        "Pourrait-on faire le bilan du plan d'action une fois par année ?",
    ],
}
GROUP_NOTES = [
    "Le milieu scolaire et le logement manquent encore autour de la table.",
    "Les délégués bénévoles doivent consulter leur comité avant de s'engager.",
    "L'établissement apporte l'essentiel des ressources ; les organismes donnent surtout du temps.",
    "Les documents doivent partir une semaine avant les rencontres.",
]
K = ContextEvent.Kind
EVENTS = {
    K.CHANGE_OF_DIRECTION: ("L'établissement reprend la direction de la démarche",
                            "L'assemblée, qui fixait les orientations, est désormais consultée."),
    K.MANAGER_TURNOVER: ("Changement de gestionnaires au CISSS",
                         "La direction qui soutenait la concertation quitte ; une nouvelle équipe arrive."),
    K.MINISTERIAL_DIRECTIVE: ("Directive ministérielle : nouvelles cibles de services",
                              "Les projets soutenus doivent désormais s'arrimer aux cibles du programme."),
    K.LOST_MANDATE: ("Fin du mandat de soutien à la concertation",
                     "La personne qui coordonnait la démarche n'est pas remplacée."),
    K.MERGER: ("Fusion de deux organismes communautaires du territoire", ""),
    K.FUNDING_CHANGE: ("Fin d'un financement régional de la concertation",
                       "L'entente régionale qui payait l'animation des comités prend fin."),
    K.OTHER: ("Forum citoyen sur les besoins du territoire", ""),
}  # fmt: skip


@dataclass(slots=True)
class ItemRow:
    pk: int
    section: str
    code: str
    scale: str
    polarity: str


@dataclass(slots=True)
class Plan:
    """A campaign being generated."""

    id: int
    rls_id: int
    instrument_id: int
    title: str
    instances: list[int]
    opens_on: datetime.date
    closes_on: datetime.date
    mode: str = Campaign.Mode.INDIVIDUAL
    privacy: str = Campaign.Privacy.ANONYMOUS
    min_group_size: int = 5
    release_decision_id: int | None = None
    group_notes: str = ""
    rate: float = 0.0


@dataclass(slots=True)
class Profile:
    """How an RLS's members tend to answer."""

    base: float
    trend: float  # per year from 2020
    sections: dict[str, float] = field(default_factory=dict)
    sectors: dict[str, float] = field(default_factory=dict)


def _place(rls_name: str) -> str:
    return rls_name.removeprefix("RLS de ").removeprefix("RLS du ").removeprefix("RLS des ")


class EvaluationBuilder:
    """Builds on the registry part (organisations, accounts) and the concertation part (instances, seats, meetings)
    of SyntheticBuilder."""

    def __init__(self, rng, registry, concertation) -> None:
        self.rng = rng
        self.registry = registry  # organizations_of
        self.concertation = concertation  # by_rls, members_of, meetings_of
        self.zone = timezone.get_current_timezone()
        self.timings: dict[str, float] = {}
        self.profiles: dict[int, Profile] = {}  # RLS pk -> how its members answer, drawn when first needed
        self.item_offsets: dict[str, float] = {}  # item code -> how far its answers sit from the section's

    def _timed(self, label: str, started: float) -> float:
        now = time.perf_counter()
        self.timings[label] = now - started
        return now

    def at(self, day: datetime.date, hour: int = 9) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=self.zone)

    def build(self, rls_nodes: list, first_rls) -> dict[str, int]:
        postgresql = connection.vendor == "postgresql"
        if postgresql:  # as ConcertationBuilder.build: no pending trigger events when deferred_indexes alters
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
        self.shipped = dict(Instrument.objects.filter(rls=None).values_list("code", "pk"))
        self.coordinator_of = dict(
            RoleAssignment.objects.filter(user__username__startswith=RLS_COORDINATOR_PREFIX, rls__in=rls_nodes)
            .order_by("pk")
            .values_list("rls_id", "user_id")
        )
        self.sector_of = {o.pk: o.sector for orgs in self.registry.organizations_of.values() for o in orgs}
        self.tables_of: dict[int, list[Instance]] = defaultdict(list)
        for table in Instance.objects.filter(kind="table", rls__in=rls_nodes).order_by("pk"):
            self.tables_of[table.rls_id].append(table)
        copies = self.build_copies(rls_nodes, first_rls)
        self.items = self._items([*self.shipped.values(), *(pk for pk, _year in copies.values())])
        plans = [plan for rls in rls_nodes for plan in self.plan_campaigns(rls, copies.get(rls.pk))]
        next_id = next_pk(Campaign)
        for n, plan in enumerate(plans):
            plan.id = next_id + n
        self.release(plans)
        counts = {"campagnes d'évaluation": self.insert_campaigns(plans), "copies d'instruments": len(copies)}
        counts["événements de contexte"] = self.insert_events(rls_nodes)
        started = self._timed("campagnes", started)
        counts.update(self.insert_responses(plans))
        self._timed("réponses", started)
        return counts

    # Instruments ---------------------------------------------------------------------------------------------

    def build_copies(self, rls_nodes: list, first_rls) -> dict[int, tuple[int, int]]:
        """RLS pk -> (its copy of Conditions, the year it was made)."""
        source = Instrument.objects.get(pk=self.shipped[CONDITIONS])
        owners = [r for r in rls_nodes if r.pk == first_rls.pk or self.rng.random() < COPY_SHARE]
        fields = {f.attname: getattr(source, f.attname) for f in Instrument._meta.concrete_fields if not f.primary_key}
        copies = [
            Instrument(
                **{**fields, "rls_id": rls.pk, "copied_from_id": source.pk, "code": f"{source.code}-{rls.pk}",
                   "created_by_id": self.coordinator_of.get(rls.pk),
                   "title_fr": f"Conditions de la concertation — {_place(rls.name)}"}
            )
            for rls in owners
        ]  # fmt: skip
        Instrument.objects.bulk_create(copies)
        sections = list(Section.objects.filter(instrument=source).order_by("position", "pk"))
        items = defaultdict(list)
        for item in Item.objects.filter(section__instrument=source).order_by("position", "pk"):
            items[item.section_id].append(item)
        new_sections, pairs = [], []
        code, title_fr, title_en = COMMENT_SECTION
        for copy in copies:
            for section in sections:
                own = Section(instrument=copy, code=section.code, title_fr=section.title_fr,
                              title_en=section.title_en, source=section.source, position=section.position)  # fmt: skip
                new_sections.append(own)
                pairs += [(own, item) for item in items[section.pk]]
            comment = Section(instrument=copy, code=code, title_fr=title_fr, title_en=title_en,
                              position=len(sections) + 1)  # fmt: skip
            new_sections.append(comment)
            pairs.append((comment, Item(code="commentaire", text_fr=typographic(COMMENT_ITEM[0]),
                                        text_en=COMMENT_ITEM[1], scale=Scale.TEXT, position=1)))  # fmt: skip
        Section.objects.bulk_create(new_sections)
        Item.objects.bulk_create(
            Item(section=own, code=i.code, text_fr=i.text_fr, text_en=i.text_en, scale=i.scale, options=i.options,
                 polarity=i.polarity, required=i.required, position=i.position)
            for own, i in pairs
        )  # fmt: skip
        return {copy.rls_id: (copy.pk, self.rng.randint(2017, 2022)) for copy in copies}

    @staticmethod
    def _items(instruments: list[int]) -> dict[int, list[ItemRow]]:
        """Instrument pk -> its items in the order shown."""
        found: dict[int, list[ItemRow]] = defaultdict(list)
        rows = (
            Item.objects.filter(section__instrument__in=instruments)
            .order_by("section__instrument", "section__position", "section", "position", "pk")
            .values_list("section__instrument", "pk", "section__code", "code", "scale", "polarity")
        )
        for instrument, pk, section, code, scale, polarity in rows:
            found[instrument].append(ItemRow(pk, section, code, scale, polarity))
        return found

    # Campaigns -----------------------------------------------------------------------------------------------

    def _dates(self, year: int) -> tuple[datetime.date, datetime.date, str]:
        season = self.rng.choice(list(SEASONS))
        opens = datetime.date(year, SEASONS[season], self.rng.randint(1, 20))
        return opens, opens + datetime.timedelta(days=self.rng.choice([14, 21, 28])), season

    def plan_campaigns(self, rls, copy: tuple[int, int] | None) -> list[Plan]:
        rng, structure = self.rng, self.concertation.by_rls[rls.pk]
        assembly, coordination = structure["assembly"][0], structure["coordination"][0]
        plans = []
        year = rng.randint(FIRST_YEAR, FIRST_YEAR + 2)
        while year <= LAST_YEAR:
            opens, closes, season = self._dates(year)
            instrument = copy[0] if copy and year >= copy[1] else self.shipped[CONDITIONS]
            title = f"Conditions de la concertation — Assemblée des partenaires, {season} {year}"
            plans.append(Plan(0, rls.pk, instrument, title, [assembly.pk], opens, closes))
            year += rng.choice([2, 3])
        tables = self._biggest_tables(rls)
        choices = [CHECKLIST, PARTNERSHIP] + ([FACTORS] if tables else [])
        for code in rng.sample(choices, rng.randint(1, 2)):
            chosen = tables[: rng.randint(1, 2)] if code == FACTORS else []
            first = max([FIRST_YEAR + 1, *(t.opened_on.year + 1 for t in chosen)])
            opens, closes, season = self._dates(rng.randint(first, LAST_YEAR))
            if code == FACTORS:
                names = " et ".join(t.name for t in chosen)
                title = f"Facteurs de collaboration — {names}, {season} {opens.year}"[:200]
                plans.append(Plan(0, rls.pk, self.shipped[code], title, [t.pk for t in chosen], opens, closes))
            elif code == CHECKLIST:
                title = f"Avantages et inconvénients de la participation — Assemblée, {season} {opens.year}"
                plans.append(Plan(0, rls.pk, self.shipped[code], title, [assembly.pk], opens, closes))
            else:
                title = f"Action en partenariat — autoévaluation du comité de coordination, {season} {opens.year}"
                notes = typographic("Autoévaluation faite en rencontre, une réponse par consensus pour chaque "
                                    "question. Le comité n'a pas décidé de diffuser ces résultats.")  # fmt: skip
                plans.append(Plan(0, rls.pk, self.shipped[code], title, [coordination.pk], opens, closes,
                                  mode=Campaign.Mode.GROUP, group_notes=notes))  # fmt: skip
        for plan in plans:
            if plan.mode == Campaign.Mode.INDIVIDUAL:
                plan.rate = rng.uniform(0.4, 0.8)
                plan.privacy = Campaign.Privacy.CONFIDENTIAL if rng.random() < CONFIDENTIAL else plan.privacy
                plan.min_group_size = rng.choice([5, 5, 5, 3, 4, 6])
        return plans

    def _biggest_tables(self, rls) -> list[Instance]:
        seats = self.concertation.members_of
        return sorted(self.tables_of[rls.pk], key=lambda t: (-len(seats.get(t.pk, ())), t.pk))

    def release(self, plans: list[Plan]) -> None:
        """About half the individual campaigns: the decision of the first meeting held after closing."""
        meeting_of = {}
        for plan in plans:
            if plan.mode == Campaign.Mode.INDIVIDUAL and self.rng.random() < RELEASED:
                after = (
                    m for m in self.concertation.meetings_of[plan.instances[0]]
                    if not m.cancelled and m.starts_at.date() > plan.closes_on
                )  # fmt: skip
                meeting = next(after, None)
                if meeting is not None:
                    meeting_of[plan.id] = meeting.id
        decisions = dict(
            Decision.objects.filter(meeting_id__in=set(meeting_of.values()))
            .order_by("meeting_id", "-pk")
            .values_list("meeting_id", "pk")
        )
        for plan in plans:
            plan.release_decision_id = decisions.get(meeting_of.get(plan.id))

    def insert_campaigns(self, plans: list[Plan]) -> int:
        adapt = adapter()
        rows = (
            (p.id, p.instrument_id, p.title, p.rls_id, p.mode, p.privacy, adapt(p.opens_on), adapt(p.closes_on), None,
             p.min_group_size, p.release_decision_id, p.group_notes, self.coordinator_of.get(p.rls_id),
             adapt(self.at(p.opens_on - datetime.timedelta(days=10))))
            for p in plans
        )  # fmt: skip
        columns = ["id", "instrument_id", "title", "rls_id", "mode", "privacy", "opens_on", "closes_on", "closed_at",
                   "min_group_size", "release_decision_id", "group_notes", "created_by_id", "created_at"]  # fmt: skip
        count = insert_rows(Campaign, columns, rows)
        reset_sequence(Campaign)
        links = ((p.id, instance) for p in plans for instance in p.instances)
        insert_rows(Campaign.instances.through, ["campaign_id", "instance_id"], links)
        return count

    def insert_events(self, rls_nodes: list) -> int:
        rng, adapt, rows = self.rng, adapter(), []
        for rls in rls_nodes:
            structure = self.concertation.by_rls[rls.pk]
            for kind in rng.sample(list(EVENTS), rng.randint(2, 4)):
                day = datetime.date(rng.randint(2013, LAST_YEAR), rng.randint(1, 12), rng.randint(1, 28))
                instance = rng.choice([None, None, structure["assembly"][0].pk, structure["coordination"][0].pk])
                title, description = EVENTS[kind]
                rows.append(
                    (rls.pk, instance, adapt(day), kind, typographic(title), typographic(description),
                     self.coordinator_of.get(rls.pk), adapt(self.at(day + datetime.timedelta(days=1), 10)))
                )  # fmt: skip
        columns = ["rls_id", "instance_id", "date", "kind", "title", "description", "created_by_id", "created_at"]
        return insert_rows(ContextEvent, columns, rows)

    # Invitations, responses and answers ----------------------------------------------------------------------

    def _profile(self, rls_id: int) -> Profile:
        if rls_id not in self.profiles:
            rng = self.rng
            profile = Profile(base=rng.gauss(3.6, 0.3), trend=rng.gauss(0, 0.05))
            codes = sorted({row.section for rows in self.items.values() for row in rows})
            profile.sections = {code: rng.gauss(0, 0.25) for code in codes}
            profile.sectors = {sector: rng.gauss(0, 0.2) for sector in Organization.Sector.values}
            # The gap the results page reads: community organisations against the public institution.
            profile.sectors["community"] += rng.gauss(0, 0.3)
            self.profiles[rls_id] = profile
        return self.profiles[rls_id]

    def _invitees(self, plan: Plan) -> list[tuple[int, int, int]]:
        """(person, instance, organisation) of the members active at the opening, once per person."""
        found: dict[int, tuple[int, int, int]] = {}
        for instance in plan.instances:
            for seat in self.concertation.members_of.get(instance, ()):
                active = seat.start_date <= plan.opens_on and (seat.end_date is None or seat.end_date >= plan.opens_on)
                if active and seat.person_id is not None:
                    found.setdefault(seat.person_id, (seat.person_id, instance, seat.organization_id))
        return list(found.values())

    def insert_responses(self, plans: list[Plan]) -> dict[str, int]:
        rng, adapt = self.rng, adapter()
        invitations, responses, answers = [], [], []
        next_invitation, next_response = next_pk(Invitation), next_pk(Response)
        for plan in plans:
            profile, items = self._profile(plan.rls_id), self.items[plan.instrument_id]
            days = (plan.closes_on - plan.opens_on).days
            if plan.mode == Campaign.Mode.GROUP:
                responses.append((next_response, plan.id, adapt(plan.closes_on), plan.instances[0], "", True, None))
                answers += self._answers(next_response, items, profile, "", plan.opens_on.year, group=True)
                next_response += 1
                continue
            invited = self._invitees(plan)
            answering = set(rng.sample(range(len(invited)), round(plan.rate * len(invited))))
            ids = list(range(next_invitation, next_invitation + len(invited)))
            next_invitation += len(invited)
            for n, (person, instance, organization) in enumerate(invited):
                used = n in answering
                invitations.append(
                    (ids[n], plan.id, person, instance, organization, f"{rng.getrandbits(128):032x}",
                     adapt(plan.opens_on), 0 if used else rng.randint(1, 2), used)
                )  # fmt: skip
            # Written in a shuffled order: nothing ties a response to its link (unless the campaign is confidential).
            order = sorted(answering)
            rng.shuffle(order)
            confidential = plan.privacy == Campaign.Privacy.CONFIDENTIAL
            for n in order:
                _person, instance, organization = invited[n]
                sector = self.sector_of.get(organization, "")
                day = plan.opens_on + datetime.timedelta(days=rng.randint(0, days))
                link = ids[n] if confidential else None
                responses.append((next_response, plan.id, adapt(day), instance, sector, False, link))
                answers += self._answers(next_response, items, profile, sector, plan.opens_on.year)
                next_response += 1
        with deferred_indexes(Invitation):
            columns = ["id", "campaign_id", "person_id", "instance_id", "organization_id", "nonce", "sent_on",
                       "reminders", "used"]  # fmt: skip
            count_invitations = insert_rows(Invitation, columns, invitations)
        reset_sequence(Invitation)
        with deferred_indexes(Response):
            columns = ["id", "campaign_id", "submitted_on", "instance_id", "sector", "is_group", "invitation_id"]
            count_responses = insert_rows(Response, columns, responses)
        reset_sequence(Response)
        with deferred_indexes(Answer):
            count_answers = insert_rows(Answer, ["response_id", "item_id", "value", "text", "note"], answers)
        return {
            "invitations à répondre": count_invitations,
            "réponses aux sondages": count_responses,
            "réponses aux énoncés": count_answers,
            "commentaires": sum(1 for row in answers if row[3]),
        }

    def _offset(self, code: str) -> float:
        if code not in self.item_offsets:
            self.item_offsets[code] = self.rng.gauss(0, 0.2) + HARD_ITEMS.get(code, 0.0)
        return self.item_offsets[code]

    def _answers(
        self, response: int, items: list[ItemRow], profile: Profile, sector: str, year: int, group: bool = False
    ) -> list[tuple]:
        """(response, item, value, text, note) for every item but the blank ones; a comment now and then."""
        rng = self.rng
        leaning = rng.gauss(0, 0.3) + profile.base + profile.sectors.get(sector, 0.0) + profile.trend * (year - 2020)
        rows, total, given = [], 0.0, 0
        for item in items:
            if item.scale == Scale.TEXT or (not group and rng.random() < SKIPPED):
                continue
            score = rng.gauss(leaning + profile.sections.get(item.section, 0.0) + self._offset(item.code), 0.65)
            total, given = total + score, given + 1
            value = self._value(item, score)
            note = rng.choice(GROUP_NOTES) if group and rng.random() < 0.25 else ""
            rows.append((response, item.pk, value, "", typographic(note)))
        comment = next((item for item in items if item.scale == Scale.TEXT), None)
        if comment is not None and given and rng.random() < COMMENT_SHARE:
            mood = "low" if total / given < 3.2 else "high" if total / given > 3.9 else "any"
            rows.append((response, comment.pk, "", typographic(rng.choice(COMMENTS[mood])), ""))
        return rows

    @staticmethod
    def _value(item: ItemRow, score: float) -> str:
        if item.scale == Scale.ABC:
            return "A" if score >= 3.9 else "B" if score >= 2.9 else "C"
        if item.scale == Scale.YES_NO:
            yes = score >= 3.3 if item.polarity != Item.Polarity.DRAWBACK else score < 2.9
            return "yes" if yes else "no"
        return str(min(5, max(1, round(score))))  # Likert and the checklist's 1-to-5 balance


def flush_evaluation(rls_queryset) -> None:
    """Remove the campaigns, their answers, the instrument copies and the context events of the given RLS, children
    first with plain DELETEs. The shipped instruments (no RLS) stay."""
    campaigns = Campaign.objects.filter(rls__in=rls_queryset)
    Report.objects.filter(Q(rls__in=rls_queryset) | Q(campaign__in=campaigns)).delete()
    responses = Response.objects.filter(campaign__in=campaigns)
    for queryset in [
        Answer.objects.filter(response__in=responses),
        responses,
        Invitation.objects.filter(campaign__in=campaigns),
        Campaign.instances.through.objects.filter(campaign__in=campaigns),
        campaigns,
    ]:
        queryset._raw_delete(queryset.db)
    copies = Instrument.objects.filter(rls__in=rls_queryset)
    Item.objects.filter(section__instrument__in=copies).delete()
    Section.objects.filter(instrument__in=copies).delete()
    copies.delete()
    ContextEvent.objects.filter(rls__in=rls_queryset).delete()
