"""Province-scale agreements for `generate_synthetic`: 20,000 agreements over the 93 RLS with their parties and
contacts, sections, versions, status history, negotiation log, funding per year and accountability reports.
Deterministic for a seed.

Dates are drawn around a fixed reference day (REFERENCE_DAY, as the concertation's fixed 2015–2025 meeting
span), not around the day the data is generated: the same seed gives the same statuses and due dates whenever
it runs. On that day most agreements are in force or expired, some end within 90 days and some reports are
late (not submitted, past due).

Speed first, as for the concertation: every row is built here as a plain tuple with explicit ids where other
rows point to it (agreements, parties, negotiation issues), then inserted with executemany on SQLite or COPY on
PostgreSQL, secondary indexes (and on PostgreSQL foreign keys) rebuilt once per table. No action runs (they
would write an audit event and a query or more per row); version contents are what
`agreements.actions.agreements.content_of` freezes.
"""

from __future__ import annotations

import datetime
import json
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from agreements.defaults import ensure_rules
from agreements.models import (
    Agreement,
    AgreementSection,
    AgreementVersion,
    Attachment,
    FundingAmount,
    KindRule,
    LegalBasis,
    NegotiationIssue,
    NegotiationPosition,
    Party,
    PartyContact,
    Payment,
    Reminder,
    Report,
    SectionCode,
    StatusChange,
)
from concertation.models import Instance
from demo.synthetic import RLS_COORDINATOR_PREFIX, split
from demo.synthetic.concertation import adapter, deferred_indexes, insert_rows, next_pk, reset_sequence
from registry.models import Person, RoleAssignment

# The synthetic "today": statuses, expiries and late reports are as seen on that day.
REFERENCE_DAY = datetime.date(2026, 12, 1)
EXPIRING_DAYS = 90

S = Agreement.Status


@dataclass(frozen=True)
class AgreementScale:
    agreements: int


STATUS_WEIGHTS = {
    S.DRAFT: 6, S.NEGOTIATION: 7, S.SIGNED: 5, S.IN_FORCE: 45, S.EXPIRED: 30, S.TERMINATED: 7,
}  # fmt: skip
KIND_WEIGHTS = {"service": 40, "collaboration": 25, "funding": 20, "framework": 10, "other": 5}
# Share of the signed agreements of each kind that have an amount per year (about 60 % overall).
FUNDED_SHARE = {"service": 0.75, "collaboration": 0.4, "funding": 0.97, "framework": 0.2, "other": 0.3}
TITLES = {
    "service": "Entente de service",
    "collaboration": "Entente de collaboration",
    "funding": "Entente de financement",
    "framework": "Protocole d'entente",
    "other": "Entente",
}
SUBJECTS = {
    "service": [
        "soutien à domicile", "accompagnement-transport médical", "répit aux proches aidants", "repas à domicile",
        "intervention de crise", "dépannage alimentaire", "hébergement temporaire", "travail de milieu en HLM",
        "popote roulante", "visites d'amitié aux aînés isolés",
    ],
    "collaboration": [
        "santé mentale jeunesse", "prévention des chutes", "périnatalité et petite enfance", "itinérance",
        "proches aidants", "sécurité alimentaire", "persévérance scolaire", "accueil des personnes immigrantes",
    ],
    "funding": [
        "soutien à la mission", "halte-répit", "projet de prévention", "travail de rue", "cuisines collectives",
        "aide aux devoirs",
    ],
    "framework": [
        "trajectoire de référence", "continuum de services jeunesse", "partenariat du RLS", "gestion de crise",
    ],
    "other": ["prêt de locaux", "partage d'information", "transport adapté", "visibilité et communications"],
}  # fmt: skip
SECTION_TEXTS = {
    SectionCode.CLIENTELE_OFFER: "Clientèle visée : les résidants du territoire qui ont besoin de {subject}. "
    "Offre : {org} assure le service selon le volume convenu en annexe.",
    SectionCode.OBLIGATIONS: "{org} rend les services convenus ; l'établissement réfère la clientèle, "
    "transmet l'information requise et soutient l'organisme.",
    SectionCode.ACCESS_COORDINATION: "Accès par référence de l'intervenant pivot ; rencontres de coordination "
    "trimestrielles entre les répondants.",
    SectionCode.FINANCIAL_RESOURCES: "Financement annuel versé en deux paiements, sur présentation de la "
    "reddition de comptes.",
    SectionCode.RESPONDENTS_COMMITTEE: "Chaque partie nomme un répondant ; un comité conjoint suit l'entente deux "
    "fois par année.",
    SectionCode.DISAGREEMENT: "Un différend est soumis au comité conjoint ; modification par avenant écrit ; "
    "résiliation sur préavis de 90 jours.",
    SectionCode.AUTONOMY_RESPECT: "L'entente respecte la mission, les orientations et les approches de {org}, "
    "organisme communautaire autonome.",
    SectionCode.COMPLAINTS: "Une plainte relative aux services est examinée par le commissaire local aux plaintes "
    "et à la qualité des services.",
}
AMENDMENTS = [
    "ajustement du volume de services", "mise à jour des répondants", "indexation du financement",
    "prolongation de l'offre aux fins de semaine", "nouvelle modalité de référence",
]  # fmt: skip
ISSUES = [
    "Volume de services", "Montant du financement", "Modalités de référence", "Reddition de comptes",
    "Respect de l'autonomie", "Partage de l'information", "Horaire de service", "Locaux et équipement",
]  # fmt: skip
RENEWALS = [
    "Renouvellement d'année en année par tacite reconduction, sauf avis contraire 90 jours avant l'échéance.",
    "Renouvellement sur entente écrite des parties.",
    "",
]
TERMINATION_REASONS = [
    "Fin du programme de financement.", "Cessation des activités de l'organisme.",
    "Remplacée par une entente régionale.", "Les parties ont renoncé au projet.",
]  # fmt: skip
DURATIONS_YEARS = [1, 2, 3, 3, 3, 5]
PARTY_COUNTS, PARTY_WEIGHTS = [2, 3, 4], [60, 28, 12]


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@dataclass(slots=True)
class Draft:
    """An agreement being generated (plain attributes, as the concertation's Seat and Session)."""

    id: int
    rls_id: int
    kind: str
    status: str
    title: str
    subject: str
    summary: str
    start: datetime.date | None
    end: datetime.date | None
    signed_on: datetime.date | None
    created: datetime.date
    parties: list[int] = field(default_factory=list)  # party ids
    organizations: list = field(default_factory=list)  # their Organization objects
    signatories: list[int | None] = field(default_factory=list)  # person id per party, or None
    versions: int = 0
    joint_committee_id: int | None = None
    status_reason: str = ""
    renewal: str = ""


class AgreementBuilder:
    """Builds on the registry part of SyntheticBuilder (its RLS, organisations and people) and its accounts
    (the coordinator of each RLS signs the history rows)."""

    def __init__(self, scale: AgreementScale, rng, registry) -> None:
        self.scale = scale
        self.rng = rng
        self.registry = registry
        self.zone = timezone.get_current_timezone()
        self.timings: dict[str, float] = {}
        self.pools: dict[int, tuple[list, list]] = {}  # RLS pk -> (public institutions, other organisations)

    def _timed(self, label: str, started: float) -> float:
        now = time.perf_counter()
        self.timings[label] = now - started
        return now

    def at(self, day: datetime.date, hour: int = 10) -> datetime.datetime:
        return datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=self.zone)

    def build(self, rls_nodes: list) -> dict[str, int]:
        postgresql = connection.vendor == "postgresql"
        if postgresql:  # as ConcertationBuilder.build: no pending trigger events when deferred_indexes alters
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        try:
            return self._build(rls_nodes)
        finally:
            if postgresql:
                with connection.cursor() as cursor:
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _build(self, rls_nodes: list) -> dict[str, int]:
        started = time.perf_counter()
        ensure_rules(LegalBasis, KindRule)
        self.rules = {
            r.kind: (r.legal_basis_id, [c for c in SectionCode.values if c in r.required_sections])
            for r in KindRule.objects.all()
        }
        self.bases = {b.pk: str(b) for b in LegalBasis.objects.all()}
        # Per kind, the bases of its purpose that replaced one another (the LSSSS, then G-1.021 from December 2024):
        # an agreement rests on the one in force on the day it was drafted, as agreements.actions drafts it.
        all_bases = list(LegalBasis.objects.order_by("-in_force_from"))
        self.bases_by_kind = {}
        for rule in KindRule.objects.select_related("legal_basis"):
            named = rule.legal_basis
            same = [b for b in all_bases if named and b.purpose == named.purpose and named.purpose != "other"]
            self.bases_by_kind[rule.kind] = same or ([named] if named else [])
        self.names = {
            pk: f"{first} {last}" for pk, first, last in Person.objects.values_list("pk", "first_name", "last_name")
        }
        self.coordinator_of = dict(
            RoleAssignment.objects.filter(
                user__username__startswith=RLS_COORDINATOR_PREFIX, rls__in=rls_nodes
            ).values_list("rls_id", "user_id")
        )
        committees: dict[int, list[int]] = {}
        for pk, rls_id in (
            Instance.objects.filter(rls__in=rls_nodes, kind="joint_committee").order_by("pk").values_list("pk", "rls")
        ):
            committees.setdefault(rls_id, []).append(pk)

        rng = self.rng
        weights = [len(self.registry.organizations_of.get(r.pk, ())) * rng.uniform(0.8, 1.2) for r in rls_nodes]
        counts = split(self.scale.agreements, weights)
        drafts: list[Draft] = []
        next_id, self.next_party = next_pk(Agreement), next_pk(Party)
        self.party_rows: list[tuple] = []
        for rls, count in zip(rls_nodes, counts, strict=True):
            own = [self._draft(next_id + n, rls, count) for n in range(count)]
            next_id += count
            signed = [d for d in own if d.versions and d.kind in ("service", "collaboration")]
            for committee, draft in zip(committees.get(rls.pk, []), rng.sample(signed, len(signed)), strict=False):
                draft.joint_committee_id = committee
            drafts += own
        self.sections_of: dict[int, dict[str, str]] = {}
        counts = {"ententes": self.insert_agreements(drafts)}
        started = self._timed("agreements", started)
        counts["parties aux ententes"], counts["signataires et répondants"] = self.insert_parties(drafts)
        started = self._timed("parties", started)
        counts["sections d'ententes"], counts["versions d'ententes"] = self.insert_texts(drafts)
        started = self._timed("texts", started)
        counts["changements d'état"] = self.insert_history(drafts)
        started = self._timed("history", started)
        counts["enjeux négociés"] = self.insert_negotiation(drafts)
        counts["montants annuels"] = self.insert_funding(drafts)
        counts["redditions de comptes"], counts["redditions en retard"] = self.insert_reports(drafts)
        self._timed("follow-up", started)
        self.drafts = drafts
        return counts

    # Agreements -------------------------------------------------------------------------------

    def _draft(self, pk: int, rls, count: int) -> Draft:
        rng, ref = self.rng, REFERENCE_DAY
        kind = rng.choices(list(KIND_WEIGHTS), list(KIND_WEIGHTS.values()))[0]
        status = rng.choices(list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values()))[0]
        length = 365 * rng.choice(DURATIONS_YEARS)
        start = end = signed_on = None
        was_signed = status in (S.SIGNED, S.IN_FORCE, S.EXPIRED) or (status == S.TERMINATED and rng.random() < 0.6)
        if status == S.IN_FORCE:
            # About one in eight ends within 90 days of the reference day: the dashboard's "expiring soon".
            ahead = rng.randint(0, EXPIRING_DAYS) if rng.random() < 0.12 else rng.randint(EXPIRING_DAYS + 1, length)
            end = ref + _days(ahead)
            start = end - _days(length - 1)
            if start > ref - _days(30):
                start = ref - _days(rng.randint(30, 200))
        elif status == S.EXPIRED:
            end = ref - _days(rng.randint(1, 3000))
            start = end - _days(length - 1)
        elif status == S.SIGNED:
            signed_on = ref - _days(rng.randint(1, 60))
            start = max(ref + _days(1), signed_on + _days(rng.randint(10, 120)))
            end = start + _days(length - 1)
        elif status == S.TERMINATED and was_signed:
            start = ref - _days(rng.randint(400, 3000))
            end = start + _days(length - 1)
        elif rng.random() < 0.7:  # draft, negotiation, or abandoned before signing: a planned period
            start = ref + _days(rng.randint(30, 300))
            end = start + _days(length - 1)
        if was_signed and signed_on is None:
            signed_on = start - _days(rng.randint(10, 60))
        created = (signed_on or ref) - _days(rng.randint(30, 240))
        organizations = self._parties(rls)
        subject = rng.choice(SUBJECTS[kind])
        partner = next((o for o in organizations if o.sector != "public"), organizations[-1])
        versions = 0
        if was_signed:
            versions = 1 if status == S.SIGNED else rng.choices([1, 2, 3], [55, 30, 15])[0]
        names = ", ".join(o.name for o in organizations)
        return Draft(
            id=pk, rls_id=rls.pk, kind=kind, status=status,
            title=f"{TITLES[kind]} — {subject} ({partner.name})"[:250], subject=subject,
            summary=f"{TITLES[kind]} portant sur {subject}, entre {names}.",
            start=start, end=end, signed_on=signed_on, created=created, organizations=organizations,
            versions=versions,
            status_reason=rng.choice(TERMINATION_REASONS) if status == S.TERMINATED else "",
        )  # fmt: skip

    def _parties(self, rls) -> list:
        """2 to 4 active organisations of the RLS with people (signatories), a public institution first as a rule."""
        rng = self.rng
        pool = self.pools.get(rls.pk)
        if pool is None:
            active = [o for o in self.registry.organizations_of.get(rls.pk, []) if o.archived_at is None]
            staffed = [o for o in active if self.registry.people_of.get(o.pk)] or active
            public = [o for o in staffed if o.sector == "public"]
            others = [o for o in staffed if o.sector != "public"] or staffed
            pool = self.pools[rls.pk] = (public, others)
        public, others = pool
        count = rng.choices(PARTY_COUNTS, PARTY_WEIGHTS)[0]
        chosen = [rng.choice(public)] if public and rng.random() < 0.85 else []
        candidates = [o for o in others if o not in chosen]
        chosen += rng.sample(candidates, min(len(candidates), count - len(chosen)))
        return chosen

    def _basis(self, kind: str, day) -> int | None:
        day = day.date() if hasattr(day, "date") else day
        found = next((b for b in self.bases_by_kind.get(kind, []) if b.is_in_force(day)), None)
        return found.pk if found else None

    def insert_agreements(self, drafts: list[Draft]) -> int:
        rng, adapt = self.rng, adapter()
        rows = []
        for d in drafts:
            basis = self._basis(d.kind, d.created)
            public = d.status in (S.IN_FORCE, S.EXPIRED) and rng.random() < 0.3
            d.renewal = renewal = rng.choice(RENEWALS) if d.versions else ""
            rows.append(
                (
                    d.id, adapt(self.at(d.created)), adapt(self.at(self._last_change(d))), d.title, d.kind,
                    d.status, d.rls_id, basis, d.summary, adapt(d.start), adapt(d.end), renewal,
                    d.joint_committee_id, rng.choice([60, 90, 90, 90, 120]), public, d.status_reason, d.versions,
                )
            )  # fmt: skip
        columns = [
            "id", "created_at", "updated_at", "title", "kind", "status", "rls_id", "legal_basis_id", "summary",
            "start_date", "end_date", "renewal_terms", "joint_committee_id", "reminder_days", "is_public",
            "status_reason", "version",
        ]  # fmt: skip
        with deferred_indexes(Agreement):
            count = insert_rows(Agreement, columns, rows)
        reset_sequence(Agreement)
        return count

    def _last_change(self, d: Draft) -> datetime.date:
        return self._history(d)[-1][2] if d.status != S.DRAFT else d.created

    # Parties and contacts -------------------------------------------------------------------------

    def insert_parties(self, drafts: list[Draft]) -> tuple[int, int]:
        rng, adapt = self.rng, adapter()
        parties, contacts = [], []
        pk = self.next_party
        for d in drafts:
            for n, org in enumerate(d.organizations):
                role = "Établissement responsable" if org.sector == "public" else "Organisme partenaire"
                if d.kind == "funding" and n == 0:
                    role = "Bailleur de fonds"
                parties.append((pk, d.id, org.pk, role))
                d.parties.append(pk)
                people = self.registry.people_of.get(org.pk) or []
                signatory = people[0] if people and d.versions else None
                d.signatories.append(signatory)
                if signatory is not None:
                    contacts.append((pk, signatory, PartyContact.Role.SIGNATORY.value, adapt(d.signed_on)))
                if people and d.status != S.DRAFT and rng.random() < 0.5:
                    respondent = rng.choice(people)
                    contacts.append((pk, respondent, PartyContact.Role.RESPONDENT.value, None))
                pk += 1
        with deferred_indexes(Party):
            count = insert_rows(Party, ["id", "agreement_id", "organization_id", "role"], parties)
        reset_sequence(Party)
        with deferred_indexes(PartyContact):
            count_contacts = insert_rows(PartyContact, ["party_id", "person_id", "role", "signed_on"], contacts)
        return count, count_contacts

    # Sections and versions ------------------------------------------------------------------------

    def insert_texts(self, drafts: list[Draft]) -> tuple[int, int]:
        """Sections as the last version froze them; each amendment rewrote one section."""
        rng, adapt = self.rng, adapter()
        sections, versions = [], []
        for d in drafts:
            codes = self.rules.get(d.kind, (None, []))[1]
            subject = d.subject
            partner = next((o.name for o in d.organizations if o.sector != "public"), d.organizations[-1].name)
            bodies = {c: SECTION_TEXTS[SectionCode(c)].format(subject=subject, org=partner) for c in codes}
            if d.status in (S.DRAFT, S.NEGOTIATION) or (d.status == S.TERMINATED and not d.versions):
                empty = 0.5 if d.status == S.DRAFT else 0.2
                bodies = {c: ("" if rng.random() < empty else body) for c, body in bodies.items()}
            contents = []
            if d.versions:
                basis = self._basis(d.kind, d.created)
                parties = [
                    {"organization": o.name, "signatories": [self.names.get(p, "")] if p else []}
                    for o, p in zip(d.organizations, d.signatories, strict=True)
                ]
                # Amendments between the signature and the end, the termination or the day before the reference.
                last = min(REFERENCE_DAY - _days(1), d.end or REFERENCE_DAY)
                if d.status == S.TERMINATED:
                    last = self._history(d)[-1][2]
                span = max(1, (last - d.signed_on).days)
                days = sorted({d.signed_on, *(d.signed_on + _days(rng.randint(1, span)) for _ in range(1, d.versions))})
                while len(days) < d.versions:  # two amendments drawn on the same day
                    days.append(days[-1] + _days(1))
                for number, day in enumerate(days, start=1):
                    note = "Version signée"
                    if number > 1:
                        code = rng.choice(codes)
                        reason = rng.choice(AMENDMENTS)
                        note = f"Avenant no {number - 1} : {reason}."
                        bodies = {**bodies, code: f"{bodies[code]} Modifié par l'avenant no {number - 1} ({reason})."}
                    content = {
                        "title": d.title, "kind": d.kind,
                        "start_date": d.start.isoformat() if d.start else None,
                        "end_date": d.end.isoformat() if d.end else None,
                        "renewal_terms": d.renewal,
                        "legal_basis": self.bases.get(basis, ""),
                        "sections": dict(bodies), "parties": parties,
                    }  # fmt: skip
                    coordinator = self.coordinator_of.get(d.rls_id)
                    contents.append((d.id, number, adapt(self.at(day, 11)), coordinator, note, json.dumps(content)))
            versions += contents
            sections += [(d.id, code, body) for code, body in bodies.items()]
            self.sections_of[d.id] = bodies
        with deferred_indexes(AgreementSection):
            count_sections = insert_rows(AgreementSection, ["agreement_id", "code", "body"], sections)
        with deferred_indexes(AgreementVersion):
            count_versions = insert_rows(
                AgreementVersion, ["agreement_id", "number", "created_at", "created_by_id", "note", "content"], versions
            )
        return count_sections, count_versions

    # Status history -----------------------------------------------------------------------------------

    def _history(self, d: Draft) -> list[tuple[str, str, datetime.date, str]]:
        """(from, to, day, reason) from creation to the current status; the days depend only on the draft."""
        steps = [("", S.DRAFT.value, d.created, "")]
        if d.status == S.DRAFT:
            return steps
        opened = d.created + _days(7 + d.id % 21)
        if d.signed_on:
            opened = min(opened, d.signed_on - _days(1))
        if d.status == S.TERMINATED and not d.versions:
            if d.id % 2:
                steps.append((S.DRAFT.value, S.NEGOTIATION.value, opened, ""))
            stopped = min(REFERENCE_DAY - _days(1), opened + _days(30 + d.id % 90))
            steps.append((steps[-1][1], S.TERMINATED.value, stopped, d.status_reason))
            return steps
        steps.append((S.DRAFT.value, S.NEGOTIATION.value, opened, ""))
        if d.status == S.NEGOTIATION:
            return steps
        steps.append((S.NEGOTIATION.value, S.SIGNED.value, d.signed_on, ""))
        if d.status == S.SIGNED:
            return steps
        steps.append((S.SIGNED.value, S.IN_FORCE.value, d.start, ""))
        if d.status == S.EXPIRED:
            steps.append((S.IN_FORCE.value, S.EXPIRED.value, d.end + _days(1), ""))
        elif d.status == S.TERMINATED:
            last = min(REFERENCE_DAY - _days(1), d.end)
            stopped = d.start + _days(max(1, (last - d.start).days) * (1 + d.id % 9) // 10)
            steps.append((S.IN_FORCE.value, S.TERMINATED.value, stopped, d.status_reason))
        return steps

    def insert_history(self, drafts: list[Draft]) -> int:
        adapt = adapter()
        rows = []
        for d in drafts:
            by = self.coordinator_of.get(d.rls_id)
            for before, after, day, reason in self._history(d):
                rows.append((d.id, before, after, adapt(self.at(day)), by, reason))
        with deferred_indexes(StatusChange):
            return insert_rows(
                StatusChange, ["agreement_id", "from_status", "to_status", "at", "by_id", "reason"], rows
            )

    # Negotiation log, funding, reports -------------------------------------------------------------------

    def insert_negotiation(self, drafts: list[Draft]) -> int:
        """Every agreement in negotiation logs 1–3 issues (open ones); a quarter of the signed ones logged theirs."""
        rng, adapt = self.rng, adapter()
        issues, positions = [], []
        pk = next_pk(NegotiationIssue)
        for d in drafts:
            if d.status == S.NEGOTIATION:
                count = rng.randint(1, 3)
            elif d.versions and rng.random() < 0.25:
                count = rng.randint(1, 2)
            else:
                continue
            for subject in rng.sample(ISSUES, count):
                settled = d.signed_on - _days(rng.randint(5, 40)) if d.signed_on else None
                if d.status == S.NEGOTIATION and rng.random() < 0.3:
                    settled = REFERENCE_DAY - _days(rng.randint(1, 20))
                compromise = "Compromis consigné au procès-verbal du comité conjoint." if settled else ""
                issues.append((pk, d.id, subject, compromise, adapt(settled)))
                for n, party in enumerate(d.parties):
                    concession = "Accepte un compromis sur le calendrier." if settled and n else ""
                    positions.append((pk, party, f"Position initiale de la partie {n + 1}.", concession))
                pk += 1
        with deferred_indexes(NegotiationIssue):
            count = insert_rows(NegotiationIssue, ["id", "agreement_id", "subject", "compromise", "settled_on"], issues)
        reset_sequence(NegotiationIssue)
        with deferred_indexes(NegotiationPosition):
            insert_rows(NegotiationPosition, ["issue_id", "party_id", "initial_position", "concession"], positions)
        return count

    def insert_funding(self, drafts: list[Draft]) -> int:
        """An amount per year of the agreement's period (at most six) for about 60 % of the signed ones, paid by
        the public party when there is one."""
        rng, rows = self.rng, []
        for d in drafts:
            if not d.versions or rng.random() >= FUNDED_SHARE[d.kind]:
                continue
            funder = next((p for p, o in zip(d.parties, d.organizations, strict=True) if o.sector == "public"), None)
            funder = funder or d.parties[0]
            amount = rng.lognormvariate(10.6, 0.8)  # about 40,000 $ a year, a few over 150,000 $
            for year in range(d.start.year, min(d.end.year, d.start.year + 5) + 1):
                rows.append((d.id, year, Decimal(round(amount)).quantize(Decimal("0.01")), funder))
                amount *= rng.uniform(1.0, 1.04)
        with deferred_indexes(FundingAmount):
            return insert_rows(FundingAmount, ["agreement_id", "year", "amount", "funder_id"], rows)

    def insert_reports(self, drafts: list[Draft]) -> tuple[int, int]:
        """2–4 reports over the period of each agreement in force or expired, due up to 90 days after its end;
        past due on the reference day, most were submitted (some after the due date), about one in eight not."""
        rng, adapt, rows, late = self.rng, adapter(), [], 0
        for d in drafts:
            if d.status not in (S.IN_FORCE, S.EXPIRED):
                continue
            count = rng.randint(2, 4)
            span = (d.end - d.start).days + EXPIRING_DAYS
            by = self.coordinator_of.get(d.rls_id)
            for n in range(1, count + 1):
                due = d.start + _days(span * n // count)
                submitted = None
                if due < REFERENCE_DAY:
                    if rng.random() < 0.12:
                        late += 1
                    else:
                        submitted = min(REFERENCE_DAY - _days(1), due + _days(rng.randint(-30, 25)))
                title = f"Reddition de comptes no {n} ({due.year})"
                note = "Rapport déposé au comité conjoint." if submitted else ""
                rows.append((d.id, title, adapt(due), adapt(submitted), by if submitted else None, note))
        with deferred_indexes(Report):
            count = insert_rows(
                Report, ["agreement_id", "title", "due_on", "submitted_on", "submitted_by_id", "note"], rows
            )
        return count, late


def flush_agreements(rls_queryset) -> None:
    """Remove the agreements of the given RLS and everything under them, children first with plain DELETEs (the
    ORM's cascade collector would load the 130,000 sections and 60,000 parties into memory)."""
    agreements = Agreement.objects.filter(rls__in=rls_queryset)
    parties = Party.objects.filter(agreement__in=agreements)
    for queryset in [
        NegotiationPosition.objects.filter(issue__agreement__in=agreements),
        NegotiationIssue.objects.filter(agreement__in=agreements),
        FundingAmount.objects.filter(agreement__in=agreements),
        Payment.objects.filter(agreement__in=agreements),
        Attachment.objects.filter(agreement__in=agreements),
        Report.objects.filter(agreement__in=agreements),
        Reminder.objects.filter(agreement__in=agreements),
        StatusChange.objects.filter(agreement__in=agreements),
        AgreementVersion.objects.filter(agreement__in=agreements),
        AgreementSection.objects.filter(agreement__in=agreements),
        PartyContact.objects.filter(party__in=parties),
        parties,
        Agreement.instances.through.objects.filter(agreement__in=agreements),
        Agreement.action_plans.through.objects.filter(agreement__in=agreements),
        agreements,
    ]:
        queryset._raw_delete(queryset.db)
