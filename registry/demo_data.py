"""The demo network: a fictional RLS modelled on the "Vieillissement en santé" case (domain.md §6–7).

The story a newcomer should read in it:
- a semi-urban territory (one urban centre, rural villages) where over 25 % of the people are 65+;
- the partners redrew it into five territories of belonging (the first social compromise, 2011);
- a public body that convenes the partners: the CSSS until 2015, the CISSS from the 2015 merger, then Santé Québec
  acting through its establishment from 1 December 2024, linked as predecessors and successors (SUCCESSIONS);
  a manager change in 2013;
- community organisations whose funding drifts from mission (PSOC) to programme and service
  agreement money (the complementarist pull, domain.md §1), next to others that stay autonomous;
- people who moved from one organisation to another over the years;
- organisations that keep their own record (they have a representative account): the coordinator's change to the
  popote's record waits for its answer (PENDING_PROPOSAL).

Every name, number, address and e-mail here is invented (".example" domains, 555-01xx phones).
"""

import unicodedata
from dataclasses import dataclass, field

DEMO_PASSWORD = "maillage-demo-2026"  # noqa: S105 (a published demo password, refused in production)
FUNDING_YEARS = (2020, 2021, 2022, 2023, 2024, 2025)
POPULATION_YEARS = (2021, 2024)

PROVINCE = {"name": "Québec", "code": "24", "figures": {2021: (8_501_800, 1_794_000), 2024: (9_030_700, 1_971_200)}}
REGION = {
    "name": "Région des Trois-Versants",
    "description": "Région sociosanitaire fictive, desservie par le CISSS des Trois-Versants.",
    "figures": {2021: (401_200, 92_300), 2024: (412_600, 98_900)},
}
RLS = {
    "name": "RLS du Haut-Bocage",
    "description": "Réseau local de services du Haut-Bocage : une ville-centre et huit municipalités rurales.",
}
MRC = {"name": "MRC du Haut-Bocage", "description": "Municipalité régionale de comté couvrant tout le réseau local."}


@dataclass(frozen=True)
class Municipality:
    key: str
    name: str
    figures: dict[int, tuple[int, int]]  # year -> (population, population aged 65+)
    description: str = ""


MUNICIPALITIES = [
    Municipality(
        "saint-aurele",
        "Saint-Aurèle",
        {2021: (24_120, 5_790), 2024: (24_850, 6_240)},
        "Ville-centre : hôpital, CLSC, services régionaux et la plupart des organismes communautaires.",
    ),
    Municipality("sainte-brigide", "Sainte-Brigide-des-Coteaux", {2021: (2_980, 860), 2024: (2_940, 905)}),
    Municipality("lac-mirette", "Lac-Mirette", {2021: (1_240, 390), 2024: (1_210, 410)}),
    Municipality("notre-dame-des-saules", "Notre-Dame-des-Saules", {2021: (3_460, 930), 2024: (3_520, 985)}),
    Municipality("rivebelle", "Rivebelle", {2021: (1_870, 560), 2024: (1_830, 590)}),
    Municipality("saint-fulbert", "Saint-Fulbert-des-Rangs", {2021: (960, 300), 2024: (930, 315)}),
    Municipality("saint-eloi", "Saint-Éloi-du-Bocage", {2021: (2_110, 590), 2024: (2_090, 625)}),
    Municipality("sainte-aurelie", "Sainte-Aurélie-du-Plateau", {2021: (4_380, 1_080), 2024: (4_460, 1_150)}),
    Municipality("mont-genievre", "Mont-Genièvre", {2021: (1_520, 470), 2024: (1_495, 495)}),
]

# The partners' territories of belonging (kind=community): one urban, four rural.
COMMUNITIES = [
    ("pole-urbain", "Pôle urbain de Saint-Aurèle", ["saint-aurele"], "Le cœur urbain, où se concentrent les services."),
    (
        "coteaux",
        "Les Coteaux",
        ["sainte-brigide", "lac-mirette"],
        "Deux villages agricoles qui partagent l'école, l'épicerie et le comité citoyen.",
    ),
    (
        "vallee-des-saules",
        "Vallée des Saules",
        ["notre-dame-des-saules", "rivebelle"],
        "Les villages de la rivière, reliés par la route 3 et une même paroisse.",
    ),
    (
        "les-rangs",
        "Les Rangs",
        ["saint-fulbert", "saint-eloi"],
        "Territoire de rangs dispersés : l'isolement et le transport sont les enjeux premiers.",
    ),
    (
        "le-plateau",
        "Le Plateau",
        ["sainte-aurelie", "mont-genievre"],
        "Le plateau forestier, tourné vers Sainte-Aurélie pour ses services.",
    ),
]
COMMUNITY_INTRO = (
    "Territoire d'appartenance dessiné par l'assemblée des partenaires en 2011 selon les affinités "
    "(besoins partagés, géographie, alliances naturelles) plutôt que selon les découpages statistiques. "
)


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    sector: str
    mission: str
    serves: list[str]  # territory keys: "rls", "mrc", a municipality key or a community key
    founded: int | None = None
    aca: bool = False
    neq: str = ""
    address: str = ""
    postal_code: str = ""
    public: bool = False
    # (source, funder, one amount per FUNDING_YEARS entry; None for no line that year)
    funding: list[tuple[str, str, list[int | None]]] = field(default_factory=list)
    archived: bool = False

    @property
    def domain(self) -> str:
        return f"{self.key.replace('_', '-')}.hautbocage.example"


PSOC = "Programme de soutien aux organismes communautaires (PSOC) — soutien à la mission globale"
CISSS = "CISSS des Trois-Versants"
QADA = "Programme Québec ami des aînés"
FONDATION = "Fondation communautaire du Haut-Bocage"
FONDS = "Fonds d'entraide des Trois-Versants"
VILLE = "Ville de Saint-Aurèle"
ALL_COMMUNITIES = [c[0] for c in COMMUNITIES]

SANTE_QUEBEC = "Santé Québec — CISSS des Trois-Versants"

ORGANIZATIONS = [
    # Public bodies: the CSSS (2004–2015), the CISSS (2015–2024), Santé Québec's establishment (from 2024-12-01);
    # the CLSC. The CISSS keeps its key and its seats and agreements of the demo: the other apps' loaders name it.
    Org(
        "csss",
        "Centre de santé et de services sociaux (CSSS) du Haut-Bocage",
        "public",
        "Établissement public créé en 2004 par la fusion du CLSC, du centre d'hébergement et de l'hôpital du "
        "territoire ; responsable du réseau local de services du Haut-Bocage. Fusionné en 2015 dans le CISSS des "
        "Trois-Versants.",
        ["rls"],
        2004,
        archived=True,
    ),
    Org(
        "sante_quebec",
        SANTE_QUEBEC,
        "public",
        "Depuis le 1er décembre 2024, Santé Québec exploite le réseau public ; elle agit dans la région par son "
        "établissement, le CISSS des Trois-Versants, qui a pris la suite de l'ancien CISSS.",
        ["rls"],
        2024,
        address="1200, boulevard des Érables, Saint-Aurèle",
        postal_code="J9A 4B1",
    ),
    Org(
        "cisss",
        "CISSS des Trois-Versants — Réseau local du Haut-Bocage",
        "public",
        "Établissement public responsable du réseau local de services du Haut-Bocage. Il convie les partenaires, "
        "soutient la concertation locale et offre les services de première ligne : soutien à l'autonomie des "
        "personnes âgées (SAPA), santé mentale, jeunesse et santé publique.",
        ["rls"],
        2015,
        address="1200, boulevard des Érables, Saint-Aurèle",
        postal_code="J9A 4B1",
        public=True,
    ),
    Org(
        "clsc",
        "CLSC du Haut-Bocage",
        "public",
        "Point de service du CISSS : accueil psychosocial, soutien à domicile, soins infirmiers et organisation "
        "communautaire. Porte d'entrée des services de proximité pour les cinq communautés du territoire.",
        ["rls", *ALL_COMMUNITIES],
        1974,
        address="45, rue de l'Hôtel-de-Ville, Saint-Aurèle",
        postal_code="J9A 2C7",
    ),
    # Community organisations.
    Org(
        "cab",
        "Centre d'action bénévole du Haut-Bocage",
        "community",
        "Promouvoir l'action bénévole et soutenir les personnes aînées et les proches aidants : accompagnement-"
        "transport médical, appels d'amitié, aide aux formulaires, soutien aux bénévoles des cinq communautés.",
        ALL_COMMUNITIES,
        1979,
        aca=True,
        neq="1143852706",
        address="310, rue Principale, Saint-Aurèle",
        postal_code="J9A 1R3",
        public=True,
        funding=[
            ("psoc_mission", PSOC, [112_000, 114_500, 117_000, 119_500, 122_000, 124_000]),
            ("programme", QADA, [18_000, 24_000, 41_000, 56_000, 68_000, 85_000]),
            (
                "service_agreement",
                f"{CISSS} — accompagnement-transport médical",
                [None, None, 22_000, 31_000, 38_000, 45_000],
            ),
            ("own_revenue", "Campagne de financement annuelle", [9_000, 7_500, 10_000, 11_000, 11_500, 12_000]),
        ],
    ),
    Org(
        "popote",
        "Popote roulante du Haut-Bocage",
        "community",
        "Préparer et livrer des repas chauds et surgelés, à coût modique, aux personnes aînées et aux personnes "
        "en perte d'autonomie. Les bénévoles-livreurs assurent aussi une présence et une vigie à chaque visite.",
        ["pole-urbain", "coteaux", "vallee-des-saules"],
        1986,
        neq="1162047385",
        address="18, rue des Ormes, Saint-Aurèle",
        postal_code="J9A 3K2",
        public=True,
        funding=[
            ("psoc_mission", PSOC, [48_000, 48_500, 49_500, 50_000, 50_500, 51_000]),
            (
                "service_agreement",
                f"{CISSS} — repas du soutien à domicile",
                [None, 26_000, 58_000, 94_000, 121_000, 143_000],
            ),
            ("municipal", VILLE, [5_000, 5_000, 5_000, 5_000, 5_000, 5_000]),
            ("own_revenue", "Vente des repas", [31_000, 33_000, 36_000, 39_000, 41_000, 44_000]),
        ],
    ),
    Org(
        "aines",
        "Association des aînés actifs de Saint-Aurèle",
        "community",
        "Briser l'isolement et défendre les intérêts des personnes aînées : activités physiques et sociales, "
        "conférences, représentation auprès de la ville dans la démarche Municipalité amie des aînés.",
        ["pole-urbain"],
        1972,
        aca=True,
        neq="1171938264",
        address="75, rue Saint-Jacques, Saint-Aurèle",
        postal_code="J9A 1T8",
        funding=[
            ("psoc_mission", PSOC, [34_000, 34_500, 35_500, 36_000, 37_000, 37_500]),
            ("programme", QADA, [None, 12_000, 15_000, None, 18_000, None]),
            ("own_revenue", "Cotisations des membres", [8_000, 6_500, 7_800, 8_200, 8_600, 8_900]),
        ],
    ),
    Org(
        "famille",
        "Maison de la famille du Haut-Bocage",
        "community",
        "Lieu d'accueil, d'entraide et d'éducation populaire pour les familles : haltes-garderies, ateliers "
        "parents-enfants et soutien aux grands-parents qui prennent soin de leurs petits-enfants.",
        ALL_COMMUNITIES,
        1991,
        aca=True,
        neq="1148305927",
        address="220, avenue des Pins, Saint-Aurèle",
        postal_code="J9A 2M5",
        public=True,
        funding=[
            ("psoc_mission", PSOC, [182_000, 186_000, 191_000, 196_000, 201_000, 206_000]),
            (
                "programme",
                "Ministère de la Famille — haltes-garderies",
                [24_000, 24_000, 25_500, 26_000, 26_500, 27_000],
            ),
            ("philanthropic", FONDATION, [15_000, 15_000, 18_000, 18_000, 20_000, 20_000]),
        ],
    ),
    Org(
        "banque",
        "Banque alimentaire Le Grenier partagé",
        "community",
        "Récupérer et redistribuer les denrées aux personnes et aux familles à faible revenu ; épicerie solidaire "
        "et dépannage d'urgence dans les villages.",
        ["rls"],
        1995,
        neq="1157720364",
        address="5, rue du Moulin, Saint-Aurèle",
        postal_code="J9A 3P9",
        public=True,
        funding=[
            ("psoc_mission", PSOC, [58_000, 59_000, 60_500, 61_500, 63_000, 64_000]),
            ("philanthropic", FONDS, [52_000, 48_000, 41_000, 43_000, 45_000, 47_000]),
            ("municipal", VILLE, [10_000, 10_000, 10_000, 12_000, 12_000, 12_000]),
            ("own_revenue", "Épicerie solidaire", [14_000, 15_000, 17_000, 19_000, 20_000, 22_000]),
        ],
    ),
    Org(
        "femmes",
        "Centre de femmes L'Éclaircie",
        "community",
        "Lieu d'appartenance, d'éducation et d'action pour les femmes : écoute, ateliers, lutte contre la "
        "violence et la pauvreté, défense collective des droits.",
        ["rls"],
        1984,
        aca=True,
        neq="1140593318",
        address="62, rue Notre-Dame, Saint-Aurèle",
        postal_code="J9A 1B6",
        funding=[("psoc_mission", PSOC, [238_000, 242_000, 247_000, 252_000, 257_000, 262_000])],
    ),
    Org(
        "mdj",
        "Maison des jeunes Le Tremplin",
        "community",
        "Lieu de rencontre animé où les jeunes de 12 à 17 ans deviennent des citoyens critiques, actifs et "
        "responsables, accompagnés par des adultes significatifs.",
        ["pole-urbain", "le-plateau"],
        1988,
        aca=True,
        neq="1169384021",
        funding=[
            ("psoc_mission", PSOC, [148_000, 151_000, 154_000, 157_000, 160_000, 163_000]),
            ("municipal", VILLE, [12_000, 12_000, 12_000, 12_500, 12_500, 13_000]),
        ],
    ),
    Org(
        "proches",
        "Association des proches aidants du Haut-Bocage",
        "community",
        "Soutenir les proches aidants d'aînés : groupes de soutien, formations, répit à domicile et information "
        "sur les ressources du territoire.",
        ALL_COMMUNITIES,
        2004,
        aca=True,
        neq="1172849530",
        funding=[
            ("psoc_mission", PSOC, [62_000, 63_000, 64_000, 65_000, 66_000, 67_000]),
            ("programme", "Programme de répit aux proches aidants", [40_000, 48_000, 61_000, 74_000, 86_000, 95_000]),
            ("service_agreement", f"{CISSS} — répit à domicile", [None, None, None, 18_000, 27_000, 36_000]),
        ],
    ),
    Org(
        "cdc",
        "Corporation de développement communautaire du Haut-Bocage",
        "community",
        "Regrouper les organismes communautaires du territoire, favoriser leur participation au développement "
        "local et porter leur voix dans les concertations, dont l'assemblée des partenaires « Vieillir en santé ».",
        ["rls"],
        1997,
        aca=True,
        neq="1150382947",
        address="310, rue Principale, bureau 4, Saint-Aurèle",
        postal_code="J9A 1R3",
        funding=[
            ("other", "Soutien à la mission des corporations de développement communautaire", [85_000] * 6),
            ("philanthropic", FONDS, [10_000, 10_000, 12_000, 12_000, 12_000, 15_000]),
        ],
    ),
    Org(
        "transport",
        "Transport bénévole des Rangs",
        "community",
        "Offrir du transport-accompagnement par des conducteurs bénévoles aux personnes aînées des rangs et des "
        "villages, vers les rendez-vous médicaux et les services de la ville-centre.",
        ["les-rangs", "le-plateau"],
        2002,
        neq="1163928475",
        funding=[
            ("psoc_mission", PSOC, [15_000, 15_000, 15_500, 15_500, 16_000, 16_000]),
            ("service_agreement", f"{CISSS} — transport médical", [None, None, 12_000, 25_000, 34_000, 42_000]),
            ("municipal", "MRC du Haut-Bocage", [8_000, 8_000, 8_000, 8_500, 8_500, 9_000]),
        ],
    ),
    Org(
        "entraide",
        "Centre d'entraide des Coteaux",
        "community",
        "Dépannage alimentaire, comptoir vestimentaire et cafés-rencontres pour les résidants de "
        "Sainte-Brigide-des-Coteaux et de Lac-Mirette.",
        ["coteaux"],
        1993,
        funding=[
            ("psoc_mission", PSOC, [28_000, 28_500, 29_000, 29_500, 30_000, 30_500]),
            ("own_revenue", "Comptoir vestimentaire", [6_000, 4_000, 6_500, 7_000, 7_200, 7_500]),
        ],
    ),
    Org(
        "cuisines",
        "Cuisines collectives du Plateau",
        "community",
        "Cuisiner ensemble pour mieux se nourrir à petit prix, créer des liens et reprendre du pouvoir sur son "
        "alimentation.",
        ["le-plateau"],
        2006,
        aca=True,
        funding=[
            ("psoc_mission", PSOC, [22_000, 22_500, 23_000, 23_500, 24_000, 24_500]),
            ("philanthropic", FONDATION, [5_000, 6_000, 6_000, 7_000, 7_000, 8_000]),
        ],
    ),
    Org(
        "handicap",
        "Regroupement des personnes handicapées du Haut-Bocage",
        "community",
        "Défendre les droits des personnes ayant une incapacité et de leurs proches, et offrir des loisirs adaptés.",
        ["rls"],
        1983,
        aca=True,
        neq="1146628310",
        funding=[("psoc_mission", PSOC, [96_000, 98_000, 100_000, 102_000, 104_000, 106_000])],
    ),
    Org(
        "ecoute",
        "Centre d'écoute et de prévention du suicide du Haut-Bocage",
        "community",
        "Écoute téléphonique, intervention de crise et formation des sentinelles en prévention du suicide.",
        ["rls"],
        1990,
        funding=[
            ("psoc_mission", PSOC, [175_000, 178_000, 182_000, 186_000, 190_000, 194_000]),
            ("service_agreement", f"{CISSS} — ligne de nuit", [None, None, None, None, 35_000, 48_000]),
        ],
    ),
    Org(
        "hebergement",
        "Maison d'hébergement La Traversée",
        "community",
        "Hébergement et accompagnement des femmes victimes de violence conjugale et de leurs enfants.",
        ["rls"],
        1981,
        aca=True,
        funding=[("psoc_mission", PSOC, [690_000, 705_000, 720_000, 760_000, 790_000, 812_000])],
    ),
    Org(
        "travail_rue",
        "Travail de rue Le Relais",
        "community",
        "Aller à la rencontre des jeunes et des adultes là où ils sont, créer un lien de confiance et les "
        "accompagner vers les ressources.",
        ["pole-urbain"],
        2009,
        funding=[
            ("psoc_mission", PSOC, [72_000, 73_000, 74_500, 76_000, 77_500, 79_000]),
            ("programme", "Programme de prévention en santé publique", [30_000, 30_000, 35_000, 35_000, None, None]),
        ],
    ),
    Org(
        "cje",
        "Carrefour jeunesse-emploi du Haut-Bocage",
        "community",
        "Accompagner les 16 à 35 ans dans leur insertion sociale et professionnelle : emploi, retour aux études, "
        "entrepreneuriat.",
        ["rls"],
        1998,
        funding=[("programme", "Services publics d'emploi", [410_000, 425_000, 430_000, 440_000, 455_000, 460_000])],
    ),
    Org(
        "defense",
        "Comité de défense des droits des aînés du Haut-Bocage",
        "community",
        "Informer les personnes aînées de leurs droits, les accompagner dans leurs démarches et porter leurs "
        "revendications collectives (logement, revenu, maltraitance).",
        ["rls"],
        2012,
        aca=True,
        funding=[("psoc_mission", PSOC, [26_000, 26_500, 27_000, 27_500, 28_000, 28_500])],
    ),
    Org(
        "havre",
        "OSBL d'habitation Le Havre des Saules",
        "community",
        "Vingt-quatre logements communautaires abordables pour aînés autonomes à Notre-Dame-des-Saules, avec "
        "une intervenante de milieu.",
        ["vallee-des-saules"],
        2016,
        neq="1175502846",
        funding=[
            ("own_revenue", "Loyers", [168_000, 171_000, 175_000, 180_000, 186_000, 192_000]),
            ("programme", "Programme de soutien communautaire en logement social", [18_000] * 6),
        ],
    ),
    Org(
        "club",
        "Club de l'âge d'or de Rivebelle",
        "community",
        "Soirées de cartes, danses et voyages pour les aînés de Rivebelle. Dissous en 2023 faute de relève.",
        ["vallee-des-saules"],
        1971,
        funding=[("own_revenue", "Cotisations et activités", [4_000, 1_500, 2_500, 2_000, None, None])],
        archived=True,
    ),
    Org(
        "table",
        "Table de concertation des aînés du Haut-Bocage",
        "other",
        "Lieu de concertation intersectorielle sur les conditions de vie des aînés (organismes communautaires, "
        "CISSS, municipalités, résidences privées). Elle a porté la démarche « Vieillir en santé » avec "
        "l'assemblée des partenaires.",
        ["rls"],
        2003,
        funding=[("programme", QADA, [None, 20_000, 20_000, 25_000, 25_000, 25_000])],
    ),
    # Municipal: the MRC and the nine municipalities (added below from MUNICIPALITIES).
    Org(
        "mrc",
        "MRC du Haut-Bocage",
        "municipal",
        "Municipalité régionale de comté : aménagement du territoire, développement rural et transport "
        "collectif régional ; partenaire de la politique régionale des aînés.",
        ["mrc"],
        1982,
        address="900, route 3, Saint-Aurèle",
        postal_code="J9A 5A1",
    ),
    # Private sector.
    Org(
        "rpa",
        "Résidence Les Jardins du Bocage",
        "private",
        "Résidence privée pour aînés de 180 unités à Saint-Aurèle : logements avec services, repas, surveillance "
        "et soins d'assistance personnelle.",
        ["pole-urbain"],
        2008,
        funding=[
            ("own_revenue", "Loyers et services", [4_900_000, 5_050_000, 5_300_000, 5_600_000, 5_850_000, 6_100_000])
        ],
    ),
    Org(
        "assureur",
        "Mutuelle La Prévoyance rurale",
        "private",
        "Mutuelle d'assurance de dommages enracinée dans le milieu rural ; elle commandite la prévention des "
        "chutes et la sécurité à domicile des aînés.",
        ["mrc"],
        1911,
    ),
    Org(
        "gmf",
        "Clinique médicale du Bocage (GMF)",
        "private",
        "Groupe de médecine de famille : suivi des patients inscrits, sans rendez-vous, infirmière en soins aux aînés.",
        ["pole-urbain", "le-plateau"],
        2011,
    ),
    # Education.
    Org(
        "css",
        "Centre de services scolaire des Trois-Versants",
        "education",
        "Écoles primaires et secondaires, formation professionnelle et éducation des adultes ; partenaire des "
        "projets intergénérationnels du territoire.",
        ["rls"],
        2020,
    ),
    # Social economy.
    Org(
        "eesad",
        "Coopérative de solidarité Aide à domicile du Haut-Bocage",
        "social_economy",
        "Entreprise d'économie sociale en aide à domicile : entretien ménager, préparation de repas et assistance "
        "personnelle pour les aînés, avec le programme d'exonération financière.",
        ["rls"],
        1998,
        neq="1145503827",
        funding=[
            (
                "programme",
                "Programme d'exonération financière pour les services d'aide domestique",
                [310_000, 325_000, 342_000, 360_000, 375_000, 390_000],
            ),
            (
                "service_agreement",
                f"{CISSS} — assistance personnelle",
                [60_000, 95_000, 140_000, 185_000, 230_000, 262_000],
            ),
            ("own_revenue", "Facturation aux usagers", [280_000, 290_000, 300_000, 315_000, 330_000, 345_000]),
        ],
    ),
    Org(
        "friperie",
        "Friperie solidaire La Seconde Main",
        "social_economy",
        "Entreprise d'insertion : vêtements et meubles usagés à bas prix, formation en emploi pour des adultes "
        "éloignés du marché du travail.",
        ["pole-urbain"],
        2013,
        funding=[("own_revenue", "Ventes", [120_000, 98_000, 131_000, 142_000, 150_000, 156_000])],
    ),
    # Philanthropy.
    Org(
        "fondation",
        "Fondation communautaire du Haut-Bocage",
        "philanthropy",
        "Fonds de dotation local qui soutient les projets communautaires du territoire, en priorité ceux qui "
        "rejoignent les aînés isolés et les familles.",
        ["rls"],
        1999,
        public=True,
        funding=[
            ("own_revenue", "Rendement du fonds de dotation", [210_000, 190_000, 240_000, 225_000, 250_000, 260_000])
        ],
    ),
    Org(
        "fonds",
        "Fonds d'entraide des Trois-Versants",
        "philanthropy",
        "Collecte annuelle de dons en milieu de travail et soutien pluriannuel aux organismes de la région.",
        ["rls"],
        1975,
    ),
    # Government.
    Org(
        "police",
        "Poste de police de la MRC du Haut-Bocage",
        "government",
        "Sécurité publique ; policiers-parrains des municipalités et prévention de la maltraitance envers les aînés.",
        ["mrc"],
    ),
    Org(
        "emploi",
        "Bureau local d'emploi de Saint-Aurèle",
        "government",
        "Services publics d'emploi et de solidarité sociale pour les résidants du territoire.",
        ["rls"],
    ),
    # Citizen groups.
    Org(
        "vivre_coteaux",
        "Comité citoyen Vivre et vieillir aux Coteaux",
        "citizen_group",
        "Des citoyennes et citoyens qui veulent que les aînés des Coteaux puissent vieillir chez eux : transport, "
        "logement adapté, épicerie de village.",
        ["coteaux"],
        2011,
        funding=[("philanthropic", FONDATION, [3_000, None, 4_000, 4_000, 5_000, 5_000])],
    ),
    Org(
        "rangs",
        "Collectif citoyen des Rangs",
        "citizen_group",
        "Collectif né au comité d'action locale des Rangs : briser l'isolement dans les rangs par l'entraide entre "
        "voisins.",
        ["les-rangs"],
        2014,
    ),
]


def municipal_organizations() -> list[Org]:
    """One municipal organisation per municipality (the town hall), serving its own territory."""
    community_of = {m: c[1] for c in COMMUNITIES for m in c[2]}
    orgs = []
    for m in MUNICIPALITIES:
        if m.key == "saint-aurele":
            name = "Ville de Saint-Aurèle"
            mission = (
                "Ville-centre du territoire : loisirs, habitation, sécurité civile ; démarche Municipalité amie "
                "des aînés (MADA) et politique de la famille."
            )
        else:
            name = f"Municipalité de {m.name}"
            mission = (
                f"Municipalité rurale de la communauté « {community_of[m.key]} » : services de proximité, loisirs "
                "et vie communautaire ; partenaire du comité d'action locale."
            )
        orgs.append(Org(f"muni_{m.key}", name, "municipal", mission, [m.key]))
    return orgs


ALL_ORGANIZATIONS = ORGANIZATIONS + municipal_organizations()

# Mergers and replacements (predecessor name, successor name, kind, date). Some predecessors are the historical
# organisations of concertation/demo_data.py, named here as text: link_successions links those present.
AGENCE = "Agence de la santé et des services sociaux des Trois-Versants"
SUCCESSIONS = [
    ("Centre de santé et de services sociaux (CSSS) du Haut-Bocage",
     "CISSS des Trois-Versants — Réseau local du Haut-Bocage", "merger", "2015-04-01"),
    (AGENCE, "CISSS des Trois-Versants — Réseau local du Haut-Bocage", "merger", "2015-04-01"),
    ("CISSS des Trois-Versants — Réseau local du Haut-Bocage", SANTE_QUEBEC, "replacement", "2024-12-01"),
    ("Centre local de développement (CLD) du Haut-Bocage", "MRC du Haut-Bocage", "replacement", "2015-04-21"),
    ("Conférence régionale des élus des Trois-Versants", "MRC du Haut-Bocage", "replacement", "2015-04-21"),
    ("Commission scolaire des Trois-Versants", "Centre de services scolaire des Trois-Versants", "replacement",
     "2020-06-15"),
]  # fmt: skip

# The coordinator heard at the seniors' table that the popote now delivers on the Plateau too, and proposes the
# change to its record; the popote has not answered yet.
PENDING_PROPOSAL = {"organization": "popote", "by": "coordination", "add_served": "le-plateau"}


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    decision_level: str
    position: str
    # (organisation key, title, start "YYYY-MM-DD", end or None); the last one gives the e-mail domain.
    affiliations: list[tuple[str, str, str, str | None]]


P = Person
PEOPLE = [
    # The CISSS: a manager change in 2013 (domain.md §6), an organiser who came from the community.
    P("Geneviève", "Lapointe", "manager", "Coordonnatrice de la concertation du réseau local",
      [("cisss", "Coordonnatrice de la concertation", "2014-09-02", None)]),
    P("Isabelle", "Gagné", "manager", "Directrice du programme SAPA",
      [("cisss", "Directrice du programme Soutien à l'autonomie des personnes âgées", "2013-07-02", None)]),
    P("Sylvie", "Bergeron", "staff", "Organisatrice communautaire",
      [("cdc", "Agente de liaison", "2007-09-04", "2012-08-31"),
       ("cisss", "Organisatrice communautaire", "2012-09-04", None)]),
    P("Karim", "Haddad", "staff", "Agent de planification, de programmation et de recherche",
      [("cisss", "Agent de planification, de programmation et de recherche", "2018-01-08", None)]),
    P("Annie", "Roussel", "staff", "Agente de liaison — ententes de services",
      [("popote", "Directrice générale", "2008-03-03", "2016-06-30"),
       ("cisss", "Agente de liaison — ententes de services", "2016-09-06", None)]),
    P("Julie", "Ouellet", "manager", "Cheffe de service — soutien à domicile",
      [("clsc", "Cheffe de service — soutien à domicile", "2016-04-04", None)]),
    P("Patrick", "Nadeau", "staff", "Travailleur social — soutien à domicile",
      [("clsc", "Travailleur social", "2015-08-17", None)]),
    P("Mélanie", "Caron", "staff", "Infirmière clinicienne — équipe SAPA",
      [("clsc", "Infirmière clinicienne", "2019-02-11", None)]),
    P("Marc-André", "Pelletier", "executive", "Directeur général",
      [("cisss", "Directeur du programme SAPA", "2009-04-01", "2013-06-28"),
       ("fondation", "Directeur général", "2014-01-13", None)]),
    # The CSSS's programme managers who sat on the partners' assembly in the years of the turn (2011–2015):
    # those of the founding years, then those the new SAPA direction brought in 2013.
    P("Stéphanie", "Dufresne", "manager", "Cheffe de service — soutien à domicile (retraitée)",
      [("clsc", "Cheffe de service — soutien à domicile", "2006-09-05", "2016-03-31")]),
    P("Martin", "Lavallée", "manager", "Chef des services psychosociaux",
      [("clsc", "Chef des services psychosociaux", "2009-01-12", None)]),
    P("Marie-Josée", "Plante", "manager", "Cheffe de programme — santé mentale",
      [("clsc", "Cheffe de programme — santé mentale", "2010-03-01", "2018-06-29")]),
    P("Alain", "Vézina", "manager", "Chef de l'organisation communautaire",
      [("cisss", "Chef de l'organisation communautaire", "2005-04-04", "2017-12-22")]),
    P("Nancy", "Poulin", "manager", "Cheffe de programme — santé publique",
      [("cisss", "Cheffe de programme — santé publique", "2010-08-16", None)]),
    P("Claude", "Arsenault", "staff", "Agent de planification — santé publique",
      [("cisss", "Agent de planification — santé publique", "2008-02-04", None)]),
    P("Jacinthe", "Morissette", "manager", "Conseillère-cadre — programme SAPA",
      [("cisss", "Conseillère-cadre — programme SAPA", "2013-09-03", None)]),
    P("Hugo", "Lambert", "manager", "Directeur adjoint — programme SAPA",
      [("cisss", "Directeur adjoint — programme SAPA", "2013-08-19", "2019-10-04")]),
    P("François", "Leblanc", "citizen", "Citoyen engagé, ancien organisateur communautaire",
      [("cisss", "Organisateur communautaire", "2010-01-11", "2019-12-20"),
       ("rangs", "Membre du collectif", "2020-03-01", None)]),
    # Centre d'action bénévole.
    P("Louise", "Gauthier", "executive", "Directrice générale",
      [("cab", "Directrice générale", "2011-03-01", None)]),
    P("Hélène", "Morin", "staff", "Coordonnatrice des bénévoles",
      [("cab", "Coordonnatrice des bénévoles", "2016-08-22", None)]),
    P("Robert", "Dion", "executive", "Président du conseil d'administration",
      [("cab", "Président du conseil d'administration", "2017-06-15", None)]),
    P("Ginette", "Paquette", "volunteer", "Bénévole — accompagnement-transport",
      [("cab", "Bénévole — accompagnement-transport", "2014-10-01", None)]),
    # Popote roulante.
    P("Nathalie", "Fortin", "executive", "Directrice générale",
      [("cab", "Coordonnatrice des services aux aînés", "2010-05-03", "2016-06-30"),
       ("popote", "Directrice générale", "2016-07-04", None)]),
    P("Claudette", "Bélanger", "staff", "Cuisinière en chef", [("popote", "Cuisinière en chef", "2009-09-08", None)]),
    P("Denis", "Lavoie", "volunteer", "Bénévole-livreur", [("popote", "Bénévole-livreur", "2012-01-16", None)]),
    P("Yves", "Thibault", "executive", "Président du conseil d'administration",
      [("popote", "Président du conseil d'administration", "2019-06-12", None)]),
    # Seniors' association, family centre, food bank, women's centre, youth centre.
    P("Jean-Guy", "Côté", "executive", "Président",
      [("muni_lac-mirette", "Maire", "2009-11-15", "2017-11-05"), ("aines", "Président", "2018-05-10", None)]),
    P("Pierrette", "Lachance", "volunteer", "Secrétaire du conseil d'administration",
      [("aines", "Secrétaire du conseil d'administration", "2015-05-14", None)]),
    P("Monique", "Savard", "staff", "Animatrice de la vie associative",
      [("aines", "Animatrice de la vie associative", "2020-09-08", None)]),
    P("Catherine", "Boucher", "executive", "Directrice générale",
      [("famille", "Directrice générale", "2005-02-07", None)]),
    P("Émilie", "Poirier", "staff", "Intervenante familiale",
      [("famille", "Intervenante familiale", "2018-03-19", None)]),
    P("Vincent", "Girard", "staff", "Animateur — ateliers parents-enfants",
      [("famille", "Animateur", "2021-01-11", None)]),
    P("Stéphane", "Martel", "executive", "Coordonnateur général",
      [("banque", "Coordonnateur général", "2014-04-07", None)]),
    P("Lise", "Champagne", "volunteer", "Bénévole — tri des denrées", [("banque", "Bénévole", "2016-10-03", None)]),
    P("Marie-Claude", "Tremblay", "executive", "Coordonnatrice", [("femmes", "Coordonnatrice", "2012-06-04", None)]),
    P("Audrey", "Lemieux", "staff", "Intervenante", [("femmes", "Intervenante", "2019-08-26", None)]),
    P("Maxime", "Bouchard", "executive", "Coordonnateur",
      [("travail_rue", "Travailleur de rue", "2010-05-17", "2017-03-31"),
       ("mdj", "Coordonnateur", "2017-04-03", None)]),
    P("Sarah", "Giroux", "staff", "Animatrice-intervenante", [("mdj", "Animatrice-intervenante", "2022-08-29", None)]),
    # Caregivers, CDC, transport, mutual aid, collective kitchens.
    P("Johanne", "Beaulieu", "executive", "Directrice", [("proches", "Directrice", "2008-01-14", None)]),
    P("Pierre", "Deschênes", "staff", "Intervenant — répit", [("proches", "Intervenant — répit", "2020-02-03", None)]),
    P("Guylaine", "Mercier", "citizen", "Proche aidante, représentante des usagers",
      [("proches", "Membre du comité des usagers", "2019-09-16", None)]),
    P("Chantal", "Lefebvre", "executive", "Coordonnatrice", [("cdc", "Coordonnatrice", "2013-01-07", None)]),
    P("Réjean", "Fournier", "executive", "Directeur",
      [("entraide", "Directeur", "2001-09-04", None),
       ("cdc", "Président du conseil d'administration", "2019-06-20", None)]),
    P("Solange", "Dufour", "volunteer", "Bénévole — comptoir vestimentaire",
      [("entraide", "Bénévole — comptoir vestimentaire", "2013-04-02", None)]),
    P("Diane", "Pelletier", "executive", "Coordonnatrice", [("transport", "Coordonnatrice", "2011-02-14", None)]),
    P("Gaétan", "Roy", "volunteer", "Conducteur bénévole", [("transport", "Conducteur bénévole", "2015-05-04", None)]),
    P("Nadia", "Benali", "executive", "Coordonnatrice", [("cuisines", "Coordonnatrice", "2015-09-14", None)]),
    P("Luc", "Desrosiers", "executive", "Directeur général", [("handicap", "Directeur général", "2010-03-22", None)]),
    P("Valérie", "Marchand", "executive", "Directrice", [("ecoute", "Directrice", "2016-11-07", None)]),
    P("Guy", "Lacroix", "volunteer", "Écoutant bénévole", [("ecoute", "Écoutant bénévole", "2018-02-05", None)]),
    P("Josée", "Cloutier", "executive", "Directrice", [("hebergement", "Directrice", "2003-05-12", None)]),
    P("Karine", "Simard", "executive", "Coordonnatrice", [("travail_rue", "Coordonnatrice", "2009-08-31", None)]),
    P("Olivier", "Gendron", "staff", "Travailleur de rue", [("travail_rue", "Travailleur de rue", "2017-05-01", None)]),
    P("Alexandre", "Côté-Pilon", "executive", "Directeur général", [("cje", "Directeur général", "2014-06-02", None)]),
    P("Jessica", "Bernier", "staff", "Conseillère en emploi",
      [("mdj", "Animatrice", "2016-01-11", "2020-01-31"), ("cje", "Conseillère en emploi", "2020-02-17", None)]),
    P("Raymond", "Giguère", "volunteer", "Président", [("defense", "Président", "2012-10-01", None)]),
    P("Thérèse", "Lapierre", "volunteer", "Présidente (jusqu'à la dissolution du club)",
      [("club", "Présidente", "2010-09-01", "2023-06-30")]),
    P("Michel", "Lévesque", "executive", "Directeur", [("havre", "Directeur", "2016-03-01", None)]),
    P("Francine", "Roberge", "manager", "Coordonnatrice de la Table",
      [("table", "Coordonnatrice", "2015-01-19", None)]),
    # Municipal: mayors, the prefect, municipal staff.
    P("Andrée", "Beaudoin", "executive", "Mairesse", [("muni_saint-aurele", "Mairesse", "2017-11-12", None)]),
    P("Benoît", "Carrier", "executive", "Conseiller municipal responsable des aînés (MADA)",
      [("muni_saint-aurele", "Conseiller municipal responsable des aînés", "2013-11-10", None)]),
    P("Nicole", "Hamel", "manager", "Directrice du Service des loisirs et de la vie communautaire",
      [("muni_saint-aurele", "Directrice du Service des loisirs", "2011-04-18", None)]),
    P("Serge", "Paradis", "executive", "Préfet de la MRC",
      [("muni_saint-fulbert", "Maire", "2013-11-10", None), ("mrc", "Préfet", "2021-11-21", None)]),
    P("Caroline", "Dubé", "executive", "Directrice générale", [("mrc", "Directrice générale", "2016-02-01", None)]),
    P("Mathieu", "Gosselin", "staff", "Agent de développement rural",
      [("mrc", "Agent de développement rural", "2018-05-07", None)]),
    P("Lucie", "Harvey", "executive", "Mairesse", [("muni_lac-mirette", "Mairesse", "2017-11-05", None)]),
    P("Daniel", "Bérubé", "executive", "Maire", [("muni_sainte-brigide", "Maire", "2021-11-07", None)]),
    P("Jocelyne", "Vachon", "executive", "Mairesse", [("muni_notre-dame-des-saules", "Mairesse", "2013-11-03", None)]),
    P("André", "Boivin", "executive", "Maire", [("muni_rivebelle", "Maire", "2017-11-05", None)]),
    P("Sophie", "Labbé", "manager", "Directrice générale",
      [("muni_saint-eloi", "Directrice générale et greffière-trésorière", "2019-03-04", None)]),
    P("Richard", "Gauvin", "executive", "Maire", [("muni_sainte-aurelie", "Maire", "2021-11-07", None)]),
    P("Manon", "Perron", "executive", "Mairesse", [("muni_mont-genievre", "Mairesse", "2017-11-05", None)]),
    # Private sector, education, social economy, philanthropy, government.
    P("Éric", "Lamontagne", "executive", "Propriétaire-directeur",
      [("rpa", "Propriétaire-directeur", "2008-06-01", None)]),
    P("Karine", "Duval", "manager", "Responsable des soins",
      [("clsc", "Infirmière auxiliaire", "2012-08-20", "2019-04-12"),
       ("rpa", "Responsable des soins", "2019-04-29", None)]),
    P("Philippe", "Rioux", "manager", "Directeur régional — prévention",
      [("assureur", "Directeur régional — prévention", "2015-01-12", None)]),
    P("Anne-Marie", "Giasson", "executive", "Médecin responsable du GMF",
      [("gmf", "Médecin responsable", "2011-09-01", None)]),
    P("Martin", "Pelchat", "manager", "Directeur des services éducatifs",
      [("css", "Directeur des services éducatifs", "2020-07-01", None)]),
    P("Élise", "Turcotte", "staff", "Conseillère pédagogique — projets intergénérationnels",
      [("css", "Conseillère pédagogique", "2021-08-23", None)]),
    P("Sébastien", "Cormier", "executive", "Directeur général", [("eesad", "Directeur général", "2012-04-10", None)]),
    P("Linda", "Gagnon", "staff", "Préposée d'aide à domicile",
      [("eesad", "Préposée d'aide à domicile", "2017-10-02", None)]),
    P("Marie-Ève", "Laroche", "executive", "Directrice", [("friperie", "Directrice", "2013-03-18", None)]),
    P("Jacques", "Trudel", "executive", "Président du conseil",
      [("fondation", "Président du conseil", "2016-05-25", None)]),
    P("Claire", "Beauchemin", "executive", "Directrice générale",
      [("fonds", "Directrice générale", "2018-09-10", None)]),
    P("Frédéric", "Blais", "staff", "Policier-parrain — aînés", [("police", "Policier-parrain", "2019-01-14", None)]),
    P("Ginette", "Lemay", "manager", "Directrice du bureau local", [("emploi", "Directrice", "2018-04-03", None)]),
    # Engaged citizens.
    P("Rolande", "Veilleux", "citizen", "Porte-parole", [("vivre_coteaux", "Porte-parole", "2011-10-12", None)]),
    P("Henri", "Bouchard", "citizen", "Membre fondateur (retiré)",
      [("vivre_coteaux", "Membre fondateur", "2011-10-12", "2019-06-30")]),
    P("Aline", "Pépin", "citizen", "Citoyenne engagée — comité d'action locale des Rangs",
      [("rangs", "Membre", "2014-03-20", None)]),
    P("Lucien", "Morneau", "citizen", "Citoyen, représentant des aînés au comité de coordination",
      [("vivre_coteaux", "Délégué au comité de coordination", "2013-02-01", None)]),
]  # fmt: skip


@dataclass(frozen=True)
class Account:
    username: str
    first_name: str
    last_name: str
    label: str  # the role as shown in the printed table
    role: str = ""  # RoleAssignment.Role value; empty for the superuser
    organization: str = ""  # organisation key for representatives


ACCOUNTS = [
    Account("admin", "Camille", "Roy", "Administratrice de la plateforme"),
    Account("coordination", "Geneviève", "Lapointe", "Coordonnatrice du réseau", "coordinator"),
    Account("analyste", "Karim", "Haddad", "Analyste du réseau", "analyst"),
    Account("popote", "Nathalie", "Fortin", "Représentante d'organisme", "representative", "popote"),
    Account("cab", "Louise", "Gauthier", "Représentante d'organisme", "representative", "cab"),
]


# E-mail addresses of the invented people (load_demo, and the concertation and agreements demo data) -----------


def ascii_slug(text: str) -> str:
    """ "Geneviève Côté-Pilon" -> "genevieve.cote-pilon" for invented e-mail addresses."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", ".").replace("'", "")


def person_email(spec: Person) -> str:
    local = f"{ascii_slug(spec.first_name)}.{ascii_slug(spec.last_name)}"
    if spec.decision_level == "citizen":
        return f"{local}@courriel.example"
    last_org = next(o for o in ALL_ORGANIZATIONS if o.key == spec.affiliations[-1][0])
    return f"{local}@{last_org.domain}"


def account_email(account: Account) -> str:
    """A demo account that is also a person of the network signs in with that person's e-mail."""
    for spec in PEOPLE:
        if (spec.first_name, spec.last_name) == (account.first_name, account.last_name):
            return person_email(spec)
    return f"{ascii_slug(account.first_name)}.{ascii_slug(account.last_name)}@maillage-demo.example"


# Loading (called by load_demo once every app's demo data is in) ------------------------------------------------


def link_successions(rls) -> int:
    """Predecessor and successor links between the demo's organisations (idempotent); returns the number created."""
    import datetime

    from registry.models import Organization, OrganizationLink

    by_name = {o.name: o for o in Organization.objects.filter(rls=rls)}
    created = 0
    for before, after, kind, date in SUCCESSIONS:
        if before in by_name and after in by_name:
            _, new = OrganizationLink.objects.get_or_create(
                predecessor=by_name[before],
                successor=by_name[after],
                defaults={"kind": kind, "date": datetime.date.fromisoformat(date)},
            )
            created += new
    return created


def propose_pending_change(rls) -> bool:
    """The coordinator's proposal to the popote's record, waiting for its answer (once)."""
    from django.contrib.auth import get_user_model

    from registry import change_requests
    from registry.models import ChangeRequest, Organization, Territory

    spec = next(o for o in ALL_ORGANIZATIONS if o.key == PENDING_PROPOSAL["organization"])
    org = Organization.objects.filter(name=spec.name, rls=rls).first()
    coordinator = get_user_model().objects.filter(username=PENDING_PROPOSAL["by"]).first()
    if org is None or coordinator is None or ChangeRequest.objects.filter(organization=org).exists():
        return False
    name = next(c[1] for c in COMMUNITIES if c[0] == PENDING_PROPOSAL["add_served"])
    added = Territory.objects.filter(kind=Territory.Kind.COMMUNITY, name=name, path__startswith=rls.path)
    change_requests.propose_organization_change(coordinator, org, {"territories": [*org.territories.all(), *added]})
    return True


def load_ownership_story(rls) -> dict[str, int]:
    """What load_demo calls last: the successions and the pending proposal."""
    return {"successions": link_successions(rls), "proposals": int(propose_pending_change(rls))}
