"""A deterministic synthetic dataset for benchmarks: same --scale and --seed, same names and counts.

The registry (6,000 organisations, 15,000 people at province scale), its concertation (2,000 instances,
40,000 memberships, 100,000 meetings, 1,000,000 attendance records: demo/synthetic/concertation.py) and
its agreements (20,000 agreements with their parties, sections, versions, history, funding and reports:
demo/synthetic/agreements.py) and its evaluation (survey campaigns of the shipped instruments with their
invitations, responses and answers, and context events: demo/synthetic/evaluation.py).
Speed matters more than history here (all of it in under two minutes on SQLite): rows go in with bulk_create
or executemany/COPY inside one transaction, tree paths are computed here rather than by
actions.create_territory, and no audit event is written.
"""

import random
import time
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from demo.synthetic import RLS_COORDINATOR_PREFIX, split
from demo.synthetic.agreements import AgreementBuilder, AgreementScale, flush_agreements
from demo.synthetic.concertation import ConcertationBuilder, ConcertationScale, flush_concertation
from demo.synthetic.evaluation import EvaluationBuilder, flush_evaluation
from registry.models import (
    Affiliation,
    FundingLine,
    Organization,
    Person,
    RoleAssignment,
    Territory,
    TerritoryPopulation,
)

BATCH = 1000
YEAR = 2024
FUNDING_YEARS = (2021, 2022, 2023, 2024)
PROVINCE_NAME = "Québec (synthétique)"
PEOPLE_DOMAIN = "personnes.synthetique.example"
BENCH_PASSWORD = "bench-maillage-2026"  # noqa: S105 (synthetic benchmark data only; refused in production)
BENCH_USERS = ("bench-admin", "bench-coord", "bench-analyst", "bench-rep")


@dataclass(frozen=True)
class Scale:
    regions: int
    rls: int
    municipalities: int
    organizations: int
    people: int
    concertation: ConcertationScale
    agreements: AgreementScale


SCALES = {
    "province": Scale(
        regions=18, rls=93, municipalities=1100, organizations=6000, people=15000,
        concertation=ConcertationScale(
            instances=2000, memberships=40_000, meetings=100_000, attendance=1_000_000, exercises=5, plans=5
        ),
        agreements=AgreementScale(agreements=20_000),
    ),
    # Small but with more than one page (50 rows) of organisations per RLS, so that a page renders
    # as many rows as at province scale and query counts can be compared between the two. The concertation
    # and the agreements have the same density per RLS as at province scale (about 21 instances, 430 seats,
    # 1,075 meetings, 215 agreements).
    "small": Scale(
        regions=2, rls=4, municipalities=40, organizations=300, people=750,
        concertation=ConcertationScale(
            instances=86, memberships=1720, meetings=4300, attendance=43_000, exercises=2, plans=2
        ),
        agreements=AgreementScale(agreements=860),
    ),
}  # fmt: skip

# Names ----------------------------------------------------------------------------------------

REGIONS = [
    "Littoral-Est", "Hautes-Terres", "Vallée-Longue", "Deux-Rives", "Grand-Lac", "Plaines-du-Sud",
    "Forêt-Boréale", "Îles-Basses", "Piémont", "Côte-Haute", "Cantons-Verts", "Bassin-Central",
    "Rapides", "Métropole-Nord", "Métropole-Sud", "Battures", "Haut-Pays", "Terres-Rouges",
]  # fmt: skip
SAINTS = [
    "Adélard", "Albéric", "Alphonse", "Anatole", "Anselme", "Arsène", "Aurèle", "Basile", "Célestin",
    "Clovis", "Cyprien", "Damase", "Edmond", "Elzéar", "Eusèbe", "Évariste", "Fabien", "Firmin",
    "Fulbert", "Gédéon", "Hilaire", "Honoré", "Hubert", "Isidore", "Lazare", "Léandre", "Magloire",
    "Narcisse", "Odilon", "Omer", "Ovide", "Pacôme", "Philémon", "Prosper", "Rosaire", "Séverin",
    "Siméon", "Ulric", "Urbain", "Valère", "Wilfrid", "Zénon", "Achille", "Bernardin", "Euclide",
]  # fmt: skip
SAINTES = [
    "Adèle", "Agathe", "Angèle", "Apolline", "Aurélie", "Blandine", "Brigide", "Clotilde", "Delphine",
    "Edwige", "Euphémie", "Félicité", "Flore", "Germaine", "Hermine", "Irène", "Justine", "Léocadie",
    "Lucille", "Marcelline", "Mathilde", "Octavie", "Philomène", "Rosalie", "Séraphine", "Sophronie",
    "Thècle", "Ursule", "Valentine", "Victoire", "Zélie", "Éméline", "Hortense", "Perpétue",
]  # fmt: skip
SUFFIXES = [
    "", "-du-Lac", "-des-Monts", "-de-la-Rivière", "-des-Bois", "-du-Nord", "-des-Prés", "-de-la-Montagne",
    "-des-Rangs", "-du-Plateau", "-de-l'Anse", "-des-Saules", "-du-Cap", "-de-la-Baie", "-des-Érables",
    "-des-Cantons", "-du-Rivage", "-de-la-Côte", "-des-Chutes", "-de-Bellefeuille",
]  # fmt: skip
NATURE_PREFIXES = ["Lac", "Mont", "Val", "Rivière", "Pointe", "Baie", "Côte"]
NATURE_NOUNS = [
    "des-Cèdres", "aux-Sables", "des-Loups", "des-Hérons", "aux-Trembles", "des-Érables", "des-Outardes",
    "aux-Castors", "des-Pins", "des-Cygnes", "aux-Perdrix", "des-Merles", "aux-Framboises", "des-Bouleaux",
]  # fmt: skip
MASCULINE_PREFIXES = ["Lac", "Mont", "Val"]  # these take the adjectives below
NATURE_ADJECTIVES = ["Clair", "Vert", "Argenté", "Doré", "Brûlé", "Rouge", "Profond", "Caché", "Noir", "Joli"]
FIRST_NAMES = [
    "Marie", "Julie", "Isabelle", "Nathalie", "Sophie", "Catherine", "Mélanie", "Geneviève", "Valérie", "Caroline",
    "Chantal", "Louise", "Sylvie", "Johanne", "Annie", "Émilie", "Audrey", "Camille", "Léa", "Chloé",
    "Rose", "Jeanne", "Alice", "Florence", "Maude", "Karine", "Josée", "Lucie", "Diane", "Nicole",
    "Jean", "Pierre", "Michel", "Daniel", "Marc", "Luc", "François", "Stéphane", "Patrick", "Martin",
    "Sébastien", "Mathieu", "Maxime", "Alexandre", "Olivier", "Simon", "Gabriel", "William", "Félix", "Samuel",
    "Louis", "Jacques", "Yves", "Denis", "Réjean", "Gaétan", "Benoît", "Éric", "Guy", "Karim",
]  # fmt: skip
LAST_NAMES = [
    "Tremblay", "Gagnon", "Roy", "Côté", "Bouchard", "Gauthier", "Morin", "Lavoie", "Fortin", "Gagné",
    "Ouellet", "Pelletier", "Bélanger", "Lévesque", "Bergeron", "Leblanc", "Paquette", "Girard", "Simard", "Boucher",
    "Caron", "Beaulieu", "Cloutier", "Dubé", "Poirier", "Fournier", "Lapointe", "Leclerc", "Lefebvre", "Poulin",
    "Thibault", "St-Pierre", "Nadeau", "Martin", "Landry", "Martel", "Bédard", "Grenier", "Lessard", "Bernier",
    "Richard", "Michaud", "Hébert", "Desjardins", "Couture", "Turcotte", "Lachance", "Parent", "Blais", "Gosselin",
    "Savard", "Proulx", "Beaudoin", "Demers", "Perreault", "Boudreau", "Lemieux", "Cyr", "Perron", "Dufour",
    "Dion", "Mercier", "Bolduc", "Bérubé", "Boivin", "Langlois", "Ménard", "Benali", "Haddad", "Nguyen",
]  # fmt: skip

SECTOR_WEIGHTS = {
    "community": 45, "public": 4, "municipal": 15, "education": 5, "private": 10, "social_economy": 7,
    "philanthropy": 3, "government": 3, "citizen_group": 5, "other": 3,
}  # fmt: skip
ORG_KINDS = {
    "community": [
        "Centre d'action bénévole", "Popote roulante", "Maison de la famille", "Banque alimentaire",
        "Association des aînés", "Maison des jeunes", "Centre de femmes", "Cuisines collectives", "Centre d'entraide",
        "Association des proches aidants", "Carrefour jeunesse-emploi", "Centre d'écoute", "Transport bénévole",
        "Groupe d'entraide en santé mentale", "Comptoir alimentaire", "Maison d'hébergement", "Travail de rue",
        "Regroupement des personnes handicapées", "Club de l'âge d'or", "Association de loisirs",
    ],
    "public": ["CLSC", "Centre d'hébergement", "Centre hospitalier", "Centre de réadaptation", "GMF-U"],
    "municipal": ["Municipalité", "Office d'habitation", "Service des loisirs"],
    "education": [
        "École primaire", "École secondaire", "Centre de formation professionnelle", "Centre d'éducation des adultes",
    ],
    "private": ["Résidence privée pour aînés", "Pharmacie", "Clinique médicale", "Mutuelle d'assurance"],
    "social_economy": [
        "Coopérative d'aide à domicile", "Entreprise d'insertion", "Friperie solidaire", "Épicerie solidaire",
    ],
    "philanthropy": ["Fondation communautaire", "Fondation du centre hospitalier", "Fonds d'entraide"],
    "government": ["Bureau local d'emploi", "Poste de police", "Bureau de services gouvernementaux"],
    "citizen_group": ["Comité citoyen", "Collectif citoyen", "Regroupement de résidants"],
    "other": ["Table de concertation des aînés", "Table de concertation jeunesse", "Comité de développement local"],
}  # fmt: skip
MISSIONS = {
    "community": "Organisme communautaire au service de la population de {place} : accueil, entraide, "
    "éducation populaire et défense collective des droits.",
    "public": "Établissement du réseau public : services de santé et services sociaux de proximité à {place}.",
    "municipal": "Services municipaux, loisirs et vie communautaire à {place}.",
    "education": "Établissement d'enseignement de {place}, partenaire des projets jeunesse et intergénérationnels.",
    "private": "Entreprise privée offrant des services aux résidants de {place}.",
    "social_economy": "Entreprise d'économie sociale : services de proximité et emplois durables à {place}.",
    "philanthropy": "Soutien financier aux projets communautaires de {place} et des environs.",
    "government": "Services gouvernementaux offerts aux citoyens de {place}.",
    "citizen_group": "Des citoyennes et citoyens de {place} engagés pour la qualité de vie de leur milieu.",
    "other": "Lieu de concertation intersectorielle des acteurs de {place}.",
}
POSITIONS = {  # epicene titles: names are drawn independently of positions
    "executive": ["Direction générale", "Coordination générale", "Présidence du conseil d'administration"],
    "manager": ["Gestion de programme", "Responsable d'équipe", "Responsable des services"],
    "staff": ["Intervention psychosociale", "Organisation communautaire", "Travail social", "Développement local"],
    "volunteer": ["Bénévole", "Membre bénévole du conseil", "Bénévole à la livraison", "Bénévole au transport"],
    "citizen": ["Membre du comité citoyen", "Représentation des usagers", "Membre du comité des proches aidants"],
}
LEVEL_WEIGHTS = {"executive": 15, "manager": 15, "staff": 40, "volunteer": 20, "citizen": 10}
FUNDING_SOURCES = [  # (source, probability for a community organisation, typical yearly amount)
    ("psoc_mission", 0.75, 120_000),
    ("programme", 0.5, 45_000),
    ("service_agreement", 0.3, 60_000),
    ("municipal", 0.25, 10_000),
    ("philanthropic", 0.25, 15_000),
    ("own_revenue", 0.4, 25_000),
]


def ascii_slug(text: str) -> str:
    """E-mail addresses stay ASCII so that the forms' validator accepts them on edit."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().replace(" ", "")


def place_names(rng: random.Random) -> list[str]:
    names = [f"Saint-{s}{x}" for s in SAINTS for x in SUFFIXES]
    names += [f"Sainte-{s}{x}" for s in SAINTES for x in SUFFIXES]
    names += [f"{p}-{w}" for p in NATURE_PREFIXES for w in NATURE_NOUNS]
    names += [f"{p}-{w}" for p in MASCULINE_PREFIXES for w in NATURE_ADJECTIVES]
    rng.shuffle(names)
    return names


def with_paths(nodes: list[Territory]) -> list[Territory]:
    """Insert one tree level, then write each path as its parent's path plus its own new id."""
    Territory.objects.bulk_create(nodes, batch_size=BATCH)
    for node in nodes:
        node.path = f"{node.parent.path if node.parent else '/'}{node.pk}/"
    Territory.objects.bulk_update(nodes, ["path"], batch_size=BATCH)
    return nodes


class Command(BaseCommand):
    help = "Génère un jeu de données synthétique et déterministe pour les bancs d'essai (aucun historique d'audit)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--flush", action="store_true", help="Supprimer d'abord les données synthétiques.")

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Refusé : pas de données synthétiques en production (MAILLAGE_ENV=production).")
        started = time.perf_counter()
        if synthetic_data_exists():
            if not options["flush"]:
                raise CommandError("Des données synthétiques existent déjà. Relancez avec --flush pour les remplacer.")
            flush()
        builder = SyntheticBuilder(SCALES[options["scale"]], options["seed"])
        summary = builder.build()
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"Données synthétiques « {options['scale']} » (graine {options['seed']}) :")
        )
        for label, value in summary.items():
            if label != "durées":
                self.stdout.write(f"  {label:<28} {value}")
        self.stdout.write("Durée par partie :")
        for label, seconds in summary["durées"].items():
            self.stdout.write(f"  {label:<28} {seconds:.1f} s".replace(".", ","))
        self.stdout.write(
            f"Comptes : {', '.join(BENCH_USERS)} et {RLS_COORDINATOR_PREFIX}NNN ; mot de passe : {BENCH_PASSWORD}"
        )
        self.stdout.write(f"Durée : {elapsed:.1f} s".replace(".", ","))


def synthetic_data_exists() -> bool:
    return (
        Territory.objects.filter(kind=Territory.Kind.PROVINCE, name=PROVINCE_NAME).exists()
        or get_user_model().objects.filter(username__in=BENCH_USERS).exists()
    )


@transaction.atomic
def flush() -> None:
    """Remove what a previous run created, evaluation first (its campaigns and invitations point at decisions,
    instances and people; the shipped instruments stay), then agreements (their parties and contacts PROTECT
    organisations and people), deepest territories last (parents are PROTECTed)."""
    for province in Territory.objects.filter(kind=Territory.Kind.PROVINCE, name=PROVINCE_NAME):
        flush_evaluation(Territory.objects.filter(path__startswith=province.path, kind=Territory.Kind.RLS))
        flush_agreements(Territory.objects.filter(path__startswith=province.path, kind=Territory.Kind.RLS))
    get_user_model().objects.filter(username__in=BENCH_USERS).delete()
    get_user_model().objects.filter(username__startswith=RLS_COORDINATOR_PREFIX).delete()
    for province in Territory.objects.filter(kind=Territory.Kind.PROVINCE, name=PROVINCE_NAME):
        flush_concertation(Territory.objects.filter(path__startswith=province.path, kind=Territory.Kind.RLS))
    Person.objects.filter(email__endswith="@" + PEOPLE_DOMAIN).delete()
    for province in Territory.objects.filter(kind=Territory.Kind.PROVINCE, name=PROVINCE_NAME):
        subtree = Territory.objects.filter(path__startswith=province.path)
        Organization.objects.filter(rls__in=subtree).delete()
        nodes = list(subtree.values_list("pk", "path"))
        for depth in sorted({path.count("/") for _, path in nodes}, reverse=True):
            Territory.objects.filter(pk__in=[pk for pk, path in nodes if path.count("/") == depth]).delete()


class SyntheticBuilder:
    def __init__(self, scale: Scale, seed: int) -> None:
        self.scale = scale
        self.rng = random.Random(seed)
        self.places = place_names(self.rng)
        self.municipalities_of: dict[int, list[Territory]] = {}  # RLS pk -> its municipalities
        self.organizations_of: dict[int, list[Organization]] = {}  # RLS pk -> its organisations
        self.people_of: dict[int, list[int]] = {}  # organisation pk -> ids of the people affiliated with it
        self.timings: dict[str, float] = {}

    def _timed(self, label: str, started: float) -> float:
        now = time.perf_counter()
        self.timings[label] = now - started
        return now

    @transaction.atomic
    def build(self) -> dict:
        if connection.vendor == "sqlite":
            # A 256 MB page cache for this connection: the indexes of a million attendance rows then stay in
            # memory while they grow (the default 2 MB cache makes each insert read and write index pages).
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")
        started = time.perf_counter()
        rls_nodes = self.build_territories()
        started = self._timed("territoires", started)
        organizations = self.build_organizations(rls_nodes)
        funding = self.build_funding(organizations)
        started = self._timed("organisations et financement", started)
        people, affiliations = self.build_people(organizations)
        started = self._timed("personnes et affiliations", started)
        coordinator_rls = self.build_accounts(rls_nodes)
        self._timed("comptes", started)
        concertation = ConcertationBuilder(self.scale.concertation, self.rng, self)
        concertation_counts = concertation.build(rls_nodes, coordinator_rls)
        self.timings.update({f"concertation : {k}": v for k, v in concertation.timings.items()})
        agreements = AgreementBuilder(self.scale.agreements, self.rng, self)
        agreement_counts = agreements.build(rls_nodes)
        self.timings.update({f"ententes : {k}": v for k, v in agreements.timings.items()})
        evaluation = EvaluationBuilder(self.rng, self, concertation)
        evaluation_counts = evaluation.build(rls_nodes, coordinator_rls)
        self.timings.update({f"évaluation : {k}": v for k, v in evaluation.timings.items()})
        return {
            "territoires": Territory.objects.filter(path__startswith=self.province.path).count(),
            "RLS": len(rls_nodes),
            "municipalités": sum(len(m) for m in self.municipalities_of.values()),
            "organisations": len(organizations),
            "lignes de financement": funding,
            "personnes": people,
            "affiliations": affiliations,
            "RLS de bench-coord": f"{coordinator_rls.name} (id {coordinator_rls.pk})",
            **concertation_counts,
            **agreement_counts,
            **evaluation_counts,
            "durées": self.timings,
        }

    # Territories ----------------------------------------------------------------------------

    def build_territories(self) -> list[Territory]:
        scale, rng = self.scale, self.rng
        (province,) = with_paths([Territory(name=PROVINCE_NAME, kind=Territory.Kind.PROVINCE, code="SYN")])
        self.province = province
        regions = with_paths(
            [
                Territory(
                    name=f"Région {name}", kind=Territory.Kind.HEALTH_REGION, parent=province, code=f"{i + 1:02d}"
                )
                for i, name in enumerate(self._region_names())
            ]
        )
        rls_parents = [
            r
            for r, n in zip(regions, split(scale.rls, [rng.uniform(0.5, 1.5) for _ in regions]), strict=True)
            for _ in range(n)
        ]
        rls_nodes = with_paths(
            [Territory(name=f"RLS de {self.places.pop()}", kind=Territory.Kind.RLS, parent=p) for p in rls_parents]
        )
        mrc_parents = [r for r in rls_nodes for _ in range(2 if rng.random() < 0.3 else 1)]
        mrcs = with_paths(
            [Territory(name=f"MRC de {self.places.pop()}", kind=Territory.Kind.MRC, parent=p) for p in mrc_parents]
        )
        counts = split(scale.municipalities, [rng.uniform(0.3, 1.7) for _ in mrcs])
        municipalities = with_paths(
            [
                Territory(name=self.places.pop(), kind=Territory.Kind.MUNICIPALITY, parent=mrc)
                for mrc, n in zip(mrcs, counts, strict=True)
                for _ in range(n)
            ]
        )
        for m in municipalities:
            self.municipalities_of.setdefault(m.parent.parent_id, []).append(m)
        self.build_populations(province, regions + rls_nodes + mrcs, municipalities)
        return rls_nodes

    def _region_names(self) -> list[str]:
        names = list(REGIONS)
        while len(names) < self.scale.regions:
            names.append(f"{REGIONS[len(names) % len(REGIONS)]} {len(names) // len(REGIONS) + 1}")
        return names[: self.scale.regions]

    def build_populations(self, province: Territory, upper: list[Territory], municipalities: list[Territory]) -> None:
        """Municipal figures are drawn; every upper level is the sum of the municipalities below it."""
        totals: dict[int, list[int]] = {}
        figures = []
        for m in municipalities:
            population = int(self.rng.lognormvariate(7.6, 1.1)) + 150
            over_65 = int(population * self.rng.uniform(0.14, 0.34))
            figures.append(
                TerritoryPopulation(territory=m, year=YEAR, population=population, population_65_plus=over_65)
            )
            for ancestor_id in m.path.strip("/").split("/")[:-1]:
                total = totals.setdefault(int(ancestor_id), [0, 0])
                total[0] += population
                total[1] += over_65
        for node in [province, *upper]:
            population, over_65 = totals.get(node.pk, [0, 0])
            figures.append(
                TerritoryPopulation(territory=node, year=YEAR, population=population, population_65_plus=over_65)
            )
        TerritoryPopulation.objects.bulk_create(figures, batch_size=BATCH)

    # Organisations --------------------------------------------------------------------------

    def build_organizations(self, rls_nodes: list[Territory]) -> list[Organization]:
        rng = self.rng
        counts = split(self.scale.organizations, [rng.uniform(0.5, 1.5) for _ in rls_nodes])
        sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
        organizations, served = [], []
        for rls, count in zip(rls_nodes, counts, strict=True):
            taken: set[str] = set()
            for _ in range(count):
                sector = rng.choices(sectors, weights)[0]
                org, places = self._organization(rls, sector, taken, len(organizations))
                organizations.append(org)
                served.append(places)
        Organization.objects.bulk_create(organizations, batch_size=BATCH)
        through = Organization.territories.through
        links = [
            through(organization_id=org.pk, territory_id=t.pk)
            for org, places in zip(organizations, served, strict=True)
            for t in places
        ]
        through.objects.bulk_create(links, batch_size=BATCH)
        for org in organizations:
            self.organizations_of.setdefault(org.rls_id, []).append(org)
        return organizations

    def _organization(self, rls: Territory, sector: str, taken: set[str], n: int) -> tuple[Organization, list]:
        rng = self.rng
        places = rng.sample(
            self.municipalities_of[rls.pk], k=min(len(self.municipalities_of[rls.pk]), rng.randint(1, 3))
        )
        kind = rng.choice(ORG_KINDS[sector])
        name = f"{kind} de {places[0].name}"
        suffix = 2
        while name.lower() in taken:
            name = f"{kind} de {places[0].name} ({suffix})"
            suffix += 1
        taken.add(name.lower())
        org = Organization(
            name=name,
            sector=sector,
            is_aca=sector == "community" and rng.random() < 0.4,
            neq=f"11{rng.randrange(10**8):08d}" if rng.random() < 0.6 else "",
            mission=MISSIONS[sector].format(place=places[0].name),
            founded_year=rng.randint(1960, 2022),
            rls=rls,
            email=f"info@org{n + 1:05d}.synthetique.example",
            phone=f"(450) 555-{n % 10000:04d}",
            website=f"https://org{n + 1:05d}.synthetique.example/",
            is_public=rng.random() < 0.1,
            archived_at=timezone.now() - timedelta(days=rng.randint(1, 900)) if rng.random() < 0.02 else None,
        )
        return org, places

    def build_funding(self, organizations: list[Organization]) -> int:
        rng, lines = self.rng, []
        for org in organizations:
            if org.sector in ("community", "social_economy"):
                sources = [(s, amount) for s, p, amount in FUNDING_SOURCES if rng.random() < p]
            else:
                sources = [("own_revenue", 80_000)] if rng.random() < 0.2 else []
            for source, typical in sources:
                amount = typical * rng.uniform(0.3, 2.5)
                for year in FUNDING_YEARS:
                    amount *= rng.uniform(0.97, 1.12)
                    lines.append(FundingLine(organization=org, year=year, source=source, amount=Decimal(round(amount))))
        FundingLine.objects.bulk_create(lines, batch_size=BATCH)
        return len(lines)

    # People ---------------------------------------------------------------------------------

    def build_people(self, organizations: list[Organization]) -> tuple[int, int]:
        rng = self.rng
        levels, weights = list(LEVEL_WEIGHTS), list(LEVEL_WEIGHTS.values())
        people, jobs = [], []
        for n in range(self.scale.people):
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            level = rng.choices(levels, weights)[0]
            email = f"{ascii_slug(first)}.{ascii_slug(last)}.{n + 1}@{PEOPLE_DOMAIN}"
            people.append(
                Person(
                    first_name=first,
                    last_name=last,
                    email=email,
                    decision_level=level,
                    position=rng.choice(POSITIONS[level]),
                )
            )
            jobs.append(self._career(rng.choice(organizations)))
        Person.objects.bulk_create(people, batch_size=BATCH)
        affiliations = [
            Affiliation(person=person, organization=org, title=person.position, start_date=start, end_date=end)
            for person, career in zip(people, jobs, strict=True)
            for org, start, end in career
        ]
        Affiliation.objects.bulk_create(affiliations, batch_size=BATCH)
        for affiliation in affiliations:
            self.people_of.setdefault(affiliation.organization.pk, []).append(affiliation.person.pk)
        return len(people), len(affiliations)

    def _career(self, current: Organization) -> list[tuple[Organization, date, date | None]]:
        """A current affiliation, and for some people an earlier one in the same RLS (people move locally)."""
        rng = self.rng
        start = date(2010, 1, 1) + timedelta(days=rng.randrange(15 * 365))
        career = [(current, start, None)]
        if rng.random() < 0.3 and start.year > 2011:
            previous = rng.choice(self.organizations_of[current.rls_id])
            begun = start - timedelta(days=rng.randint(400, 3000))
            career.append((previous, begun, start - timedelta(days=rng.randint(1, 60))))
        return career

    # Accounts -------------------------------------------------------------------------------

    def build_accounts(self, rls_nodes: list[Territory]) -> Territory:
        """bench-coord gets the RLS with the median number of organisations: the common case."""
        User = get_user_model()
        encoded = make_password(BENCH_PASSWORD)  # hashing is slow by design: once for every account
        sizes = dict(
            Organization.objects.filter(rls__in=rls_nodes).values_list("rls").annotate(n=Count("id")).order_by()
        )
        ranked = sorted(rls_nodes, key=lambda r: (sizes.get(r.pk, 0), r.pk))
        median_rls = ranked[len(ranked) // 2]
        role = RoleAssignment.Role
        admin = User(username="bench-admin", is_superuser=True, is_staff=True)
        coord, analyst, rep = User(username="bench-coord"), User(username="bench-analyst"), User(username="bench-rep")
        coordinators = [User(username=f"{RLS_COORDINATOR_PREFIX}{i + 1:03d}") for i in range(len(rls_nodes))]
        users = [admin, coord, analyst, rep, *coordinators]
        for user in users:
            user.password, user.language, user.email = encoded, "fr", f"{user.username}@synthetique.example"
        User.objects.bulk_create(users)
        roles = [
            RoleAssignment(user=coord, role=role.COORDINATOR, rls=median_rls),
            RoleAssignment(user=analyst, role=role.ANALYST, rls=median_rls),
            RoleAssignment(user=rep, role=role.REPRESENTATIVE, organization=self.organizations_of[median_rls.pk][0]),
            *(
                RoleAssignment(user=u, role=role.COORDINATOR, rls=r)
                for u, r in zip(coordinators, rls_nodes, strict=True)
            ),
        ]
        RoleAssignment.objects.bulk_create(roles)
        return median_rls
