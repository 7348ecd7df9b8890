"""The agreements of the demo network (domain.md §6 and §8), written only through agreements.actions.

The story a newcomer should read in it:
- the **CISSS and the Centre d'action bénévole** first signed a two-year *service agreement* (pilot project)
  for medical escort-transport, paid per trip; its review showed that billing by the unit weighed on the
  volunteers and on the CAB's autonomy, so at its end (it is **expired**) the partners replaced it by a
  *collaboration agreement* (**in force**) that recognises escort-transport as the CAB's own mission, is
  followed by the demo's joint committee and has its accountability reports (one submitted, one late);
- the **popote roulante** has just **signed** the renewal of its *service agreement*: it prepares and delivers,
  on behalf of the institution, the meals of the CLSC's home-support clients; funded per year, paid quarterly;
- the **caregivers' association** is **in negotiation** of a collaboration agreement: two issues settled by
  social compromise (it keeps its own intake; the CISSS funds a part-time coordinator), accountability still open;
- the **women's centre** ended a negotiation (**terminated**) rather than become a subcontractor (domain.md §10);
- a **draft** protocol of personalised referrals is being written at the Pôle urbain's local action committee.

The law follows the calendar (issue 11): the pilot, drafted and signed before December 2024, rests on the LSSSS
(art. 108); the collaboration agreement was drafted under the LSSSS but signed under Santé Québec's G-1.021, to
which the loader switches it, as a refused signature offers; the meals agreement rests on G-1.021 and carries the
information-sharing clause of R-22.1 (the CLSC refers its users by name).

Dates follow the day of loading (timezone.localdate()): the service agreement starts on the first day of next
month, the collaboration agreement started twenty months ago, the pilot ran the two years before it. The loader
is idempotent: an agreement is looked up by its title in the demo RLS and written only when it is missing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agreements.actions import agreements as agreement_actions
from agreements.actions import follow_up, legal_bases
from agreements.models import Agreement, PartyContact, Report
from concertation import demo_data as concertation_demo
from concertation.models import Instance
from registry import demo_data as registry_demo
from registry.demo_data import person_email
from registry.models import Organization, Person, Territory

S = Agreement.Status
DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class IssueSpec:
    subject: str
    # party key -> (initial position, what it conceded)
    positions: dict[str, tuple[str, str]]
    compromise: str = ""
    settled_days_ago: int | None = None  # None: still open


@dataclass(frozen=True)
class ReportSpec:
    title: str
    due_months: int  # months after the start date (due on the first day of that month)
    submitted_days_before_due: int | None = None  # None: not submitted; negative: submitted after the due date
    note: str = ""


@dataclass(frozen=True)
class AgreementSpec:
    key: str
    title: str
    kind: str
    parties: tuple[str, ...]  # organisation keys of registry/demo_data.py
    summary: str
    sections: dict[str, str]
    path: tuple[str, ...]  # the states it goes through after its creation as a draft
    start_months: int | None = None  # start: the first day of this month plus this many months
    months: int = 36  # duration
    renewal_terms: str = ""
    # (party key, person name, days before the earlier of the start date and today)
    signatories: tuple[tuple[str, str, int], ...] = ()
    respondents: tuple[tuple[str, str], ...] = ()  # (party key, person name)
    joint_committee: bool = False
    instances: tuple[str, ...] = ()  # instance keys of concertation/demo_data.py
    action_plan: bool = False  # linked to the assembly's action plan
    issues: tuple[IssueSpec, ...] = ()
    funder: str = ""
    amounts: tuple[str, ...] = ()  # one per agreement year, the year being the calendar year it begins in
    installments: int = 0  # payments per agreement year (0: no schedule)
    reports: tuple[ReportSpec, ...] = ()
    reasons: dict[str, str] = field(default_factory=dict)  # state -> reason of the change
    is_public: bool = False
    # Drafted this many days before the earlier of the start date and today (minus the signatures' delay): the
    # agreement rests on the law in force that day (issue 11).
    drafted_days_before: int = 90
    shares_personal_information: bool = False


# The popote roulante's service agreement, just signed under G-1.021 (Santé Québec), on behalf of the institution.
SERVICE_MEALS = AgreementSpec(
    key="meals",
    title="Entente de services — repas du soutien à domicile",
    kind="service",
    parties=("cisss", "popote"),
    summary=(
        "La Popote roulante du Haut-Bocage prépare et livre, pour le compte du CISSS, les repas des usagers du "
        "soutien à domicile du CLSC du Haut-Bocage. L'entente prend le relais de l'entente précédente, conclue sur "
        "papier : elle remplace le prix par repas par un montant annuel et confirme le rôle de vigie des "
        "bénévoles-livreurs."
    ),
    sections={
        "clientele_offer": (
            "L'entente vise les usagers du programme de soutien à domicile du CLSC du Haut-Bocage qui ne peuvent "
            "préparer leurs repas en raison d'une perte d'autonomie, d'une convalescence ou de l'épuisement de leur "
            "proche aidant, et qui résident dans le Pôle urbain, les Coteaux ou la Vallée des Saules. La Popote "
            "roulante leur offre, pour le compte de l'établissement, des repas chauds livrés trois midis par semaine "
            "et des repas surgelés pour les autres jours, y compris des menus adaptés (texture modifiée, diabétique, "
            "sans sel ajouté) selon la recommandation de la nutritionniste du CLSC. Le volume prévu est d'environ "
            "420 repas par semaine. La livraison demeure assurée par des bénévoles-livreurs, qui gardent à chaque "
            "visite leur rôle de présence et de vigie auprès de la personne."
        ),
        "obligations": (
            "Le CISSS demeure responsable des services rendus à ses usagers : il évalue les besoins, décide de "
            "l'admissibilité, transmet la référence et assure le suivi clinique. Il verse le financement prévu, "
            "forme chaque année les bénévoles-livreurs à la vigie (signes de détérioration, risques de chute, "
            "maltraitance) et informe la Popote de tout changement qui touche la livraison, comme une "
            "hospitalisation ou une fin de service. La Popote s'engage à préparer les repas selon les normes "
            "d'hygiène et de salubrité alimentaires, à livrer dans les plages convenues, à tenir un registre des "
            "repas livrés par usager et à signaler au CLSC, le jour même, toute situation préoccupante observée par "
            "un livreur. Chaque partie protège les renseignements personnels qu'elle reçoit et ne les utilise "
            "qu'aux fins de l'entente."
        ),
        "access_coordination": (
            "La référence est faite par l'intervenant du soutien à domicile, au moyen du formulaire convenu, "
            "transmis par la messagerie sécurisée de l'établissement ; la Popote confirme la date du premier repas "
            "dans les deux jours ouvrables. Une personne peut aussi demander elle-même le service : la Popote "
            "l'oriente alors vers l'accueil du CLSC pour l'évaluation, sans lui refuser entre-temps ses repas au "
            "tarif régulier. Les répondantes des parties font le point chaque mois sur les références, les "
            "interruptions et les situations signalées. La liste des usagers actifs est rapprochée chaque "
            "trimestre avec celle du CLSC."
        ),
        "financial_resources": (
            "Le CISSS verse à la Popote un montant annuel de 152 000 $ la première année, de 156 500 $ la deuxième "
            "et de 161 000 $ la troisième, en quatre versements trimestriels égaux payables au début de chaque "
            "trimestre. Ce montant couvre la part du coût des repas que l'usager n'assume pas, le poste de "
            "cuisinière en chef et la coordination des bénévoles-livreurs ; l'usager continue de payer la "
            "contribution fixée par le conseil d'administration de la Popote. Si le volume réel s'écarte de plus "
            "de 10 % du volume prévu pendant deux trimestres consécutifs, les parties révisent le montant au comité "
            "de suivi. Ce financement s'ajoute au soutien à la mission globale de la Popote et ne s'y substitue pas."
        ),
        "respondents_committee": (
            "Chaque partie désigne une répondante : pour le CISSS, l'agente de liaison des ententes de services ; "
            "pour la Popote, sa directrice générale. Les répondantes se rencontrent chaque mois et forment, avec la "
            "cheffe de service du soutien à domicile du CLSC et un membre du conseil d'administration de la Popote, "
            "un comité de suivi qui se réunit deux fois par année. Le comité examine les volumes, les délais de "
            "livraison, les situations signalées et la satisfaction des usagers, et prépare le bilan annuel. Un "
            "changement de répondante est communiqué par écrit à l'autre partie dans les quinze jours."
        ),
        "disagreement_modification_termination": (
            "Un désaccord est d'abord discuté entre les répondantes ; s'il persiste, il est porté au comité de "
            "suivi, puis, au besoin, à la directrice du programme SAPA et au président du conseil d'administration "
            "de la Popote, qui cherchent une solution dans les trente jours. L'entente se modifie par un avenant "
            "écrit signé par les deux parties ; aucune modification verbale n'a d'effet. Chaque partie peut y "
            "mettre fin par un avis écrit et motivé de quatre-vingt-dix jours ; le CISSS assure alors la "
            "continuité des repas de ses usagers. Le renouvellement est discuté au comité de suivi au moins six "
            "mois avant l'échéance."
        ),
    },
    path=(S.NEGOTIATION, S.SIGNED),
    start_months=1,
    renewal_terms="Renouvelable une fois pour trois ans, par avenant, après le bilan de la troisième année au "
    "comité de suivi.",
    signatories=(("cisss", "Isabelle Gagné", 12), ("popote", "Yves Thibault", 5)),
    respondents=(("cisss", "Annie Roussel"), ("popote", "Nathalie Fortin")),
    issues=(
        IssueSpec(
            "Mode de financement : prix par repas ou montant annuel",
            {
                "cisss": (
                    "Payer 7,25 $ par repas livré à un usager référé, sur facture mensuelle, pour ne financer que "
                    "le service effectivement rendu.",
                    "Renonce au paiement à l'unité et accepte un montant annuel versé d'avance, qui reconnaît les "
                    "coûts fixes de la cuisine.",
                ),
                "popote": (
                    "Obtenir un montant annuel fixe couvrant la cuisinière en chef et la coordination des "
                    "bénévoles, sans lien avec le nombre de repas livrés.",
                    "Accepte une révision du montant si le volume réel s'écarte nettement du volume prévu, et tient "
                    "un registre des repas livrés par usager.",
                ),
            },
            "Montant annuel fondé sur un volume prévu de 420 repas par semaine, versé en quatre versements "
            "trimestriels et révisable au comité de suivi si l'écart de volume dépasse 10 % pendant deux "
            "trimestres consécutifs.",
            settled_days_ago=41,
        ),
        IssueSpec(
            "Rôle des bénévoles-livreurs dans la vigie",
            {
                "cisss": (
                    "Les livreurs remplissent à chaque visite une grille de repérage des risques, transmise chaque "
                    "semaine au CLSC.",
                    "Abandonne la grille systématique : il se contente des signalements des situations "
                    "préoccupantes et offre la formation des livreurs.",
                ),
                "popote": (
                    "Les livreurs sont des bénévoles, pas des intervenants : leur présence est une visite amicale, "
                    "sans formulaire ni évaluation.",
                    "Accepte que ses livreurs signalent au CLSC, le jour même et par téléphone, toute situation "
                    "préoccupante, et qu'ils suivent une formation annuelle.",
                ),
            },
            "Pas de grille à chaque visite. Les livreurs, formés chaque année par le CLSC, signalent le jour même "
            "toute situation préoccupante à la ligne du soutien à domicile ; la Popote en tient le registre.",
            settled_days_ago=27,
        ),
    ),
    funder="cisss",
    amounts=("152000.00", "156500.00", "161000.00"),
    installments=4,
    reasons={S.SIGNED: "Signée par la directrice du programme SAPA et le président du conseil de la Popote."},
    is_public=True,
    # The CLSC refers its users by name and the Popote keeps a register of meals per user.
    shares_personal_information=True,
)

# The pilot service agreement with the CAB, expired: the first chapter of the CISSS–CAB relation.
PILOT_TRANSPORT = AgreementSpec(
    key="pilot",
    title="Entente de services — accompagnement-transport médical (projet pilote)",
    kind="service",
    parties=("cisss", "cab"),
    summary=(
        "Projet pilote de deux ans : le Centre d'action bénévole assurait, pour le compte du CISSS, "
        "l'accompagnement-transport médical des usagers du soutien à domicile, payé à l'accompagnement. Le bilan a "
        "montré que la facturation à l'unité pesait sur les bénévoles et sur l'autonomie du CAB ; à son échéance, "
        "les parties l'ont remplacée par une entente de collaboration."
    ),
    sections={
        "clientele_offer": (
            "Le projet pilote visait les usagers du soutien à domicile du CLSC du Haut-Bocage, référés par leur "
            "intervenant, qui devaient se rendre à un rendez-vous médical sans moyen de transport ni proche "
            "disponible. Le CAB offrait, pour le compte de l'établissement, un accompagnement-transport aller-retour "
            "par des bénévoles, dans les cinq communautés. Le volume prévu était de 1 500 accompagnements par année. "
            "Les demandes faites directement par les personnes restaient traitées par le CAB, hors entente."
        ),
        "obligations": (
            "Le CISSS demeurait responsable des services rendus à ses usagers : il déterminait l'admissibilité, "
            "transmettait les demandes et payait chaque accompagnement réalisé. Le CAB s'engageait à recruter et "
            "former les bénévoles, à répondre à toute demande reçue au moins trois jours ouvrables à l'avance et à "
            "facturer chaque mois les accompagnements réalisés. Chaque partie assumait ses propres assurances. Les "
            "renseignements personnels échangés ne servaient qu'aux fins de l'entente."
        ),
        "access_coordination": (
            "Les intervenants du soutien à domicile transmettaient les demandes au CAB par télécopieur, puis par la "
            "messagerie sécurisée à partir du sixième mois. Le CAB confirmait le jumelage dans les deux jours "
            "ouvrables. La répondante du CISSS recevait chaque mois la liste des accompagnements réalisés et des "
            "demandes non comblées. Le comité conjoint, créé pour le projet pilote, se réunissait tous les trois mois."
        ),
        "financial_resources": (
            "Le CISSS versait 16 $ par accompagnement réalisé, jusqu'à concurrence de 24 000 $ la première année et "
            "de 31 000 $ la deuxième, sur facture mensuelle. Ce montant couvrait le kilométrage des bénévoles et "
            "une part de la coordination. Les accompagnements au-delà du plafond n'étaient pas payés. L'écart entre "
            "les montants reçus et le coût réel de la coordination est documenté dans le bilan final."
        ),
        "respondents_committee": (
            "Les répondantes étaient, pour le CISSS, l'agente de liaison des ententes de services et, pour le CAB, "
            "la coordonnatrice des bénévoles. Le comité conjoint, composé des répondantes, de la cheffe de service "
            "du soutien à domicile et de la directrice générale du CAB, suivait les volumes et préparait le bilan. "
            "Au terme du projet, il a recommandé de passer à une entente de collaboration."
        ),
        "disagreement_modification_termination": (
            "Les désaccords étaient traités au comité conjoint, puis par la directrice du programme SAPA et la "
            "directrice générale du CAB. L'entente se modifiait par avenant écrit signé par les deux parties. "
            "Chaque partie pouvait y mettre fin par un avis écrit de soixante jours. L'entente prenait fin à son "
            "échéance, sans renouvellement automatique."
        ),
    },
    path=(S.NEGOTIATION, S.SIGNED, S.IN_FORCE, S.EXPIRED),
    start_months=-44,
    months=24,
    signatories=(("cisss", "Isabelle Gagné", 24), ("cab", "Louise Gauthier", 20)),
    respondents=(("cisss", "Annie Roussel"), ("cab", "Hélène Morin")),
    joint_committee=True,
    funder="cisss",
    amounts=("24000.00", "31000.00"),
    reports=(
        ReportSpec(
            "Bilan final du projet pilote",
            26,
            12,
            "1 380 accompagnements la première année, 1 720 la deuxième ; le plafond a été atteint au dixième mois "
            "de la deuxième année et les bénévoles ont continué sans paiement. Recommandation du comité conjoint : "
            "une entente de collaboration qui reconnaisse la mission du CAB.",
        ),
    ),
    reasons={
        S.SIGNED: "Signée pour un projet pilote de deux ans.",
        S.IN_FORCE: "Début du projet pilote.",
        S.EXPIRED: "Échéance du projet pilote ; l'entente de collaboration prend le relais.",
    },
)

# The CAB's collaboration agreement, in force: drafted under the LSSSS (art. 99.7), signed under G-1.021.
COLLABORATION_TRANSPORT = AgreementSpec(
    key="collaboration",
    title="Entente de collaboration — accompagnement-transport médical des aînés",
    kind="collaboration",
    parties=("cisss", "cab"),
    summary=(
        "Le Centre d'action bénévole offre, dans le cadre de sa propre mission, l'accompagnement-transport "
        "bénévole des aînés vers leurs rendez-vous médicaux ; le CISSS y contribue financièrement et lui dirige "
        "ses usagers. Elle prend le relais de l'entente de services du projet pilote : les partenaires ont reconnu "
        "que l'accompagnement bénévole relève de la mission du CAB et non d'une sous-traitance. Suivie par le "
        "comité conjoint CISSS–CAB."
    ),
    sections={
        "clientele_offer": (
            "L'entente vise les personnes aînées et les personnes en perte d'autonomie des cinq communautés du "
            "Haut-Bocage qui n'ont ni moyen de transport ni proche disponible pour se rendre à un rendez-vous "
            "médical ou à un traitement. Le Centre d'action bénévole leur offre un accompagnement-transport par des "
            "bénévoles formés : transport aller-retour, présence pendant le rendez-vous si la personne le souhaite, "
            "et retour à domicile en s'assurant qu'elle est en sécurité. Le service est offert du lundi au "
            "vendredi, et le samedi pour les traitements d'oncologie et de dialyse à l'hôpital de Saint-Aurèle. "
            "Environ 2 400 accompagnements par année sont visés, dont le tiers dans les Rangs et le Plateau."
        ),
        "obligations": (
            "Le CAB organise le service selon sa mission et ses pratiques : recrutement, filtrage et formation des "
            "bénévoles, jumelage, remboursement de leurs frais de déplacement et assurance responsabilité. Il tient "
            "des statistiques anonymisées des accompagnements par communauté et par motif, et informe le CISSS des "
            "demandes qu'il ne peut combler. Le CISSS fait connaître le service à ses équipes, transmet les demandes "
            "de ses usagers avec leur consentement, contribue au remboursement des bénévoles et à la coordination, "
            "et invite le CAB aux travaux du réseau local qui touchent le transport. Les parties s'échangent "
            "l'information utile aux déplacements, sans renseignement clinique."
        ),
        "access_coordination": (
            "Une personne peut s'adresser directement au CAB ; les intervenants du CISSS peuvent aussi lui "
            "transmettre une demande, avec le consentement de la personne, par téléphone ou par le formulaire "
            "convenu, au moins trois jours ouvrables avant le rendez-vous. Le CAB confirme le jumelage à la personne "
            "et, lorsque la demande vient du CISSS, à l'intervenant. Lorsqu'il ne peut répondre, il en avise "
            "l'intervenant au moins 48 heures avant le rendez-vous pour que le CISSS cherche une autre solution, dont "
            "le Transport bénévole des Rangs sur son territoire. Les cliniques externes de l'hôpital accueillent les "
            "bénévoles-accompagnateurs comme des proches."
        ),
        "financial_resources": (
            "Le CISSS verse au CAB une contribution annuelle de 47 000 $ la première année, de 48 500 $ la deuxième "
            "et de 50 000 $ la troisième, en deux versements semestriels. Cette contribution couvre le "
            "remboursement du kilométrage des bénévoles, une partie du salaire de la coordonnatrice des bénévoles "
            "et les frais de formation ; elle n'est pas liée au nombre d'accompagnements. Elle s'ajoute au "
            "financement à la mission globale du CAB, qu'elle ne remplace pas. La personne accompagnée ne paie rien."
        ),
        "respondents_committee": (
            "Chaque partie désigne une personne répondante : pour le CISSS, l'agente de liaison des ententes de "
            "services ; pour le CAB, sa directrice générale. Le comité conjoint CISSS–CAB, formé des répondantes, de "
            "la cheffe de service du soutien à domicile du CLSC et de la coordonnatrice des bénévoles, avec le "
            "Transport bénévole des Rangs comme observateur, se réunit au moins trois fois par année. Il suit les "
            "volumes et les délais, reçoit les statistiques semestrielles et le rapport annuel, traite les "
            "difficultés et prépare le renouvellement. Son secrétariat est assuré par le CAB."
        ),
        "disagreement_modification_termination": (
            "Une difficulté est d'abord traitée entre les répondantes, puis au comité conjoint. Si le désaccord "
            "persiste, chaque partie peut demander une rencontre de la directrice du programme SAPA et du conseil "
            "d'administration du CAB, accompagnée au besoin d'une personne médiatrice choisie ensemble, par exemple "
            "à la Corporation de développement communautaire. L'entente se modifie par un avenant écrit signé par "
            "les deux parties. Chaque partie peut y mettre fin par un avis écrit et motivé de quatre-vingt-dix "
            "jours ; la contribution est alors ajustée au prorata des mois écoulés."
        ),
        "autonomy_respect": (
            "Le CISSS reconnaît que le CAB est un organisme communautaire autonome qui détermine librement sa "
            "mission, ses orientations, ses approches et ses modes d'intervention, et dont le conseil "
            "d'administration demeure souverain. L'entente ne fait pas du CAB un prolongement de l'établissement : "
            "les bénévoles ne sont pas soumis aux directives cliniques du CISSS, et le CAB garde son propre accueil "
            "des demandes et ses critères de priorité, qu'il fait connaître au comité conjoint. La reddition de "
            "comptes se limite à ce que prévoit l'entente et ne comporte aucun renseignement nominatif. Le CAB "
            "demeure libre de prendre publiquement position, y compris sur les services de l'établissement."
        ),
        "complaints": (
            "Une personne insatisfaite d'un accompagnement peut s'adresser d'abord au CAB, qui traite sa plainte "
            "selon sa propre procédure et en informe le comité conjoint de façon anonymisée. Elle peut aussi, en "
            "tout temps, porter plainte auprès du commissaire aux plaintes et à la qualité des services de "
            "l’établissement, compétent pour les services rendus par un partenaire lié par une entente. Le CAB fait "
            "connaître "
            "ce recours aux personnes accompagnées au moyen du dépliant du commissaire et collabore à l'examen des "
            "plaintes. Personne ne peut subir de représailles pour avoir porté plainte."
        ),
    },
    path=(S.NEGOTIATION, S.SIGNED, S.IN_FORCE),
    start_months=-20,
    renewal_terms="Renouvelable pour trois ans après l'évaluation conjointe de la deuxième année, présentée au "
    "comité conjoint.",
    signatories=(("cisss", "Isabelle Gagné", 25), ("cab", "Robert Dion", 21)),
    respondents=(("cisss", "Annie Roussel"), ("cab", "Louise Gauthier")),
    joint_committee=True,
    funder="cisss",
    amounts=("47000.00", "48500.00", "50000.00"),
    installments=2,
    reports=(
        ReportSpec(
            "Statistiques semestrielles — premier semestre",
            7,
            3,
            "1 140 accompagnements, dont 372 dans les Rangs et le Plateau ; 14 demandes non comblées.",
        ),
        ReportSpec(
            "Rapport annuel d'activités — première année",
            14,
            5,
            "Présenté au comité conjoint : 2 310 accompagnements (96 % de la cible), dont 812 dans les Rangs et le "
            "Plateau ; 31 demandes non comblées, surtout le samedi. Quatre nouveaux conducteurs bénévoles.",
        ),
        # Due on the first day of last month and not submitted: late whatever the day of loading.
        ReportSpec("Statistiques semestrielles — troisième semestre", 19),
        ReportSpec("Rapport annuel d'activités — deuxième année", 26),
    ),
    reasons={
        S.SIGNED: "Signée par la directrice du programme SAPA et le président du conseil du CAB.",
        S.IN_FORCE: "Date de début atteinte.",
    },
    # Drafted some five months before its signature: when the LSSSS still governed, for a signature under G-1.021
    # the loader then switches it to the basis in force, as the refused signature offers.
    drafted_days_before=150,
)

# The caregivers' association: a collaboration agreement in negotiation (domain.md §6, social compromise).
CAREGIVERS = AgreementSpec(
    key="caregivers",
    title="Entente de collaboration — groupes de soutien aux proches aidants dans les cinq communautés",
    kind="collaboration",
    parties=("cisss", "proches"),
    summary=(
        "En négociation : l'Association des proches aidants offrirait, dans le cadre de sa mission, des groupes "
        "de soutien dans chacune des cinq communautés, avec la participation des intervenants du CLSC. Deux enjeux "
        "sont réglés (l'accueil des proches aidants, le financement d'une coordination) ; la reddition de comptes "
        "reste à négocier."
    ),
    sections={
        "clientele_offer": (
            "L'entente vise les proches aidants de personnes aînées des cinq communautés du Haut-Bocage, qu'ils "
            "soient connus ou non des services du CLSC. L'Association leur offre des groupes de soutien de dix "
            "rencontres, animés par une intervenante de l'Association et un bénévole ancien proche aidant, dans "
            "une salle de chaque communauté. Les groupes abordent l'épuisement, la culpabilité, les ressources de "
            "répit et la préparation à l'hébergement. Quatre groupes par année sont visés au départ, dont au moins "
            "deux hors du Pôle urbain."
        ),
        "obligations": (
            "L'Association organise et anime les groupes selon son approche, recrute les co-animateurs bénévoles "
            "et tient les inscriptions. Le CISSS fait connaître les groupes à ses équipes, y dirige les proches "
            "aidants qu'il rencontre et met à contribution un intervenant du CLSC pour une rencontre de chaque cycle "
            "consacrée aux services de soutien à domicile. Les parties coordonnent leurs calendriers pour éviter "
            "que deux activités destinées aux proches aidants se chevauchent dans une même communauté."
        ),
        "access_coordination": (
            "L'Association garde son propre accueil : toute personne peut s'inscrire directement, par téléphone ou "
            "sur place, sans évaluation préalable. Les intervenants du CLSC dirigent les proches aidants vers "
            "l'Association au moyen d'une fiche de référence personnalisée commune ; avec le consentement de la "
            "personne, l'Association confirme l'inscription à l'intervenant. L'Association oriente vers l'accueil "
            "du CLSC les proches aidants dont la situation exige une évaluation. L'évaluation des besoins reste au "
            "CLSC, l'accueil et l'animation des groupes à l'Association."
        ),
        "financial_resources": (
            "Le CISSS finance une coordonnatrice à temps partiel de l'Association, à raison de 21 heures par "
            "semaine pendant la durée de l'entente, soit environ 38 000 $ par année, indexés chaque année. Ce "
            "financement n'est pas lié au nombre de groupes réalisés. Le temps de coordination sera revu au bilan "
            "de mi-parcours si la demande dépasse quatre groupes actifs à la fois. Les salles sont prêtées par les "
            "municipalités et la Table de concertation des aînés."
        ),
        "autonomy_respect": (
            "Le CISSS reconnaît l'autonomie de l'Association quant à sa mission, à ses orientations, à ses "
            "approches et à ses modes d'intervention. L'Association détermine le contenu des groupes, choisit ses "
            "animatrices et garde son propre accueil. Sa participation à l'entente ne l'empêche pas de défendre "
            "publiquement les droits des proches aidants, y compris auprès de l'établissement."
        ),
    },
    path=(S.NEGOTIATION,),
    start_months=4,
    respondents=(("cisss", "Sylvie Bergeron"), ("proches", "Johanne Beaulieu")),
    action_plan=True,
    issues=(
        IssueSpec(
            "Porte d'entrée : accueil propre de l'Association ou guichet d'accès du CLSC",
            {
                "cisss": (
                    "Toute participation aux groupes passe par le guichet d'accès SAPA du CLSC, avec une évaluation "
                    "des besoins du proche aidant au moyen de l'outil de l'établissement, pour assurer l'équité "
                    "d'accès et compter les personnes desservies.",
                    "Renonce à imposer le guichet d'accès et l'évaluation normalisée : les proches aidants peuvent "
                    "s'inscrire directement auprès de l'Association.",
                ),
                "proches": (
                    "Garder un accueil ouvert, sans référence ni évaluation : un proche aidant épuisé doit pouvoir "
                    "appeler l'Association et être reçu la semaine même, sans ouvrir de dossier à l'établissement.",
                    "Accepte une fiche de référence personnalisée commune pour les personnes dirigées par le CLSC "
                    "et, avec leur consentement, confirme leur inscription à l'intervenant ; oriente vers le CLSC "
                    "les situations qui exigent une évaluation.",
                ),
            },
            "L'Association garde son propre accueil et son approche : inscription directe, sans évaluation "
            "préalable. Les références du CLSC passent par une fiche de référence personnalisée commune, et "
            "l'Association confirme l'inscription à l'intervenant avec le consentement de la personne. Chacun son "
            "rôle : l'évaluation au CLSC, l'accueil et l'animation à l'Association.",
            settled_days_ago=52,
        ),
        IssueSpec(
            "Financement : coordination stable ou paiement par groupe animé",
            {
                "cisss": (
                    "Verser un forfait de 1 800 $ par cycle de dix rencontres, selon le nombre de cycles réalisés "
                    "dans l'année.",
                    "Accepte de financer une coordination stable plutôt que l'activité : 21 heures par semaine "
                    "pendant trois ans, indexées.",
                ),
                "proches": (
                    "Obtenir le financement récurrent d'une coordonnatrice à temps plein (35 heures) pour couvrir "
                    "les cinq communautés et le recrutement des co-animateurs.",
                    "Accepte une coordination à temps partiel, révisée au bilan de mi-parcours, et prend en charge "
                    "la recherche de salles avec les municipalités.",
                ),
            },
            "Le CISSS finance une coordonnatrice à temps partiel (21 heures par semaine, environ 38 000 $ par "
            "année indexés), sans lien avec le nombre de groupes ; le temps de coordination est revu à mi-parcours "
            "si plus de quatre groupes sont actifs à la fois. Les municipalités et la Table des aînés prêtent les "
            "salles.",
            settled_days_ago=19,
        ),
        IssueSpec(
            "Reddition de comptes : données nominatives ou statistiques agrégées",
            {
                "cisss": (
                    "Recevoir chaque trimestre la liste des participants avec leur numéro de dossier, pour les "
                    "inscrire aux statistiques de l'établissement.",
                    "Se dit prêt à recevoir des statistiques agrégées si elles distinguent les personnes dirigées "
                    "par le CLSC.",
                ),
                "proches": (
                    "Aucune donnée nominative : un rapport annuel unique, le même que pour le PSOC, complété de "
                    "statistiques agrégées par communauté.",
                    "Propose d'ajouter un décompte semestriel des participants par communauté et par provenance "
                    "(CLSC ou inscription directe).",
                ),
            },
        ),
    ),
)

# The women's centre: a negotiation it ended rather than become a subcontractor (domain.md §10).
WOMEN = AgreementSpec(
    key="women",
    title="Entente de services — accueil psychosocial des femmes aînées",
    kind="service",
    parties=("cisss", "femmes"),
    summary=(
        "Projet d'entente par lequel le Centre de femmes L'Éclaircie aurait accueilli, pour le compte du CISSS, "
        "les femmes aînées dirigées par le guichet d'accès psychosocial. Le Centre a mis fin à la négociation."
    ),
    sections={
        "clientele_offer": (
            "Le projet visait les femmes de 65 ans et plus vivant de l'isolement, de la détresse ou une situation "
            "de violence, dirigées par le guichet d'accès psychosocial du CLSC. Le Centre de femmes leur aurait "
            "offert des rencontres individuelles d'accueil et une place dans ses groupes d'entraide. Une trentaine "
            "de femmes par année étaient prévues."
        ),
    },
    path=(S.NEGOTIATION, S.TERMINATED),
    respondents=(("cisss", "Annie Roussel"), ("femmes", "Marie-Claude Tremblay")),
    issues=(
        IssueSpec(
            "Protocole d'accueil et transmission de renseignements",
            {
                "cisss": (
                    "Les intervenantes du Centre reçoivent les références du guichet d'accès, appliquent le "
                    "protocole d'accueil psychosocial de l'établissement et versent leurs notes au dossier de "
                    "l'usagère.",
                    "A proposé de remplacer les notes par un formulaire de suivi sans contenu clinique.",
                ),
                "femmes": (
                    "Accueillir les femmes selon l'approche féministe d'éducation populaire du Centre, sans "
                    "protocole de l'établissement et sans transmission de renseignements sur les participantes.",
                    "A offert de recevoir des références personnalisées et de rendre compte de façon agrégée.",
                ),
            },
        ),
    ),
    reasons={
        S.TERMINATED: "Le conseil d'administration du Centre de femmes a mis fin à la négociation : le protocole "
        "d'accueil et la transmission de renseignements demandés faisaient du Centre un sous-traitant de "
        "l'établissement et contredisaient son approche. Les parties continuent de collaborer à la Table de "
        "concertation des aînés et par des références personnalisées.",
    },
)

# A draft protocol, written at the Pôle urbain's local action committee.
REFERRALS = AgreementSpec(
    key="referrals",
    title="Protocole de référence personnalisée — Pôle urbain de Saint-Aurèle",
    kind="framework",
    parties=("clsc", "cab", "popote", "aines"),
    summary=(
        "Protocole en rédaction au comité d'action locale du Pôle urbain : comment les intervenants du CLSC et "
        "les organismes se dirigent mutuellement les aînés, en personne plutôt que par une simple liste de "
        "numéros de téléphone."
    ),
    sections={
        "obligations": (
            "Chaque signataire s'engage à connaître l'offre de service des autres, à diriger une personne aînée "
            "vers l'organisme qui répond à son besoin en s'assurant qu'elle y est attendue, et à informer la "
            "personne qui a fait la référence, avec le consentement de l'aîné, que le contact a eu lieu. Les "
            "organismes gardent chacun leurs critères d'accueil et leur façon de faire."
        ),
        "access_coordination": (
            "La référence se fait par un appel de l'intervenant à la personne-ressource de l'organisme, en présence "
            "de l'aîné lorsque c'est possible, ou par la fiche de référence commune. Une rencontre d'échange de "
            "pratiques réunit les intervenants du CLSC et des organismes deux fois par année. La liste des "
            "personnes-ressources est tenue à jour par le comité d'action locale."
        ),
    },
    path=(),
    instances=("pole-urbain",),
)

AGREEMENTS = [PILOT_TRANSPORT, COLLABORATION_TRANSPORT, SERVICE_MEALS, CAREGIVERS, WOMEN, REFERRALS]


def signed_page(text: str) -> SimpleUploadedFile:
    """A one-page PDF standing for the scanned signature page of the demo (the text is the signatory's line)."""
    line = text.encode("cp1252", "replace").replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 12 Tf 72 720 Td (" + line + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return SimpleUploadedFile("page-de-signature.pdf", body, content_type="application/pdf")


def add_months(first: datetime.date, months: int) -> datetime.date:
    index = first.year * 12 + first.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Counts:
    agreements: int = 0
    signed: int = 0  # signed or in force
    reports: int = 0
    late_reports: int = 0
    created: int = 0


class AgreementsDemoLoader:
    """Adds the agreements to a loaded demo network (registry and concertation); `load_demo` runs it last."""

    def __init__(self, admin, today: datetime.date | None = None) -> None:
        self.admin = admin
        # The actions check dates against the real day (coming into force, expiry, submissions): keep to it.
        self.today = today or timezone.localdate()
        self.month = self.today.replace(day=1)
        self.created = 0

    def _lookups(self) -> None:
        self.rls = Territory.objects.get(
            kind=Territory.Kind.RLS, name=registry_demo.RLS["name"], parent__name=registry_demo.REGION["name"]
        )
        keys = {key for spec in AGREEMENTS for key in spec.parties}
        names = {o.key: o.name for o in registry_demo.ALL_ORGANIZATIONS if o.key in keys}
        by_name = {o.name: o for o in Organization.objects.filter(rls=self.rls, name__in=names.values())}
        self.orgs = {key: by_name[name] for key, name in names.items()}
        people = {name for spec in AGREEMENTS for _k, name, *_ in (*spec.signatories, *spec.respondents)}
        emails = {person_email(concertation_demo.PEOPLE_BY_NAME[name]): name for name in people}
        self.people = {emails[p.email]: p for p in Person.objects.filter(email__in=emails)}
        instance_names = {spec.key: spec.name for spec in concertation_demo.INSTANCES}
        self.instances = {
            i.name: i for i in Instance.objects.filter(rls=self.rls, name__in=list(instance_names.values()))
        }
        self.instance_names = instance_names

    def _instance(self, key: str) -> Instance:
        return self.instances[self.instance_names[key]]

    @transaction.atomic
    def load(self) -> Counts:
        self._lookups()
        titles = [spec.title for spec in AGREEMENTS]
        existing = set(Agreement.objects.filter(rls=self.rls, title__in=titles).values_list("title", flat=True))
        for spec in AGREEMENTS:
            if spec.title not in existing:
                self._create(spec)
        agreements = Agreement.objects.filter(rls=self.rls, title__in=titles)
        reports = Report.objects.filter(agreement__in=agreements)
        return Counts(
            agreements=agreements.count(),
            signed=agreements.filter(status__in=[S.SIGNED, S.IN_FORCE]).count(),
            reports=reports.count(),
            late_reports=reports.late().count(),
            created=self.created,
        )

    # One agreement -------------------------------------------------------------------------

    def _dates(self, spec: AgreementSpec) -> tuple[datetime.date | None, datetime.date | None]:
        if spec.start_months is None:
            return None, None
        start = add_months(self.month, spec.start_months)
        return start, add_months(start, spec.months) - DAY

    def _create(self, spec: AgreementSpec) -> Agreement:
        start, end = self._dates(spec)
        base = min(start, self.today) if start else self.today
        latest = max((days for _k, _n, days in spec.signatories), default=0)
        data = {
            "title": spec.title,
            "kind": spec.kind,
            "drafted_on": min(base - datetime.timedelta(days=latest + spec.drafted_days_before), self.today),
            "shares_personal_information": spec.shares_personal_information,
            "rls": self.rls,
            "summary": spec.summary,
            "start_date": start,
            "end_date": end,
            "renewal_terms": spec.renewal_terms,
            "joint_committee": self._instance("joint") if spec.joint_committee else None,
            "is_public": spec.is_public,
            "parties": [self.orgs[key] for key in spec.parties],
            "instances": [self._instance(key) for key in spec.instances],
        }
        if spec.action_plan:
            data["action_plans"] = list(self._instance("assembly").action_plans.all()[:1])
        agreement = agreement_actions.create_agreement(self.admin, data)
        parties = {party.organization_id: party for party in agreement.parties.all()}
        party = {key: parties[self.orgs[key].pk] for key in spec.parties}
        self.created += 1 + len(parties) + agreement.sections.count()

        for code, body in spec.sections.items():
            agreement_actions.update_section(self.admin, agreement, code, body)
        for key, name in spec.respondents:
            self._contact(party[key], name, PartyContact.Role.RESPONDENT)
        for key, name, days in spec.signatories:
            self._contact(party[key], name, PartyContact.Role.SIGNATORY, base - datetime.timedelta(days=days))
        self._funding(agreement, spec, party, start)

        for to in spec.path:
            if to == S.SIGNED and legal_bases.basis_problems(agreement)[0]:
                # The law moved between drafting and signature: rest it on the basis in force on the signing date.
                agreement = legal_bases.switch_legal_basis(self.admin, agreement)
            agreement = agreement_actions.transition(self.admin, agreement, to, spec.reasons.get(to, ""))
            if to == S.NEGOTIATION:
                self._negotiation(agreement, spec, party)
            elif to == S.IN_FORCE:
                self._reports(agreement, spec, start)
        return agreement

    def _contact(self, party, name: str, role: str, signed_on: datetime.date | None = None) -> None:
        data = {"person": self.people[name], "role": role}
        if signed_on is not None:
            # The administrator records the signatures of parties it does not represent: with the signed page.
            data["signed_on"] = signed_on
            data["evidence"] = signed_page(f"{name} — {party.organization} — {signed_on.isoformat()}")
        agreement_actions.add_contact(self.admin, party, data)
        self.created += 1

    def _negotiation(self, agreement: Agreement, spec: AgreementSpec, party: dict) -> None:
        for issue in spec.issues:
            settled = self.today - datetime.timedelta(days=issue.settled_days_ago) if issue.settled_days_ago else None
            follow_up.log_issue(
                self.admin,
                agreement,
                {
                    "subject": issue.subject,
                    "compromise": issue.compromise,
                    "settled_on": settled,
                    "positions": {party[key]: texts for key, texts in issue.positions.items()},
                },
            )
            self.created += 1 + len(issue.positions)

    def _funding(self, agreement: Agreement, spec: AgreementSpec, party: dict, start) -> None:
        funder = party[spec.funder] if spec.funder else None
        for n, amount in enumerate(spec.amounts):
            year_start = add_months(start, 12 * n)
            follow_up.set_amount(self.admin, agreement, {"year": year_start.year, "amount": amount, "funder": funder})
            self.created += 1
            for k in range(spec.installments):
                due = add_months(year_start, k * 12 // spec.installments)
                paid = min(due + datetime.timedelta(days=10), self.today) if due <= self.today else None
                share = (Decimal(amount) / spec.installments).quantize(Decimal("0.01"))
                follow_up.add_payment(self.admin, agreement, {"due_on": due, "amount": share, "paid_on": paid})
                self.created += 1

    def _reports(self, agreement: Agreement, spec: AgreementSpec, start) -> None:
        for report_spec in spec.reports:
            due = add_months(start, report_spec.due_months)
            report = follow_up.add_report(self.admin, agreement, {"title": report_spec.title, "due_on": due})
            self.created += 1
            if report_spec.submitted_days_before_due is not None:
                submitted = min(due - datetime.timedelta(days=report_spec.submitted_days_before_due), self.today)
                follow_up.submit_report(self.admin, report, {"submitted_on": submitted, "note": report_spec.note})


def load(admin, today: datetime.date | None = None) -> Counts:
    """Load (or complete) the agreements of the demo network; returns what is there."""
    return AgreementsDemoLoader(admin, today).load()


def summary(counts: Counts) -> str:
    return (
        f"Ententes : {counts.agreements} ententes, dont {counts.signed} signées ou en vigueur ; {counts.reports} "
        f"redditions de comptes, dont {counts.late_reports} en retard ({counts.created} enregistrements créés par "
        "ce chargement)."
    )
