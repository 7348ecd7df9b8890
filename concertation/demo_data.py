"""The concertation side of the demo network: the VES structure of the Haut-Bocage (domain.md §6–7).

What a newcomer should read in it:
- an **assemblée des partenaires** (every actor of the territory, twice a year) whose member organisations
  went from 16 (2010) to 30 (2011) and 44 (2012), then declined from 2013, when the CSSS changed managers and
  the 2015 reform abolished the CLD, the CRÉ and the agency (domain.md §6);
- a **comité de coordination** under it, where each of the five **comités d'action locale** (one per territory
  of belonging) delegates a representative next to the regional organisations;
- a thematic **table des aînés** and the **comité conjoint** of the CISSS–CAB service agreement;
- three years of meetings (agenda, minutes, decisions, follow-ups, attendance, approved minutes), a completed
  priority exercise in the assembly, a démarche through its seven stages and the action plan drawn from it;
- the assembly's first years, 2010–2015, twice a year: priorities from the milieux voted in plenary (2011, 2012),
  votes with dissent recorded and a chair shared by the CDC and the CSSS; then, from the autumn of 2013, the
  CSSS's programme priorities (the 2014 plenary), the CSSS alone in the chair, more of its managers and fewer
  community organisations in the room (HISTORY, PAST_EXERCISES).

Meetings are placed relative to the day of loading (the two previous calendar years, this year, and the next
few weeks), so the calendar always shows what comes next; the assembly's first years and everything else are
fixed. The loader is idempotent:
each part is created only when it is missing.
"""

from __future__ import annotations

import datetime
import hashlib
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from concertation.actions import instances as instance_actions
from concertation.actions import plans as plan_actions
from concertation.models import (
    AgendaItem,
    Attendance,
    Ballot,
    BallotChoice,
    Candidate,
    Decision,
    Delegation,
    DemarcheStage,
    FollowUp,
    Instance,
    Meeting,
    Membership,
    PriorityExercise,
    VotingRound,
    Workshop,
    WorkshopSelection,
)
from core import audit
from core.models import AuditEvent
from registry import actions as registry_actions
from registry import demo_data as registry_demo
from registry.demo_data import Org, person_email
from registry.models import Organization, Person, Territory

# Organisations that sat on the assembly in its early years and no longer exist (archived in the registry).
# The 2015 reform (Loi 10 and the budget measures of the time) abolished the agencies, the CLDs and the CRÉs.
HISTORICAL_ORGANIZATIONS = [
    Org(
        "cld",
        "Centre local de développement (CLD) du Haut-Bocage",
        "other",
        "Soutien au développement économique local et à l'entrepreneuriat, dont l'économie sociale. Aboli en "
        "2015 ; la MRC a repris son mandat.",
        ["rls"],
        1998,
        archived=True,
    ),
    Org(
        "cre",
        "Conférence régionale des élus des Trois-Versants",
        "government",
        "Instance régionale de concertation des élus : planification du développement régional et fonds "
        "régionaux, dont le fonds régional pour les aînés. Abolie en 2015.",
        ["rls"],
        2004,
        archived=True,
    ),
    Org(
        "agence",
        "Agence de la santé et des services sociaux des Trois-Versants",
        "public",
        "Planification régionale des services de santé et des services sociaux ; a financé le démarrage de la "
        "démarche « Vieillir en santé ». Abolie en 2015 à la création du CISSS.",
        ["rls"],
        2005,
        archived=True,
    ),
    Org(
        "commission_scolaire",
        "Commission scolaire des Trois-Versants",
        "education",
        "Écoles primaires et secondaires et éducation des adultes du territoire. Remplacée en 2020 par le centre "
        "de services scolaire.",
        ["rls"],
        1998,
        archived=True,
    ),
    Org(
        "carrefour",
        "Carrefour d'information pour aînés du Haut-Bocage",
        "community",
        "Aide aux aînés pour comprendre les programmes et remplir les formulaires gouvernementaux. A fermé en 2014 "
        "faute de financement ; le Centre d'action bénévole a repris le service.",
        ["rls"],
        2006,
        archived=True,
    ),
]

ACCOUNT_PEOPLE = {  # demo account -> the person of the network who uses it (votes, personal calendar)
    "coordination": "Geneviève Lapointe",
    "analyste": "Karim Haddad",
    "popote": "Nathalie Fortin",
    "cab": "Louise Gauthier",
}


# Instances ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstanceSpec:
    key: str
    name: str
    kind: str
    basis: str
    territory: str  # "rls" or a community key
    opened: str
    mandate: str
    parent: str = ""
    theme: str = ""
    support: str = ""
    secretariat: str = ""
    public: bool = True
    coordinators: tuple[str, ...] = ()  # demo account usernames named on the instance


LOCAL_COMMITTEES = {  # community key -> (committee name, meeting place)
    "pole-urbain": ("Comité d'action locale du Pôle urbain", "Centre communautaire de Saint-Aurèle, salle 2"),
    "coteaux": ("Comité d'action locale des Coteaux", "Salle municipale de Sainte-Brigide-des-Coteaux"),
    "vallee-des-saules": ("Comité d'action locale de la Vallée des Saules", "Salle paroissiale de Rivebelle"),
    "les-rangs": ("Comité d'action locale des Rangs", "Salle municipale de Saint-Fulbert-des-Rangs"),
    "le-plateau": ("Comité d'action locale du Plateau", "Centre des loisirs de Sainte-Aurélie-du-Plateau"),
}

INSTANCES = [
    InstanceSpec(
        "assembly",
        "Assemblée des partenaires « Vieillir en santé au Haut-Bocage »",
        "assembly",
        "territorial",
        "rls",
        "2010-05-12",
        "Réunir tous les acteurs du territoire deux fois par année pour fixer les orientations de la démarche "
        "« Vieillir en santé », choisir ses priorités en ateliers puis en plénière, et en adopter le plan d'action. "
        "Le CISSS convoque et soutient ; l'assemblée décide des orientations (leadership partagé).",
        support="cisss",
        secretariat="cisss",
    ),
    InstanceSpec(
        "coordination",
        "Comité de coordination « Vieillir en santé »",
        "coordination_committee",
        "territorial",
        "rls",
        "2011-09-13",
        "Coordonner la mise en œuvre des orientations de l'assemblée : un délégué de chaque comité d'action locale, "
        "les organisations régionales et le CISSS, qui y délègue sa coordonnatrice de la concertation.",
        parent="assembly",
        support="cisss",
        secretariat="cisss",
    ),
    *[
        InstanceSpec(
            key,
            name,
            "local_action_committee",
            "territorial",
            key,
            "2011-10-03",
            "Réunir les acteurs du territoire d'appartenance (municipalités, organismes, citoyens) pour agir sur les "
            "conditions de vie des aînés et porter les priorités locales au comité de coordination.",
            parent="coordination",
            support="cisss",
        )
        for key, (name, _place) in LOCAL_COMMITTEES.items()
    ],
    InstanceSpec(
        "table",
        "Table de concertation des aînés du Haut-Bocage",
        "table",
        "thematic",
        "rls",
        "2003-02-18",
        "Lieu de concertation intersectorielle sur les conditions de vie des aînés : maltraitance, logement, "
        "politique municipale des aînés (MADA), proches aidants.",
        theme="Aînés",
        support="table",
        secretariat="table",
    ),
    InstanceSpec(
        "joint",
        "Comité conjoint de l'entente CISSS–CAB (accompagnement-transport médical)",
        "joint_committee",
        "thematic",
        "rls",
        "2022-01-28",
        "Suivre l'entente de services entre le CISSS et le Centre d'action bénévole : volumes, délais, "
        "qualité, reddition de comptes, et préparer son renouvellement dans le respect de l'autonomie de l'organisme.",
        theme="Accompagnement-transport médical",
        support="cisss",
        secretariat="cab",
        public=False,
        coordinators=("cab",),
    ),
]


# Memberships ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Seat:
    org: str
    start: str
    end: str | None = None
    role: str = "member"
    reps: tuple[str, ...] = ()  # representatives in order of preference; empty: the org's most senior person


def seat(org: str, start: str, end: str | None = None, role: str = "member", *reps: str) -> Seat:
    return Seat(org, start, end, role, reps)


CISSS_HEADS = ("Geneviève Lapointe", "Isabelle Gagné", "Marc-André Pelletier")
ORGANISERS = ("Sylvie Bergeron", "François Leblanc")

# The assembly: 16 founders in 2010; the municipalities and rural groups join in 2011 when the territories of
# belonging are drawn; the regional bodies in 2012. Then the decline: 38, 31, 27, 25, … down to 18 today.
ASSEMBLY_SEATS = [
    # 2010: the founders.
    # The CSSS co-chairs with the CDC until the autumn of 2013, then chairs alone (domain.md §6).
    seat("cisss", "2010-05-12", None, "chair", *CISSS_HEADS),
    seat("clsc", "2010-05-12", None, "member", "Julie Ouellet", "Patrick Nadeau", "Stéphanie Dufresne"),
    seat("cab", "2010-05-12", None, "member", "Louise Gauthier"),
    seat("aines", "2010-05-12", None, "member", "Jean-Guy Côté", "Pierrette Lachance"),
    seat("proches", "2010-05-12", None, "member", "Johanne Beaulieu"),
    seat("cdc", "2010-05-12", "2013-11-12", "chair", "Chantal Lefebvre", "Sylvie Bergeron"),
    seat("cdc", "2013-11-13", None, "member", "Chantal Lefebvre"),
    seat("table", "2010-05-12", None, "member", "Francine Roberge"),
    seat("famille", "2010-05-12", None, "member", "Catherine Boucher"),
    seat("popote", "2010-05-12", None, "member", "Nathalie Fortin", "Annie Roussel"),
    seat("muni_saint-aurele", "2010-05-12", None, "member", "Benoît Carrier", "Nicole Hamel"),
    seat("mrc", "2010-05-12", None, "member", "Caroline Dubé"),
    seat("carrefour", "2010-05-12", "2013-11-15"),
    seat("cld", "2010-05-12", "2014-12-31"),
    seat("handicap", "2010-05-12", "2015-11-30", "member", "Luc Desrosiers"),
    seat("banque", "2010-11-17", "2014-11-30", "member", "Stéphane Martel"),
    seat("rpa", "2010-11-17", "2019-06-30", "member", "Éric Lamontagne"),
    # 2011: the territories of belonging; municipalities and rural groups come in.
    seat("transport", "2011-05-11", None, "member", "Diane Pelletier"),
    # The CSSS's programme managers: more of them from 2013, when the new SAPA direction takes back the lead;
    # the CISSS reduces its delegation after the 2015 merger. Same organisations: the curve below is unchanged.
    seat("clsc", "2011-05-11", "2015-11-18", "member", "Martin Lavallée"),
    seat("cisss", "2011-05-11", "2015-11-18", "member", "Alain Vézina"),
    seat("cisss", "2011-11-16", "2015-11-18", "member", "Nancy Poulin"),
    seat("clsc", "2012-05-16", "2015-11-18", "member", "Marie-Josée Plante"),
    seat("cisss", "2012-05-16", "2015-11-18", "member", "Claude Arsenault"),
    seat("cisss", "2013-11-13", "2015-11-18", "member", "Hugo Lambert"),
    seat("cisss", "2013-11-13", "2015-11-18", "member", "Jacinthe Morissette"),
    seat("entraide", "2011-05-11", "2018-11-14", "member", "Réjean Fournier"),
    seat("cuisines", "2011-05-11", "2016-05-11"),
    seat("club", "2011-05-11", "2023-06-30", "member", "Thérèse Lapierre"),
    seat("vivre_coteaux", "2011-11-16", None, "member", "Rolande Veilleux"),
    seat("muni_sainte-brigide", "2011-11-16", "2022-11-16", "member", "Daniel Bérubé"),
    seat("muni_lac-mirette", "2011-11-16", "2017-11-05", "member", "Jean-Guy Côté"),
    seat("muni_notre-dame-des-saules", "2011-11-16", "2020-03-12", "member", "Jocelyne Vachon"),
    seat("muni_rivebelle", "2011-11-16", "2013-05-15"),
    seat("muni_saint-fulbert", "2011-11-16", None, "member", "Serge Paradis"),
    seat("muni_saint-eloi", "2011-11-16", "2014-05-14"),
    seat("muni_sainte-aurelie", "2011-11-16", "2019-11-13"),
    seat("muni_mont-genievre", "2011-11-16", "2015-05-13"),
    seat("commission_scolaire", "2011-11-16", "2013-11-15"),
    # 2012: the peak, with the regional bodies and the specialised organisations.
    seat("cre", "2012-05-16", "2013-11-15"),
    seat("agence", "2012-05-16", "2012-11-30"),
    seat("gmf", "2012-05-16", "2013-11-15", "member", "Anne-Marie Giasson"),
    seat("eesad", "2012-05-16", "2014-05-14", "member", "Sébastien Cormier"),
    seat("fondation", "2012-05-16", "2013-05-15"),
    seat("fonds", "2012-05-16", "2012-11-21"),
    seat("femmes", "2012-05-16", "2012-11-21", "member", "Marie-Claude Tremblay"),
    seat("mdj", "2012-05-16", "2013-11-15"),
    seat("ecoute", "2012-05-16", "2012-11-21"),
    seat("hebergement", "2012-05-16", "2012-11-21", "member", "Josée Cloutier"),
    seat("travail_rue", "2012-05-16", "2013-11-15", "member", "Karine Simard"),
    seat("assureur", "2012-11-21", "2012-11-21"),
    seat("emploi", "2012-11-21", "2012-11-21"),
    seat("defense", "2012-11-21", "2015-11-30", "member", "Raymond Giguère"),
    # Later arrivals, fewer than the departures.
    seat("friperie", "2013-05-15", None, "member", "Marie-Ève Laroche"),
    seat("rangs", "2014-05-14", None, "member", "Aline Pépin", "François Leblanc"),
    seat("havre", "2016-11-16", None, "member", "Michel Lévesque"),
    seat("css", "2021-05-12", None, "observer", "Élise Turcotte", "Martin Pelchat"),
]
# Distinct member organisations of the assembly per calendar year (what the participation chart shows).
ASSEMBLY_CURVE = {
    2010: 16, 2011: 30, 2012: 44, 2013: 38, 2014: 31, 2015: 27, 2016: 25, 2017: 24, 2018: 23, 2019: 22,
    2020: 20, 2021: 20, 2022: 20, 2023: 19, 2024: 18, 2025: 18,
}  # fmt: skip

COORDINATION_SEATS = [
    seat("cisss", "2011-09-13", None, "chair", *CISSS_HEADS),
    seat("cisss", "2012-09-11", None, "secretariat", "Sylvie Bergeron"),
    seat("cdc", "2011-09-13", None, "member", "Chantal Lefebvre", "Sylvie Bergeron"),
    seat("table", "2011-09-13", None, "member", "Francine Roberge"),
    seat("mrc", "2011-09-13", None, "member", "Caroline Dubé", "Mathieu Gosselin"),
    seat("cab", "2011-09-13", None, "member", "Louise Gauthier"),
    seat("proches", "2012-01-17", None, "member", "Johanne Beaulieu"),
    seat("agence", "2011-09-13", "2013-03-31"),
    seat("fondation", "2014-02-11", None, "observer", "Marc-André Pelletier"),
]

LOCAL_SEATS = {
    "pole-urbain": [
        seat("muni_saint-aurele", "2011-10-03", None, "member", "Benoît Carrier", "Nicole Hamel"),
        seat("aines", "2011-10-03", None, "member", "Jean-Guy Côté", "Pierrette Lachance"),
        seat("popote", "2011-10-03", None, "member", "Nathalie Fortin", "Annie Roussel"),
        seat("famille", "2011-10-03", None, "member", "Émilie Poirier", "Catherine Boucher"),
        seat("mdj", "2013-02-04", None, "member", "Maxime Bouchard", "Jessica Bernier"),
        seat("travail_rue", "2011-10-03", "2019-06-03", "member", "Karine Simard"),
        seat("cab", "2011-10-03", None, "member", "Hélène Morin", "Louise Gauthier"),
        seat("rpa", "2015-03-02", None, "member", "Karine Duval", "Éric Lamontagne"),
        seat("friperie", "2014-01-13", None, "member", "Marie-Ève Laroche"),
        seat("gmf", "2012-04-02", "2018-12-03", "member", "Anne-Marie Giasson"),
        seat("cisss", "2011-10-03", None, "secretariat", *ORGANISERS),
    ],
    "coteaux": [
        seat("muni_sainte-brigide", "2011-10-06", None, "member", "Daniel Bérubé"),
        seat("muni_lac-mirette", "2011-10-06", None, "member", "Lucie Harvey", "Jean-Guy Côté"),
        seat("entraide", "2011-10-06", None, "member", "Réjean Fournier", "Solange Dufour"),
        seat("vivre_coteaux", "2011-11-03", None, "chair", "Rolande Veilleux"),
        seat("vivre_coteaux", "2013-02-01", None, "member", "Lucien Morneau"),
        seat("popote", "2014-05-01", None, "member", "Nathalie Fortin", "Annie Roussel"),
        seat("cab", "2011-10-06", None, "member", "Ginette Paquette", "Hélène Morin"),
        seat("famille", "2012-09-06", "2017-06-01", "member", "Catherine Boucher"),
        seat("cisss", "2011-10-06", None, "secretariat", *ORGANISERS),
    ],
    "vallee-des-saules": [
        seat("muni_notre-dame-des-saules", "2011-10-13", None, "chair", "Jocelyne Vachon"),
        seat("muni_rivebelle", "2011-10-13", None, "member", "André Boivin"),
        seat("club", "2011-10-13", "2023-06-30", "member", "Thérèse Lapierre"),
        seat("havre", "2016-09-08", None, "member", "Michel Lévesque"),
        seat("popote", "2012-02-09", None, "member", "Denis Lavoie"),
        seat("proches", "2012-02-09", None, "member", "Guylaine Mercier", "Johanne Beaulieu"),
        seat("cisss", "2011-10-13", None, "secretariat", *ORGANISERS),
    ],
    "les-rangs": [
        seat("muni_saint-fulbert", "2011-10-19", None, "member", "Serge Paradis"),
        seat("muni_saint-eloi", "2011-10-19", None, "member", "Sophie Labbé"),
        seat("transport", "2011-10-19", None, "member", "Diane Pelletier", "Gaétan Roy"),
        seat("rangs", "2014-03-20", None, "chair", "Aline Pépin"),
        seat("rangs", "2020-03-18", None, "member", "François Leblanc"),
        seat("cab", "2012-01-18", None, "member", "Ginette Paquette", "Louise Gauthier"),
        seat("proches", "2013-04-17", None, "member", "Pierre Deschênes", "Johanne Beaulieu"),
        seat("cisss", "2011-10-19", None, "secretariat", "François Leblanc", "Sylvie Bergeron"),
    ],
    "le-plateau": [
        seat("muni_sainte-aurelie", "2011-10-20", None, "member", "Richard Gauvin"),
        seat("muni_mont-genievre", "2011-10-20", None, "member", "Manon Perron"),
        seat("cuisines", "2011-10-20", None, "chair", "Nadia Benali"),
        seat("mdj", "2013-09-19", None, "member", "Sarah Giroux", "Maxime Bouchard"),
        seat("transport", "2012-05-17", None, "member", "Gaétan Roy", "Diane Pelletier"),
        seat("gmf", "2011-10-20", None, "member", "Anne-Marie Giasson"),
        seat("cisss", "2011-10-20", None, "secretariat", "François Leblanc", "Sylvie Bergeron"),
    ],
}

TABLE_SEATS = [
    seat("table", "2008-01-22", None, "secretariat", "Francine Roberge"),
    seat("aines", "2008-01-22", None, "chair", "Jean-Guy Côté", "Pierrette Lachance"),
    seat("cab", "2008-01-22", None, "member", "Louise Gauthier"),
    seat("popote", "2008-01-22", None, "member", "Claudette Bélanger"),
    seat("proches", "2008-01-22", None, "member", "Johanne Beaulieu"),
    seat("cisss", "2008-01-22", None, "member", "Isabelle Gagné", "Marc-André Pelletier"),
    seat("clsc", "2010-09-28", None, "member", "Patrick Nadeau"),
    seat("rpa", "2010-09-28", None, "member", "Éric Lamontagne"),
    seat("handicap", "2009-01-27", "2016-06-14", "member", "Luc Desrosiers"),
    seat("club", "2010-01-26", "2019-06-11", "member", "Thérèse Lapierre"),
    seat("eesad", "2012-09-25", None, "member", "Sébastien Cormier"),
    seat("defense", "2012-11-27", None, "member", "Raymond Giguère"),
    seat("muni_saint-aurele", "2013-11-26", None, "member", "Benoît Carrier"),
    seat("havre", "2017-01-24", None, "member", "Michel Lévesque"),
    seat("police", "2019-01-22", None, "observer", "Frédéric Blais"),
    seat("mrc", "2021-11-23", None, "member", "Mathieu Gosselin"),
]

JOINT_SEATS = [
    seat("cisss", "2022-01-28", None, "member", "Annie Roussel"),
    seat("clsc", "2022-01-28", None, "member", "Julie Ouellet"),
    seat("cab", "2022-01-28", None, "chair", "Louise Gauthier"),
    seat("cab", "2022-01-28", None, "secretariat", "Hélène Morin"),
    seat("transport", "2023-03-31", None, "observer", "Diane Pelletier"),
]

SEATS = {
    "assembly": ASSEMBLY_SEATS,
    "coordination": COORDINATION_SEATS,
    **LOCAL_SEATS,
    "table": TABLE_SEATS,
    "joint": JOINT_SEATS,
}

# Each local action committee delegates one of its members to the coordination committee (domain.md §7).
DELEGATES = {  # community key -> (delegated person, seat taken on)
    "pole-urbain": ("Nathalie Fortin", "2019-09-10"),
    "coteaux": ("Lucien Morneau", "2013-02-12"),
    "vallee-des-saules": ("Jocelyne Vachon", "2014-02-11"),
    "les-rangs": ("Aline Pépin", "2015-02-10"),
    "le-plateau": ("Nadia Benali", "2016-09-13"),
}


# Meetings -------------------------------------------------------------------------------------

MON, TUE, WED, THU, FRI = range(5)


@dataclass(frozen=True)
class Schedule:
    months: tuple[int, ...]
    week: int  # n-th weekday of the month; -1 for the last one
    weekday: int
    start: tuple[int, int]
    minutes: int
    place: str
    title: str  # "{season}" and "{year}" are filled in
    video: str = ""


SCHEDULES = {
    "assembly": Schedule(
        (5, 11), 2, WED, (13, 0), 210, "Salle du Centre communautaire de Saint-Aurèle, 150, rue Principale",
        "Assemblée des partenaires — {season} {year}",
    ),
    "coordination": Schedule(
        (2, 4, 6, 9, 10, 12), 2, TUE, (9, 0), 150, "CISSS, salle Les Érables, 1200, boulevard des Érables",
        "Comité de coordination", "https://visio.hautbocage.example/coordination",
    ),
    "pole-urbain": Schedule((2, 4, 9, 11), 1, MON, (13, 30), 120, LOCAL_COMMITTEES["pole-urbain"][1], "CAL"),
    "coteaux": Schedule((2, 4, 9, 11), 1, THU, (19, 0), 120, LOCAL_COMMITTEES["coteaux"][1], "CAL"),
    "vallee-des-saules": Schedule(
        (2, 4, 9, 11), 2, THU, (19, 0), 120, LOCAL_COMMITTEES["vallee-des-saules"][1], "CAL"
    ),
    "les-rangs": Schedule((2, 4, 9, 11), 3, WED, (13, 30), 120, LOCAL_COMMITTEES["les-rangs"][1], "CAL"),
    "le-plateau": Schedule((2, 4, 9, 11), 3, THU, (9, 30), 120, LOCAL_COMMITTEES["le-plateau"][1], "CAL"),
    "table": Schedule(
        (1, 3, 5, 9, 11), 4, TUE, (9, 30), 150, "Salle de l'Association des aînés actifs, 75, rue Saint-Jacques",
        "Table de concertation des aînés",
    ),
    "joint": Schedule(
        (3, 6, 10), -1, FRI, (10, 0), 90, "Centre d'action bénévole, 310, rue Principale",
        "Comité conjoint de l'entente", "https://visio.hautbocage.example/entente-transport",
    ),
}  # fmt: skip
SEASONS = {5: "printemps", 11: "automne"}


@dataclass(frozen=True)
class Topic:
    title: str
    description: str
    minutes: str
    decision: str = ""
    mode: str = "consensus"  # consensus, vote or deferred
    votes: tuple[int, int, int] | None = None  # for, against, abstentions
    dissent: str = ""
    todo: str = ""  # follow-up item
    owner: str = ""  # organisation key responsible for the follow-up


T = Topic
TOPICS = {
    "assembly": [
        T("Bilan de l'année des comités d'action locale",
          "Chaque comité présente ses réalisations et ses difficultés.",
          "Les cinq comités présentent leur bilan. Les Rangs et le Plateau soulignent la difficulté de recruter des "
          "bénévoles ; le Pôle urbain note une baisse de participation des organismes.",
          todo="Rassembler les bilans des cinq comités dans un document commun", owner="cisss"),
        T("Portrait des aînés du Haut-Bocage : faits saillants",
          "Présentation des données de population et de santé publique par territoire d'appartenance.",
          "Le CISSS présente le portrait : plus de 25 % de la population a 65 ans ou plus, 32 % dans les Rangs. "
          "Les partenaires demandent les données par village.",
          todo="Produire les données du portrait par village", owner="cisss"),
        T("Priorités d'action : ateliers et plénière",
          "Travail en équipes sur les besoins prioritaires, puis vote en plénière (exercice de priorisation).",
          "Cinq équipes ont travaillé sur les besoins proposés ; la plénière a voté. Cinq priorités recueillent "
          "l'adhésion d'une majorité des votants ; les résultats sont dans l'exercice de priorisation.",
          decision="L'assemblée retient les priorités ayant obtenu l'adhésion de plus de la moitié des votants.",
          todo="Transmettre les priorités retenues aux comités d'action locale", owner="cisss"),
        T("Adoption du plan d'action",
          "Présentation du plan d'action tiré des priorités retenues.",
          "La coordonnatrice présente les cinq objectifs et leurs actions. La CDC demande que les comités d'action "
          "locale gardent la main sur le choix des projets.",
          decision="L'assemblée adopte le plan d'action « Vieillir en santé ».", mode="vote", votes=(27, 0, 3),
          todo="Diffuser le plan d'action adopté à tous les partenaires", owner="cdc"),
        T("Reconnaissance des bénévoles et des partenaires",
          "Hommage aux personnes qui font vivre la démarche dans les villages.",
          "Hommage rendu à douze bénévoles des cinq communautés ; témoignage d'un conducteur bénévole des Rangs."),
        T("Suivi du plan d'action : indicateurs de mi-parcours",
          "Où en sont les actions et les indicateurs du plan.",
          "Les indicateurs de transport et de répit progressent ; la navette du Plateau accuse un retard. "
          "Les partenaires demandent un bilan écrit avant l'assemblée d'automne.",
          todo="Préparer un bilan écrit des indicateurs", owner="cisss"),
    ],
    "coordination": [
        T("Tour des comités d'action locale",
          "Chaque délégué rapporte les travaux de son comité.",
          "Les délégués font état des projets en cours ; le comité des Rangs demande un soutien pour le transport "
          "vers les cafés-rencontres.",
          todo="Explorer un soutien au transport vers les cafés-rencontres des Rangs", owner="transport"),
        T("Répartition de l'enveloppe de soutien aux projets locaux",
          "Proposition de répartition de l'enveloppe annuelle entre les cinq comités.",
          "La proposition du CISSS répartit l'enveloppe selon les projets arrimés aux programmes. Débat sur la "
          "place des priorités choisies par les comités eux-mêmes.",
          decision="Le comité adopte la répartition proposée de l'enveloppe de soutien aux projets locaux.",
          mode="vote", votes=(9, 2, 1),
          dissent="La CDC et le délégué des Coteaux enregistrent leur dissidence : la répartition favorise les "
          "projets arrimés aux programmes du CISSS plutôt que les priorités votées par les comités locaux.",
          todo="Transmettre les montants accordés à chaque comité", owner="cisss"),
        T("Projet de navigation des services pour aînés",
          "Proposition d'un service d'accompagnement dans les démarches auprès du réseau.",
          "Le projet suscite de l'intérêt, mais son financement après la première année n'est pas connu.",
          decision="La décision d'appuyer le projet de navigation des services est reportée à la prochaine "
          "rencontre, faute d'information sur son financement récurrent.", mode="deferred",
          todo="Obtenir du CISSS la confirmation du financement récurrent du projet", owner="cisss"),
        T("Préparation de l'assemblée des partenaires",
          "Ordre du jour, animation et logistique de la prochaine assemblée.",
          "L'ordre du jour est convenu ; la CDC coanime avec le CISSS. Covoiturage organisé depuis les villages.",
          decision="L'ordre du jour de l'assemblée est adopté.",
          todo="Envoyer la convocation de l'assemblée aux partenaires", owner="cisss"),
        T("Suivi du plan d'action",
          "État d'avancement des actions par objectif.",
          "Avancement conforme pour trois objectifs ; la navette du Plateau est retardée par l'appel d'offres de "
          "la MRC.",
          todo="Faire le point avec la MRC sur l'appel d'offres de la navette", owner="mrc"),
        T("Entente accompagnement-transport : bilan du comité conjoint",
          "Retour du comité conjoint CISSS–CAB.",
          "Le CAB rapporte une hausse de 30 % des demandes ; les bénévoles conducteurs s'essoufflent.",
          todo="Documenter le besoin de nouveaux conducteurs bénévoles", owner="cab"),
        T("Communication de la démarche",
          "Bulletin aux partenaires et page de la démarche.",
          "Un bulletin trimestriel sera produit à tour de rôle par les comités.",
          decision="Le comité adopte le principe d'un bulletin trimestriel produit à tour de rôle.",
          todo="Rédiger le premier bulletin", owner="cdc"),
        T("Données de transport collectif",
          "Demande de données à la MRC sur l'achalandage du transport collectif rural.",
          "La MRC transmettra les données dès leur publication.",
          todo="Obtenir de la MRC les données d'achalandage du transport collectif", owner="mrc"),
    ],
    "local": [
        T("Tour de table des partenaires",
          "Nouvelles des organismes, de la municipalité et des citoyens.",
          "Chaque partenaire présente ses activités ; la municipalité annonce la rénovation de la salle "
          "communautaire."),
        T("Retour du comité de coordination",
          "Le délégué rapporte les décisions du comité de coordination.",
          "Le délégué présente la répartition de l'enveloppe et les suites du plan d'action.",
          todo="Faire connaître au délégué les questions du comité pour la prochaine coordination", owner="cisss"),
        T("Café-rencontre des aînés",
          "Organisation du café-rencontre mensuel.",
          "Le café-rencontre se tiendra le deuxième mardi du mois ; deux bénévoles de plus sont nécessaires.",
          decision="Le comité maintient le café-rencontre mensuel.",
          todo="Recruter deux bénévoles pour le café-rencontre", owner="cab"),
        T("Repérage des aînés isolés",
          "Comment repérer les aînés qui ne participent à rien.",
          "Les livreurs de la popote et les conducteurs bénévoles signalent les situations préoccupantes au CLSC, "
          "avec l'accord des personnes.",
          todo="Préparer une fiche de signalement simple pour les bénévoles", owner="clsc"),
        T("Besoins de transport",
          "Déplacements vers la ville-centre et entre les villages.",
          "Les demandes d'accompagnement dépassent l'offre le jeudi ; une navette est évoquée.",
          todo="Compiler les demandes de transport non comblées", owner="transport"),
        T("Fête des aînés du village",
          "Organisation de la fête annuelle.",
          "La fête aura lieu en juin avec un dîner communautaire ; la municipalité prête la salle.",
          decision="Le comité consacre 500 $ de son enveloppe à la fête des aînés.", mode="vote", votes=(6, 0, 1)),
        T("Bottin des ressources du territoire",
          "Mise à jour du bottin imprimé distribué aux aînés.",
          "Le bottin sera mis à jour à partir du répertoire Maillage et imprimé par la municipalité.",
          todo="Vérifier les coordonnées des ressources du bottin", owner="cab"),
        T("Projet intergénérationnel",
          "Jumelage entre l'école et les aînés.",
          "L'école propose des ateliers de lecture avec des aînés ; accueil favorable, à préciser.",
          decision="La participation du comité au projet intergénérationnel est reportée après la rencontre "
          "avec la direction de l'école.", mode="deferred"),
    ],
    "table": [
        T("Politique municipale des aînés (MADA)",
          "Suivi du plan d'action MADA de la Ville et de la MRC.",
          "La Ville présente l'avancement de son plan MADA ; la Table demande d'être consultée sur le volet logement.",
          todo="Transmettre les commentaires de la Table sur le volet logement", owner="table"),
        T("Lutte contre la maltraitance : campagne du 15 juin",
          "Activités de la Journée mondiale de sensibilisation.",
          "Kiosques dans les pharmacies et à la résidence ; le policier-parrain animera une séance d'information.",
          decision="La Table coordonne la campagne du 15 juin avec les partenaires.",
          todo="Commander le matériel de la campagne", owner="defense"),
        T("Logement des aînés : portrait",
          "Données sur les loyers et les besoins de logement adapté.",
          "Le portrait montre un manque de logements abordables hors de la ville-centre.",
          todo="Compléter le portrait avec les données de l'office d'habitation", owner="table"),
        T("Programme Québec ami des aînés : projets",
          "Projets déposés et appuis de la Table.",
          "Deux projets déposés ; la Table appuie les deux.",
          decision="La Table appuie les deux projets déposés au programme Québec ami des aînés.",
          mode="vote", votes=(10, 0, 2)),
        T("Prévention des chutes à domicile",
          "Programme intégré d'équilibre dynamique (PIED).",
          "Le CISSS offrira deux groupes PIED ; l'association des aînés recrute les participants.",
          todo="Réserver les salles pour les groupes PIED", owner="aines"),
        T("Semaine nationale des proches aidants",
          "Activités de reconnaissance en novembre.",
          "Soirée de reconnaissance organisée par l'association des proches aidants.",
          todo="Diffuser l'invitation à la soirée de reconnaissance", owner="proches"),
    ],
    "joint": [
        T("Bilan des accompagnements",
          "Volumes, délais et refus du trimestre.",
          "Hausse des demandes de 12 % ; trois demandes refusées faute de conducteur.",
          todo="Analyser les refus par territoire", owner="cab"),
        T("Indicateurs de l'entente",
          "Révision des indicateurs de reddition de comptes.",
          "Le CAB demande d'alléger la reddition de comptes ; le CISSS propose quatre indicateurs au lieu de neuf.",
          decision="Le comité retient quatre indicateurs de reddition de comptes.",
          todo="Adapter le gabarit de reddition de comptes", owner="cisss"),
        T("Liste d'attente et priorisation",
          "Règles de priorité lorsque la demande dépasse l'offre.",
          "Priorité aux traitements d'oncologie et de dialyse ; les autres demandes sont servies dans l'ordre.",
          decision="Le comité adopte les règles de priorisation des demandes.", mode="vote", votes=(3, 0, 1),
          dissent="Le Transport bénévole des Rangs, observateur, rappelle que l'organisme décide seul de ses "
          "propres règles de service."),
        T("Renouvellement de l'entente",
          "Préparation du renouvellement et du financement.",
          "Le CAB pose ses conditions : financement indexé et respect de sa mission propre.",
          decision="La recommandation sur le renouvellement est reportée en attendant l'enveloppe budgétaire.",
          mode="deferred", todo="Obtenir l'enveloppe budgétaire prévue pour l'entente", owner="cisss"),
    ],
}  # fmt: skip


# The assembly's first years (2010–2015) -------------------------------------------------------------------
# Fixed dates, before the three years that follow the day of loading: the founding years of co-construction
# (priorities from the milieux, decisions by consensus or by vote with dissent recorded, a chair shared by the CDC
# and the CSSS), then, from 2013, the CSSS's programme priorities, a chair held by the CSSS alone, and fewer
# community organisations in the room. Votes count the members present: for = present − against − abstentions.


@dataclass(frozen=True)
class PastMeeting:
    day: str
    topics: tuple[Topic, ...]
    community_presence: float  # chance that a community organisation's representative is present


HISTORY = [
    PastMeeting("2010-05-12", (
        T("Lancement de la démarche « Vieillir en santé au Haut-Bocage »",
          "Présentation de la démarche par ses deux coprésidences, la CDC et le CSSS.",
          "La CDC et le CSSS présentent la démarche : l'assemblée fixe les orientations, le CSSS convoque, soutient "
          "et engage des moyens. Les partenaires discutent des valeurs et des règles de fonctionnement.",
          decision="L'assemblée adopte ses règles de fonctionnement : chacun son rôle, décisions par consensus, vote "
          "au besoin avec dissidence consignée, coprésidence de la CDC et du CSSS."),
        T("Redessiner le territoire : premières propositions",
          "Les découpages statistiques ne correspondent pas aux milieux de vie : travail en équipes.",
          "Les équipes proposent de regrouper les villages selon leurs affinités (besoins partagés, géographie, "
          "alliances naturelles) plutôt que selon les découpages statistiques.",
          decision="L'assemblée confie à un comité de travail formé d'organismes et de citoyens la proposition des "
          "territoires d'appartenance."),
    ), 0.85),
    PastMeeting("2010-11-17", (
        T("Territoires d'appartenance : proposition du comité de travail",
          "Cinq territoires d'appartenance : un pôle urbain et quatre communautés rurales.",
          "Le comité de travail présente cinq territoires d'appartenance ; longue discussion sur les villages de "
          "la rivière et ceux du plateau.",
          decision="L'assemblée retient la proposition des cinq territoires d'appartenance et la soumet aux "
          "municipalités.", mode="vote", votes=(0, 2, 1),
          dissent="Le CLD enregistre sa dissidence : il aurait préféré suivre les découpages existants, sur lesquels "
          "reposent ses programmes."),
        T("Besoins des aînés : tournée des milieux",
          "Comment recenser les besoins avec les aînés eux-mêmes.",
          "Les organismes proposent des cafés-rencontres dans chaque village pour entendre les aînés.",
          decision="L'assemblée mandate les organismes et les citoyens de chaque territoire de recenser les besoins "
          "des aînés d'ici le printemps."),
    ), 0.85),
    PastMeeting("2011-05-11", (
        T("Priorités d'action 2011-2013 : ateliers et plénière",
          "Les besoins recensés dans les milieux, travaillés en équipes, puis votés en plénière.",
          "Les équipes ont travaillé sur les besoins rapportés de la tournée des villages ; la plénière a voté. "
          "Quatre priorités, toutes proposées par les organismes du milieu, recueillent l'adhésion d'une majorité.",
          decision="L'assemblée retient les quatre priorités proposées par les organismes du milieu ayant obtenu "
          "l'adhésion de plus de la moitié des votants."),
        T("Territoires d'appartenance : adoption et invitation des municipalités",
          "Retour des municipalités sur le découpage proposé.",
          "Les municipalités appuient le découpage ; elles seront invitées à siéger à l'assemblée et aux comités.",
          decision="L'assemblée adopte les cinq territoires d'appartenance et invite chaque municipalité à siéger.",
          mode="vote", votes=(0, 0, 2)),
    ), 0.85),
    PastMeeting("2011-11-16", (
        T("Comités d'action locale et comité de coordination",
          "Une structure pour agir dans chaque territoire d'appartenance.",
          "La proposition crée un comité d'action locale par territoire et un comité de coordination où chacun "
          "délègue une personne. Des petits organismes s'inquiètent du nombre de rencontres.",
          decision="L'assemblée crée un comité d'action locale par territoire d'appartenance et un comité de "
          "coordination où chaque comité délègue une personne.", mode="vote", votes=(0, 1, 2),
          dissent="Le Carrefour d'information pour aînés enregistre sa dissidence : les petits organismes ne "
          "pourront pas suivre autant de comités."),
        T("Plan d'action 2012-2013 issu des priorités des milieux",
          "Les actions proposées par les organismes pour les quatre priorités retenues au printemps.",
          "Chaque priorité est portée par un organisme du milieu ; le CSSS y affecte une organisatrice "
          "communautaire et un fonds de soutien aux projets locaux.",
          decision="L'assemblée adopte le plan d'action bâti à partir des priorités des milieux.", mode="vote",
          votes=(0, 0, 3)),
    ), 0.85),
    PastMeeting("2012-05-16", (
        T("Bilan de la première année des comités d'action locale",
          "Chaque comité présente ses premiers projets.",
          "Cafés-rencontres dans trois villages, appels d'amitié dans les Rangs, projet de navette au Plateau : les "
          "comités présentent leurs premiers projets et les bénévoles qui les portent."),
        T("Accueil des organisations régionales et spécialisées",
          "Douze organisations se joignent à l'assemblée.",
          "Tour de présentation des nouvelles organisations membres ; l'assemblée compte désormais 44 organisations.",
          decision="L'assemblée accueille ses nouvelles organisations membres et reconduit la coprésidence de la "
          "CDC et du CSSS."),
        T("Répartition du fonds de soutien aux projets locaux",
          "Proposition des comités d'action locale pour le fonds de soutien du CSSS.",
          "Les comités proposent de répartir le fonds selon les projets qu'ils ont choisis ; débat sur la part des "
          "projets jeunesse-aînés.",
          decision="L'assemblée répartit le fonds de soutien entre les cinq comités d'action locale selon les "
          "projets qu'ils ont choisis.", mode="vote", votes=(0, 3, 2),
          dissent="La Maison des jeunes enregistre sa dissidence : la part réservée aux projets "
          "intergénérationnels est trop faible."),
    ), 0.85),
    PastMeeting("2012-11-21", (
        T("Projets des comités : cafés-rencontres, transport, répit",
          "Suivi des projets choisis par les comités d'action locale.",
          "Les projets avancent ; les comités demandent de garder le même soutien en 2013.",
          decision="L'assemblée appuie les projets présentés par les cinq comités d'action locale."),
        T("Priorités complémentaires 2013 : vote en plénière",
          "Deux besoins proposés depuis le printemps : le logement des aînés (comité de la Vallée des Saules) et la "
          "littératie numérique (Centre d'action bénévole).",
          "Le comité de la Vallée des Saules présente le manque de logements adaptés hors de la ville-centre ; la "
          "plénière vote sur les deux besoins proposés (exercice de priorisation).",
          decision="L'assemblée ajoute à ses priorités le logement abordable et adapté, proposé par le comité de la "
          "Vallée des Saules, qui obtient l'adhésion de plus de la moitié des votants."),
    ), 0.8),
    PastMeeting("2013-05-15", (
        T("Cibles ministérielles du programme SAPA : présentation du CSSS",
          "L'entente de gestion du CSSS et ses cibles pour les aînés.",
          "Le CSSS présente ses cibles de soutien à domicile et de repérage des aînés en perte d'autonomie. Les "
          "partenaires demandent comment leurs priorités y trouveront leur place ; réponse attendue à l'automne."),
        T("Soutien aux projets des comités d'action locale en 2013",
          "Reconduction du fonds de soutien.",
          "Le fonds est reconduit, à condition que les projets s'arriment aux cibles du programme SAPA.",
          decision="L'assemblée reconduit le soutien aux projets des comités pour 2013, arrimés aux cibles du "
          "programme SAPA."),
    ), 0.75),
    PastMeeting("2013-11-13", (
        T("Orientations 2014-2016 du CSSS pour les aînés",
          "Présentation par la nouvelle direction du programme SAPA.",
          "La nouvelle direction présente des orientations tirées des cibles ministérielles : repérage, soutien à "
          "domicile, prévention des chutes. Les partenaires sont invités à dire comment ils y contribueront.",
          decision="L'assemblée prend acte des orientations 2014-2016 présentées par le CSSS.", mode="vote",
          votes=(0, 1, 4),
          dissent="L'organisme de travail de rue enregistre sa dissidence : l'assemblée est consultée sur des "
          "orientations déjà arrêtées."),
        T("Présidence de l'assemblée",
          "Le CSSS propose d'assumer seul la présidence et l'animation de la démarche.",
          "Le CSSS assumera la présidence et l'animation de l'assemblée ; la CDC reste membre.",
          decision="L'assemblée prend acte que le CSSS assume désormais seul la présidence de l'assemblée."),
    ), 0.6),
    PastMeeting("2014-05-14", (
        T("Priorités 2014-2016 : arrimage aux cibles du programme SAPA",
          "Les besoins proposés par le CSSS et les comités, votés en plénière.",
          "Le CSSS présente les priorités tirées de ses cibles ; les comités d'action locale présentent les leurs. "
          "Trois priorités du CSSS et une seule des comités recueillent l'adhésion d'une majorité.",
          decision="L'assemblée retient les priorités arrimées aux cibles du programme SAPA ayant obtenu l'adhésion "
          "de plus de la moitié des votants."),
        T("Repérage des aînés en perte d'autonomie : rôle attendu des organismes",
          "Présentation de l'outil de repérage du CSSS.",
          "Le CSSS demande aux organismes de diriger vers le CLSC les aînés repérés à l'aide de son outil.",
          decision="L'assemblée convient que les organismes dirigent vers le CLSC les aînés repérés, selon l'outil "
          "du CSSS."),
    ), 0.55),
    PastMeeting("2014-11-12", (
        T("Plan d'action 2015-2016 du programme SAPA",
          "Présentation du plan d'action par la direction du programme SAPA.",
          "La direction présente son plan d'action ; peu de questions dans la salle.",
          decision="L'assemblée prend acte du plan d'action présenté par la direction du programme SAPA."),
        T("Fin du mandat de soutien aux comités d'action locale",
          "Information du CSSS.",
          "Le mandat de la personne qui soutenait les comités d'action locale a pris fin en juin ; les comités "
          "s'adresseront à l'organisation communautaire du CLSC. Plusieurs comités disent s'essouffler."),
    ), 0.55),
    PastMeeting("2015-05-13", (
        T("Création du CISSS des Trois-Versants : ce qui change",
          "La loi 10 fusionne le CSSS et l'agence dans le CISSS.",
          "Le CISSS présente sa structure ; les décisions se prendront désormais à l'échelle de la région."),
        T("Ententes de services avec les organismes",
          "Le cadre des ententes de services proposé par le CISSS.",
          "Le CISSS présente le cadre des ententes de services pour le répit, les repas et l'accompagnement.",
          decision="L'assemblée prend acte du cadre des ententes de services proposé par le CISSS."),
    ), 0.55),
    PastMeeting("2015-11-18", (
        T("Reddition de comptes des projets financés",
          "Le gabarit de reddition de comptes du CISSS.",
          "Le CISSS présente son gabarit ; les organismes demandent qu'il soit allégé pour les petits projets.",
          decision="L'assemblée adopte le gabarit de reddition de comptes proposé par le CISSS."),
        T("Avenir de l'assemblée",
          "Comment garder les partenaires autour de la table.",
          "Plusieurs organismes disent ne plus pouvoir suivre toutes les concertations ; la CDC propose de revoir "
          "le fonctionnement avec les comités d'action locale."),
    ), 0.55),
]  # fmt: skip


# Priority exercise, démarche and action plan (years relative to the anchor year Y, the year of loading) ---------


@dataclass(frozen=True)
class CandidateSpec:
    title: str
    origin: str
    adherents: int  # of the 20 plenary voters
    by_org: str = ""
    by_committee: str = ""
    description: str = ""


CANDIDATES = [
    CandidateSpec("Briser l'isolement des aînés des rangs et des villages", "local_actors", 17,
                  by_committee="les-rangs",
                  description="Cafés-rencontres, appels d'amitié, visites de bénévoles."),
    CandidateSpec("Sécurité alimentaire des aînés", "evidence", 15, by_org="cisss",
                  description="L'enquête de santé publique montre qu'un aîné vivant seul sur cinq saute des repas."),
    CandidateSpec("Transport vers les services de la ville-centre", "local_actors", 14, by_committee="le-plateau",
                  description="Rendez-vous médicaux, épicerie, activités : les villages sont loin de tout."),
    CandidateSpec("Soutenir les proches aidants", "local_actors", 13, by_org="proches",
                  description="Répit, groupes de soutien, reconnaissance."),
    CandidateSpec("Accès aux services de soutien à domicile du CLSC", "institution", 12, by_org="cisss",
                  description="Délais d'accès et continuité des services à domicile."),
    CandidateSpec("Logement abordable et adapté pour vieillir dans sa communauté", "local_actors", 10,
                  by_committee="vallee-des-saules",
                  description="Manque de logements adaptés hors de la ville-centre."),
    CandidateSpec("Prévention des chutes à domicile", "ministry", 8,
                  description="Orientation ministérielle : programme intégré d'équilibre dynamique."),
    CandidateSpec("Repérage de la maltraitance envers les aînés", "ministry", 6,
                  description="Plan d'action gouvernemental pour contrer la maltraitance."),
    CandidateSpec("Vaccination et prévention des infections", "institution", 4, by_org="cisss"),
    CandidateSpec("Littératie numérique des aînés", "evidence", 3, by_org="cab",
                  description="Une majorité d'aînés des villages n'utilise pas les services en ligne."),
    # Raised by the citizens of the Plateau's committee (issue 11): the population as an origin of priorities.
    CandidateSpec("Des haltes pour s’asseoir sur le chemin des services, au village", "population", 9,
                  by_committee="le-plateau",
                  description="Proposée par les citoyennes et les citoyens du comité du Plateau : pouvoir se reposer "
                              "entre l’arrêt d’autobus, la pharmacie et l’épicerie."),
]  # fmt: skip


@dataclass(frozen=True)
class PastExercise:
    title: str
    day: str  # the assembly's meeting where the plenary voted
    description: str
    candidates: tuple[CandidateSpec, ...]  # adherents: in % of the members present who voted


PAST_EXERCISES = [
    PastExercise(
        "Priorités d'action 2011-2013 — Vieillir en santé au Haut-Bocage", "2011-05-11",
        "Les besoins recensés par les organismes et les citoyens dans la tournée des villages ; ateliers en équipes "
        "puis vote en plénière (vote par approbation). Une priorité est retenue quand plus de la moitié des votants "
        "y adhèrent.",
        (
            CandidateSpec("Briser l'isolement des aînés des rangs et des villages", "local_actors", 85, by_org="cab"),
            CandidateSpec("Transport vers les services de la ville-centre", "local_actors", 75, by_org="transport"),
            CandidateSpec("Soutenir les proches aidants", "local_actors", 70, by_org="proches"),
            CandidateSpec("Cafés-rencontres et vie communautaire des aînés dans chaque village", "local_actors", 60,
                          by_org="aines"),
            CandidateSpec("Sécurité alimentaire des aînés", "evidence", 45, by_org="popote"),
            CandidateSpec("Accès aux services de soutien à domicile du CLSC", "institution", 40, by_org="cisss"),
            CandidateSpec("Prévention des chutes à domicile", "ministry", 25,
                          description="Orientation ministérielle : programme intégré d'équilibre dynamique."),
        ),
    ),
    PastExercise(
        "Priorités complémentaires 2013 — Vieillir en santé au Haut-Bocage", "2012-11-21",
        "Deux besoins proposés depuis le printemps, votés en plénière (vote par approbation) ; une priorité est "
        "retenue quand plus de la moitié des votants y adhèrent.",
        (
            CandidateSpec("Logement abordable et adapté pour vieillir dans sa communauté", "local_actors", 70,
                          by_committee="vallee-des-saules"),
            CandidateSpec("Littératie numérique des aînés", "evidence", 35, by_org="cab"),
        ),
    ),
    PastExercise(
        "Priorités 2014-2016 — arrimage aux cibles du programme SAPA", "2014-05-14",
        "Le CSSS propose les priorités tirées de ses cibles ministérielles, les comités d'action locale proposent "
        "les leurs ; vote en plénière (vote par approbation), priorité retenue au-delà de la moitié des votants.",
        (
            CandidateSpec("Repérage des aînés en perte d'autonomie", "ministry", 75,
                          description="Cible de l'entente de gestion du programme SAPA."),
            CandidateSpec("Accès aux services de soutien à domicile (cibles SAPA)", "institution", 70, by_org="cisss"),
            CandidateSpec("Prévention des chutes à domicile (programme PIED)", "ministry", 60),
            CandidateSpec("Briser l'isolement des aînés des rangs", "local_actors", 55, by_committee="les-rangs"),
            CandidateSpec("Transport vers les services de la ville-centre", "local_actors", 40,
                          by_committee="le-plateau"),
            CandidateSpec("Cafés-rencontres dans les villages", "local_actors", 35, by_committee="pole-urbain"),
            CandidateSpec("Logement abordable et adapté pour vieillir dans sa communauté", "local_actors", 30,
                          by_committee="vallee-des-saules"),
            CandidateSpec("Soutien aux projets choisis par les comités d'action locale", "local_actors", 25,
                          by_committee="coteaux"),
        ),
    ),
]  # fmt: skip

WORKSHOPS = [  # (team, participants, selected candidates by index)
    ("Équipe 1 — Les villages", ["Aline Pépin", "Serge Paradis", "Diane Pelletier", "Sylvie Bergeron"], [0, 2, 5]),
    ("Équipe 2 — Vivre chez soi", ["Johanne Beaulieu", "Julie Ouellet", "Michel Lévesque", "Hélène Morin"],
     [3, 4, 5]),
    ("Équipe 3 — Se nourrir, se déplacer", ["Nathalie Fortin", "Louise Gauthier", "Rolande Veilleux"], [1, 2, 0]),
    ("Équipe 4 — Santé et prévention", ["Geneviève Lapointe", "Karim Haddad", "Francine Roberge",
                                        "Élise Turcotte"], [4, 6, 1, 8]),
    ("Équipe 5 — Vivre ensemble", ["Jean-Guy Côté", "Chantal Lefebvre", "Benoît Carrier", "Marie-Ève Laroche",
                                   "Caroline Dubé"], [0, 3, 7, 9]),
]  # fmt: skip
PLENARY_VOTERS = [
    "Geneviève Lapointe", "Julie Ouellet", "Louise Gauthier", "Jean-Guy Côté", "Johanne Beaulieu",
    "Chantal Lefebvre", "Francine Roberge", "Catherine Boucher", "Nathalie Fortin", "Benoît Carrier",
    "Caroline Dubé", "Diane Pelletier", "Rolande Veilleux", "Serge Paradis", "Marie-Ève Laroche", "Aline Pépin",
    "Michel Lévesque", "Élise Turcotte", "Hélène Morin", "Karim Haddad",
]  # fmt: skip

STAGES = [  # kind, status, (start year offset, month), (end year offset, month) or None, deliverables
    ("mobilisation", "done", (-3, 9), (-3, 12),
     "Invitation de tous les acteurs du territoire ; 31 organisations présentes à la relance de la démarche."),
    ("consensus", "done", (-2, 1), (-2, 4),
     "Entente sur les valeurs et les règles de fonctionnement : chacun son rôle, décisions par consensus, "
     "vote au besoin avec dissidence consignée."),
    ("analysis", "done", (-2, 3), (-2, 10),
     "Portrait des aînés par territoire d'appartenance, consultation dans les cinq communautés."),
    ("projects", "done", (-2, 10), (-1, 5),
     "Besoins proposés par les comités et les partenaires ; ateliers et plénière de l'assemblée (exercice de "
     "priorisation)."),
    ("action_plan", "done", (-1, 5), (-1, 11), "Plan d'action adopté par l'assemblée d'automne."),
    ("implementation", "in_progress", (0, 1), None, "Mise en œuvre par les comités d'action locale et les porteurs."),
    ("evaluation", "not_started", (1, 9), (2, 6), "Évaluation participative de mi-parcours puis finale."),
]  # fmt: skip

# Objectives of the plan: (title, actions, indicators). An action: (title, lead, contributors, resources,
# deadline as (year offset, month), status). An indicator: (name, unit, target, measured).
OBJECTIVES = [
    ("Briser l'isolement des aînés des rangs et des villages", [
        ("Appels d'amitié et visites de bénévoles dans les rangs", "cab", ["rangs", "transport"],
         "Coordonnatrice des bénévoles, 1 jour/semaine", (0, 6), "done"),
        ("Café-rencontre mensuel dans chaque village", "vivre_coteaux", ["entraide", "muni_saint-fulbert",
         "muni_rivebelle"], "Salles prêtées par les municipalités", (1, 6), "in_progress"),
        ("Vigie des livreurs de la popote auprès des aînés seuls", "popote", ["clsc"],
         "Formation des livreurs par le CLSC", (0, 3), "done"),
    ], [("Aînés joints par les appels d'amitié", "personnes", 150, 118),
        ("Villages avec un café-rencontre mensuel", "villages", 9, 6)]),
    ("Améliorer la sécurité alimentaire des aînés", [
        ("Repas surgelés à coût modique livrés dans les villages", "popote", ["banque", "cuisines"],
         "Entente de services du CISSS (repas)", (1, 3), "in_progress"),
        ("Épicerie solidaire mobile", "banque", ["mrc"], "Camion à financer", (1, 9), "not_started"),
        ("Ateliers de cuisine pour aînés vivant seuls", "cuisines", ["aines"], "", (0, 4), "cancelled"),
    ], [("Repas livrés par semaine", "repas", 900, 760)]),
    ("Faciliter le transport vers les services", [
        ("Accompagnement-transport élargi aux rendez-vous non médicaux", "transport", ["cab", "mrc"],
         "Deux conducteurs bénévoles de plus", (0, 9), "in_progress"),
        ("Navette hebdomadaire Plateau–Saint-Aurèle", "mrc", ["muni_sainte-aurelie", "muni_mont-genievre"],
         "Budget du transport collectif régional", (0, 6), "late"),
    ], [("Déplacements accompagnés par année", "déplacements", 2400, 1950)]),
    ("Soutenir les proches aidants", [
        ("Groupes de soutien dans les cinq communautés", "proches", ["clsc", "cab"], "Intervenant répit", (1, 6),
         "in_progress"),
        ("Répit à domicile de fin de semaine", "proches", ["eesad"], "Entente de services du CISSS (répit)", (0, 3),
         "done"),
    ], [("Proches aidants rejoints", "personnes", 200, 164), ("Heures de répit offertes", "heures", 3000, 3120)]),
    ("Faciliter l'accès au soutien à domicile", [
        ("Guichet d'accès unique pour les aînés et leurs proches", "clsc", ["cisss"], "Une agente d'accueil",
         (1, 12), "in_progress"),
        ("Formation des bénévoles au repérage des besoins", "cab", ["clsc", "popote"], "", (0, 5), "done"),
    ], [("Demandes traitées en moins de 10 jours", "%", 80, 64)]),
]  # fmt: skip


# Loader ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CitizenSeat:
    """A person who sits as themself, for no organisation, and is affiliated with none (issue 11)."""

    first_name: str
    last_name: str
    start: str
    note: str = ""


# Two residents of the Plateau sit on its local action committee in their own name.
CITIZEN_SEATS = {
    "le-plateau": [
        CitizenSeat("Monique", "Tardif", "2019-10-17", "Infirmière retraitée, résidente de Mont-Genièvre"),
        CitizenSeat("Gilles", "Ouimet", "2021-02-18", "Proche aidant de sa conjointe, résident de Sainte-Aurélie"),
    ],
}


def citizen_email(spec: CitizenSeat) -> str:
    return person_email(registry_demo.Person(spec.first_name, spec.last_name, "citizen", spec.note, []))


def _date(text: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


DAY = datetime.timedelta(days=1)
LEVEL_RANK = {"executive": 0, "manager": 1, "staff": 2, "citizen": 3, "volunteer": 4}
PEOPLE_BY_NAME = {f"{p.first_name} {p.last_name}": p for p in registry_demo.PEOPLE}


def affiliations_of(org: str) -> list[tuple[str, datetime.date, datetime.date | None]]:
    """(person name, start, end) of the demo people affiliated with an organisation."""
    return [
        (name, _date(start), _date(end))
        for name, spec in PEOPLE_BY_NAME.items()
        for key, _title, start, end in spec.affiliations
        if key == org
    ]


def representatives(spec: Seat) -> list[tuple[str | None, datetime.date, datetime.date | None]]:
    """Split a seat into (representative, start, end) periods, each held by someone affiliated with the
    organisation at the time (the preferred one when several are), or nobody known.

    Short gaps between two representatives (under 90 days: a job change) go to the next one.
    """
    start, end = _date(spec.start), _date(spec.end)
    jobs = affiliations_of(spec.org)
    if spec.reps:
        jobs = sorted((j for j in jobs if j[0] in spec.reps), key=lambda j: spec.reps.index(j[0]))
    else:
        jobs = sorted(jobs, key=lambda j: (LEVEL_RANK[PEOPLE_BY_NAME[j[0]].decision_level], j[1]))
    far = datetime.date(9999, 12, 31)
    last = end or far
    periods: list[list] = []
    day = start
    while day <= last:
        covering = [j for j in jobs if j[1] <= day and (j[2] is None or j[2] >= day)]
        if covering:
            name, _s, until = covering[0]
            rank = jobs.index(covering[0])
            better = [j[1] for j in jobs[:rank] if j[1] > day]
            stop = min([last, until or far, *(b - DAY for b in better)])
        else:
            name = None
            later = [j[1] for j in jobs if j[1] > day]
            stop = min([last, *(b - DAY for b in later)])
        if periods and periods[-1][0] == name:
            periods[-1][2] = stop
        else:
            periods.append([name, day, stop])
        if stop == far:
            break
        day = stop + DAY
    # A short vacancy goes to whoever comes next (or stays with the last one).
    merged: list[list] = []
    for period in periods:
        if merged and merged[-1][0] is None and (merged[-1][2] - merged[-1][1]).days < 90:
            period[1] = merged.pop()[1]
        if merged and period[0] is None and (period[2] - period[1]).days < 90 and period is periods[-1]:
            merged[-1][2] = period[2]
            continue
        if merged and merged[-1][0] == period[0]:
            merged[-1][2] = period[2]
            continue
        merged.append(period)
    return [(name, s, None if e == far else e) for name, s, e in merged]


def nth_weekday(year: int, month: int, week: int, weekday: int) -> datetime.date:
    if week > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (week - 1))
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = following - DAY
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


@dataclass
class Counts:
    instances: int = 0
    memberships: int = 0
    meetings: int = 0
    created: int = 0


class ConcertationDemoLoader:
    """Adds the concertation instances to a loaded demo registry (`load_demo` runs it at the end)."""

    def __init__(self, admin, today: datetime.date | None = None) -> None:
        self.admin = admin
        self.zone = timezone.get_current_timezone()
        self.today = today or timezone.localdate()
        # "Now" for the meetings' statuses: the real moment, or noon of the day asked for.
        self.now = timezone.now() if today is None else datetime.datetime.combine(today, datetime.time(12), self.zone)
        self.rng = random.Random(2010)  # noqa: S311 (demo data, not security)
        self.created = 0
        self.instances: dict[str, Instance] = {}
        self.membership_cache: dict[int, list[Membership]] = {}

    # Lookups --------------------------------------------------------------------------------

    def _lookups(self) -> None:
        self.rls = Territory.objects.get(
            kind=Territory.Kind.RLS, name=registry_demo.RLS["name"], parent__name=registry_demo.REGION["name"]
        )
        names = {c[0]: c[1] for c in registry_demo.COMMUNITIES}
        by_name = {t.name: t for t in Territory.objects.filter(kind=Territory.Kind.COMMUNITY, name__in=names.values())}
        self.territories = {"rls": self.rls, **{key: by_name[name] for key, name in names.items()}}
        self._ensure_historical_organizations()
        specs = registry_demo.ALL_ORGANIZATIONS + HISTORICAL_ORGANIZATIONS
        orgs = {o.name: o for o in Organization.objects.filter(rls=self.rls)}
        self.orgs = {spec.key: orgs[spec.name] for spec in specs}
        emails = {person_email(spec): name for name, spec in PEOPLE_BY_NAME.items()}
        self.people = {emails[p.email]: p for p in Person.objects.filter(email__in=emails)}

    def _ensure_historical_organizations(self) -> None:
        for spec in HISTORICAL_ORGANIZATIONS:
            org = Organization.objects.filter(name=spec.name, rls=self.rls).first()
            if org is None:
                org = registry_actions.create_organization(
                    self.admin,
                    {
                        "name": spec.name,
                        "sector": spec.sector,
                        "mission": spec.mission,
                        "founded_year": spec.founded,
                        "rls": self.rls,
                        "email": f"info@{spec.domain}",
                        "territories": [self.rls],
                    },
                )
                self.created += 1
            if org.archived_at is None:
                registry_actions.archive_organization(self.admin, org)

    # Steps ----------------------------------------------------------------------------------

    @transaction.atomic
    def load(self) -> Counts:
        self._lookups()
        for spec in INSTANCES:
            self.instances[spec.key] = self._ensure_instance(spec)
        for key, seats in SEATS.items():
            self._ensure_memberships(self.instances[key], seats)
        for key, citizens in CITIZEN_SEATS.items():
            self._ensure_citizen_seats(self.instances[key], citizens)
        self._ensure_delegations()
        self._link_accounts()
        for key in SCHEDULES:
            self._ensure_meetings(key)
        self._ensure_history()
        self._ensure_exercise()
        for past in PAST_EXERCISES:
            self._ensure_past_exercise(past)
        self._ensure_plan()
        ids = [i.pk for i in self.instances.values()]
        return Counts(
            instances=len(ids),
            memberships=Membership.objects.filter(instance_id__in=ids).count(),
            meetings=Meeting.objects.filter(instance_id__in=ids).count(),
            created=self.created,
        )

    def _ensure_instance(self, spec: InstanceSpec):

        instance = Instance.objects.filter(rls=self.rls, name=spec.name).first()
        if instance is not None:
            return instance
        data = {
            "name": spec.name,
            "kind": spec.kind,
            "mandate": spec.mandate,
            "basis": spec.basis,
            "theme": spec.theme,
            "territory": self.territories[spec.territory],
            "rls": self.rls,
            "level": Instance.Level.LOCAL,
            "parent": self.instances[spec.parent] if spec.parent else None,
            "support_organization": self.orgs[spec.support] if spec.support else None,
            "secretariat_organization": self.orgs[spec.secretariat] if spec.secretariat else None,
            "is_public": spec.public,
            "opened_on": _date(spec.opened),
        }
        if spec.coordinators:
            data["coordinators"] = list(get_user_model().objects.filter(username__in=spec.coordinators))
        self.created += 1
        return instance_actions.create_instance(self.admin, data)

    def _ensure_memberships(self, instance, seats: list[Seat]) -> None:
        """In one insert (add_membership's full_clean per row would double the demo's loading time): each
        representative is affiliated with the organisation by construction (representatives()), dates are
        checked here, and the instance's history records the members loaded, as add_membership would."""
        if instance.memberships.exists():
            return
        rows = []
        for spec in seats:
            for name, start, end in representatives(spec):
                if end is not None and end < start:
                    raise ValueError(f"{spec}: the membership ends before it starts.")
                person = self.people[name] if name else None
                organization = self.orgs[spec.org]
                rows.append(
                    Membership(
                        instance=instance,
                        organization=organization,
                        person=person,
                        role=spec.role,
                        start_date=start,
                        end_date=end,
                    )
                )
        Membership.objects.bulk_create(rows)
        self.created += len(rows)
        audit.record(self.admin, AuditEvent.Action.UPDATE, instance, {"memberships": [None, [str(m) for m in rows]]})

    def _ensure_citizen_seats(self, instance, citizens: list[CitizenSeat]) -> None:
        """Through the action a coordinator uses (the page's "citizen seat", the API's `new_citizen`): the person is
        created with the seat, affiliated with no organisation."""
        if instance.memberships.filter(organization__isnull=True).exists():
            return
        for spec in citizens:
            person = Person.objects.filter(email=citizen_email(spec)).first()
            if person is None:
                data = {"start_date": _date(spec.start), "role": Membership.Role.CITIZEN,
                        "new_citizen": {"first_name": spec.first_name, "last_name": spec.last_name,
                                        "email": citizen_email(spec)}}  # fmt: skip
                membership = instance_actions.add_membership(self.admin, instance, data)
            else:
                # Loaded again after the instances were removed: the citizen no longer sits anywhere, so the RLS
                # cannot name them through the action; seat them as _ensure_memberships seats the others.
                membership = Membership.objects.create(
                    instance=instance, person=person, role=Membership.Role.CITIZEN, start_date=_date(spec.start)
                )
                audit.record(self.admin, AuditEvent.Action.UPDATE, instance, {"memberships": [None, str(membership)]})
            if spec.note and not membership.person.position:
                membership.person.position = spec.note
                membership.person.save(update_fields=["position"])
            self.people[f"{spec.first_name} {spec.last_name}"] = membership.person
            self.created += 2

    def _ensure_delegations(self) -> None:
        coordination = self.instances["coordination"]
        if Delegation.objects.filter(seat__instance=coordination).exists():
            return
        for community, (name, start) in DELEGATES.items():
            person = self.people[name]
            source = (
                self.instances[community]
                .memberships.filter(person=person, end_date__isnull=True)
                .order_by("pk")
                .first()
            )
            instance_actions.delegate(self.admin, source, coordination, _date(start))
            self.created += 2

    def _link_accounts(self) -> None:
        users = get_user_model().objects.filter(username__in=ACCOUNT_PEOPLE)
        for user in users:
            person = self.people[ACCOUNT_PEOPLE[user.username]]
            if person.account_id is None and not hasattr(user, "person"):
                person.account = user
                person.save(update_fields=["account"])

    # Meetings ------------------------------------------------------------------------------

    def _meeting_dates(self, schedule: Schedule) -> list[tuple[datetime.datetime, datetime.datetime, int]]:
        # Three years back from the first of this month, and the next hundred days.
        first = datetime.date(self.today.year - 3, self.today.month, 1)
        horizon = self.today + datetime.timedelta(days=100)
        slots = []
        for year in range(first.year, horizon.year + 1):
            for month in schedule.months:
                day = nth_weekday(year, month, schedule.week, schedule.weekday)
                if first <= day <= horizon:
                    start = datetime.datetime.combine(day, datetime.time(*schedule.start), tzinfo=self.zone)
                    slots.append((start, start + datetime.timedelta(minutes=schedule.minutes), month))
        return slots

    def _title(self, key: str, schedule: Schedule, start: datetime.datetime, month: int) -> str:
        if key in LOCAL_COMMITTEES:
            return f"Rencontre du {LOCAL_COMMITTEES[key][0][0].lower()}{LOCAL_COMMITTEES[key][0][1:]}"
        if "{season}" in schedule.title:
            return schedule.title.format(season=SEASONS.get(month, ""), year=start.year)
        return f"{schedule.title} — {start.day} {MONTHS[start.month - 1]} {start.year}"

    def _ensure_meetings(self, key: str) -> None:
        instance = self.instances[key]
        if instance.meetings.exists():
            return
        schedule = SCHEDULES[key]
        meetings = []
        for start, end, month in self._meeting_dates(schedule):
            meeting = Meeting(
                instance=instance,
                title=self._title(key, schedule, start, month),
                starts_at=start,
                ends_at=end,
                location=schedule.place,
                video_url=schedule.video,
                hours=Decimal(schedule.minutes) / 60,
            )
            if start <= self.now:
                meeting.status = Meeting.Status.HELD
                meeting.convened_at = start - datetime.timedelta(days=14)
            elif start - self.now <= datetime.timedelta(days=21):
                meeting.status = Meeting.Status.CONVENED
                meeting.convened_at = min(self.now, start - datetime.timedelta(days=14))
            meetings.append(meeting)
        # One winter meeting of the Rangs falls to a snowstorm.
        if key == "les-rangs":
            stormy = next(m for m in meetings if m.starts_at.month == 2 and m.status == Meeting.Status.HELD)
            stormy.status = Meeting.Status.CANCELLED
            stormy.title += " (annulée : tempête)"
        for meeting in meetings:
            meeting.hours = Decimal(str(round((meeting.ends_at - meeting.starts_at).total_seconds() / 3600, 2)))
        Meeting.objects.bulk_create(meetings)
        self.created += len(meetings)
        held = [m for m in meetings if m.status == Meeting.Status.HELD]
        # The minutes of each meeting are approved at the next one.
        for previous, following in zip(held, held[1:], strict=False):
            previous.status = Meeting.Status.APPROVED
            previous.minutes_approved_in = following
            previous.minutes_approved_at = following.starts_at + datetime.timedelta(minutes=15)
        Meeting.objects.bulk_update(held, ["status", "minutes_approved_in", "minutes_approved_at"])

        topics = TOPICS["local" if key in LOCAL_COMMITTEES else key]
        items, plans = [], []
        for n, meeting in enumerate(meetings):
            done = meeting.status in (Meeting.Status.HELD, Meeting.Status.APPROVED)
            per_meeting = 1 if key in ("assembly", "joint") else 2
            chosen = [topics[(per_meeting * n + i) % len(topics)] for i in range(per_meeting)]
            if key == "assembly":
                # The assembly's agenda follows the démarche: priorities voted in the spring of last year, the
                # plan adopted in its autumn, its mid-term review this autumn.
                local = timezone.localtime(meeting.starts_at)
                half = (local.year - (self.today.year - 2)) * 2 + (0 if local.month < 7 else 1)
                chosen = [topics[half % len(topics)]]
            previous = next((m for m in reversed(meetings[:n]) if m.status != Meeting.Status.CANCELLED), None)
            rows = [
                (
                    "Accueil et adoption de l'ordre du jour",
                    "",
                    "L'ordre du jour est adopté tel que proposé."
                    if n % 3
                    else "L'ordre du jour est adopté avec un point ajouté en varia.",
                    None,
                )
            ]
            if previous is not None:
                rows.append(
                    (
                        f"Adoption du compte rendu de la rencontre du {_long_date(previous.starts_at)}",
                        "",
                        "Le compte rendu est adopté sans modification.",
                        None,
                    )
                )
            rows += [(t.title, t.description, t.minutes, t) for t in chosen]
            rows.append(
                (
                    "Suivis de la dernière rencontre",
                    "Les suivis ouverts sont passés en revue.",
                    "Les suivis sont passés en revue ; ceux qui restent ouverts sont reportés.",
                    None,
                )
            )
            rows.append(("Varia et prochaine rencontre", "", "Aucun point en varia.", None))
            for order, (title, description, minutes, topic) in enumerate(rows, start=1):
                items.append(
                    AgendaItem(
                        meeting=meeting,
                        order=order,
                        title=title,
                        description=description,
                        minutes=minutes if done else "",
                    )
                )
                plans.append((meeting, items[-1], topic, done))
        AgendaItem.objects.bulk_create(items)
        self.created += len(items)
        self._decisions_and_follow_ups(instance, meetings, plans)
        self._attendance(instance, meetings)

    def _decisions_and_follow_ups(self, instance, meetings, plans) -> None:
        seen: set[str] = set()
        decisions, follow_ups = [], []
        held = [m for m in meetings if m.status in (Meeting.Status.HELD, Meeting.Status.APPROVED)]
        next_held = dict(zip(held, held[1:], strict=False))
        for meeting, item, topic, done in plans:
            if not done or topic is None:
                continue
            first_time = topic.title not in seen
            seen.add(topic.title)
            if topic.decision and first_time:
                votes = topic.votes if topic.mode == "vote" else (None, None, None)
                decisions.append(
                    Decision(
                        meeting=meeting,
                        agenda_item=item,
                        text=topic.decision,
                        mode=topic.mode,
                        votes_for=votes[0],
                        votes_against=votes[1],
                        abstentions=votes[2],
                        dissent=topic.dissent,
                    )
                )
            elif not first_time:
                item.minutes = f"Suivi. {item.minutes}"
            if topic.todo and (first_time or not topic.todo.startswith("Obtenir de la MRC")):
                org = self.orgs[topic.owner]
                person = self._representative(org, meeting)
                closing = next_held.get(meeting)
                # Items of the last two meetings stay open; one item of the coordination drags on for two years.
                lagging = closing is not None and closing is held[-1]
                status = FollowUp.Status.DONE
                if closing is None or lagging:
                    status = FollowUp.Status.IN_PROGRESS if lagging else FollowUp.Status.OPEN
                    closing = None
                if topic.todo.startswith("Obtenir de la MRC"):
                    status, closing = FollowUp.Status.IN_PROGRESS, None
                follow_ups.append(
                    FollowUp(
                        meeting=meeting,
                        instance=instance,
                        agenda_item=item,
                        description=topic.todo,
                        owner_organization=org,
                        owner_person=person,
                        due_date=(meeting.starts_at + datetime.timedelta(days=45)).date(),
                        status=status,
                        closed_in=closing,
                    )
                )
        AgendaItem.objects.bulk_update([p[1] for p in plans if p[1].minutes.startswith("Suivi. ")], ["minutes"])
        Decision.objects.bulk_create(decisions)
        FollowUp.objects.bulk_create(follow_ups)
        self.created += len(decisions) + len(follow_ups)

    def _representative(self, org, meeting):
        """Someone affiliated with the organisation on the meeting's day: its seat holder on the instance first."""
        day = meeting.starts_at.date()
        seat = next(
            (
                m
                for m in self._memberships(meeting.instance)
                if m.organization_id == org.pk and m.person_id and _active(m, day)
            ),
            None,
        )
        if seat is not None:
            return seat.person
        for name, start, end in affiliations_of(self._org_key(org)):
            if start <= day and (end is None or end >= day):
                return self.people[name]
        return None

    def _org_key(self, org) -> str:
        return next(key for key, value in self.orgs.items() if value.pk == org.pk)

    def _memberships(self, instance) -> list:
        if instance.pk not in self.membership_cache:
            self.membership_cache[instance.pk] = list(instance.memberships.select_related("person").order_by("pk"))
        return self.membership_cache[instance.pk]

    def _attendance(self, instance, meetings) -> None:
        rows = []
        for meeting in meetings:
            if meeting.status not in (Meeting.Status.HELD, Meeting.Status.APPROVED):
                continue
            day = meeting.starts_at.date()
            for membership in self._memberships(instance):
                if not _active(membership, day):
                    continue
                draw = self.rng.random()
                status = "present" if draw < 0.8 else "excused" if draw < 0.92 else "absent"
                substitute = None
                if status == "present" and self.rng.random() < 0.12:
                    substitute = self._substitute(membership, day)
                rows.append(
                    Attendance(
                        meeting=meeting,
                        membership=membership,
                        organization_id=membership.organization_id,
                        status=status,
                        substitute=substitute,
                    )
                )
        Attendance.objects.bulk_create(rows)
        self.created += len(rows)

    def _substitute(self, membership, day):
        """A colleague of the representative, affiliated with the same organisation that day; nobody for a
        citizen, who sits in person."""
        if membership.organization_id is None:
            return None
        key = self._org_key(membership.organization)
        for name, start, end in affiliations_of(key):
            person = self.people[name]
            if person.pk != membership.person_id and start <= day and (end is None or end >= day):
                return person
        return None

    # The assembly's first years ---------------------------------------------------------------------------

    def _ensure_history(self) -> None:
        assembly = self.instances["assembly"]
        days = [_date(past.day) for past in HISTORY]
        if assembly.meetings.filter(starts_at__date=days[0]).exists():
            return
        schedule = SCHEDULES["assembly"]
        rng = random.Random(2013)  # noqa: S311 (demo data, not security); its own, not to shift the others' draws
        meetings = []
        for day in days:
            start = datetime.datetime.combine(day, datetime.time(*schedule.start), tzinfo=self.zone)
            meetings.append(
                Meeting(
                    instance=assembly, title=self._title("assembly", schedule, start, start.month), starts_at=start,
                    ends_at=start + datetime.timedelta(minutes=schedule.minutes), location=schedule.place,
                    hours=Decimal(schedule.minutes) / 60, status=Meeting.Status.APPROVED,
                    convened_at=start - datetime.timedelta(days=21),
                )
            )  # fmt: skip
        Meeting.objects.bulk_create(meetings)
        # Minutes approved at the next meeting; the last ones by the coordination committee, the assembly not
        # meeting again until the years the demo follows.
        for previous, following in zip(meetings, meetings[1:], strict=False):
            previous.minutes_approved_in = following
            previous.minutes_approved_at = following.starts_at + datetime.timedelta(minutes=15)
        meetings[-1].minutes_approved_at = meetings[-1].starts_at + datetime.timedelta(days=30)
        Meeting.objects.bulk_update(meetings, ["minutes_approved_in", "minutes_approved_at"])
        present = self._past_attendance(assembly, meetings, rng)
        for past, meeting, previous in zip(HISTORY, meetings, [None, *meetings[:-1]], strict=True):
            self._past_agenda(meeting, past, previous, present[meeting.pk])
        self.created += len(meetings)

    def _past_attendance(self, assembly, meetings, rng: random.Random) -> dict[int, int]:
        """Attendance at the first years' meetings; community organisations come less often once the CSSS leads.
        Returns the members present at each meeting."""
        community = {Organization.Sector.COMMUNITY, Organization.Sector.CITIZEN_GROUP}
        sectors = {org.pk: org.sector for org in self.orgs.values()}
        rows, present = [], {}
        for past, meeting in zip(HISTORY, meetings, strict=True):
            day = meeting.starts_at.date()
            present[meeting.pk] = 0
            for membership in self._memberships(assembly):
                if not _active(membership, day):
                    continue
                chance = past.community_presence if sectors[membership.organization_id] in community else 0.85
                draw = rng.random()
                status = "present" if draw < chance else "excused" if draw < chance + (1 - chance) / 2 else "absent"
                present[meeting.pk] += status == "present"
                rows.append(
                    Attendance(
                        meeting=meeting, membership=membership, organization_id=membership.organization_id,
                        status=status,
                    )
                )  # fmt: skip
        Attendance.objects.bulk_create(rows)
        self.created += len(rows)
        return present

    def _past_agenda(self, meeting, past: PastMeeting, previous, present: int) -> None:
        rows = [("Accueil et adoption de l'ordre du jour", "", "L'ordre du jour est adopté tel que proposé.")]
        if previous is not None:
            rows.append(
                (
                    f"Adoption du compte rendu de la rencontre du {_long_date(previous.starts_at)}",
                    "",
                    "Le compte rendu est adopté sans modification.",
                )
            )
        rows += [(t.title, t.description, t.minutes) for t in past.topics]
        rows.append(("Varia et prochaine rencontre", "", "Aucun point en varia."))
        items = AgendaItem.objects.bulk_create(
            AgendaItem(meeting=meeting, order=order, title=title, description=description, minutes=minutes)
            for order, (title, description, minutes) in enumerate(rows, start=1)
        )
        by_title = {item.title: item for item in items}
        decisions = []
        for topic in past.topics:
            if not topic.decision:
                continue
            against, abstentions = (topic.votes[1], topic.votes[2]) if topic.mode == "vote" else (None, None)
            decisions.append(
                Decision(
                    meeting=meeting, agenda_item=by_title[topic.title], text=topic.decision, mode=topic.mode,
                    votes_for=present - against - abstentions if against is not None else None,
                    votes_against=against, abstentions=abstentions, dissent=topic.dissent,
                )
            )  # fmt: skip
        Decision.objects.bulk_create(decisions)
        self.created += len(items) + len(decisions)

    # Priority exercise ----------------------------------------------------------------------

    def _ensure_exercise(self) -> None:
        assembly = self.instances["assembly"]
        if assembly.priority_exercises.exclude(title__in=[past.title for past in PAST_EXERCISES]).exists():
            return
        year = self.today.year
        spring = (
            assembly.meetings.filter(starts_at__year=year - 1, starts_at__month=5)
            .exclude(status=Meeting.Status.CANCELLED)
            .first()
        )
        when = spring.starts_at if spring else self.now - datetime.timedelta(days=180)
        exercise = PriorityExercise.objects.create(
            instance=assembly,
            title=f"Priorités d'action {year}-{year + 2} — Vieillir en santé au Haut-Bocage",
            description="Les comités d'action locale et les partenaires proposent des besoins ; les équipes de "
            "l'assemblée choisissent leurs priorités en ateliers ; la plénière vote (vote par approbation). Une "
            "priorité est retenue quand plus de la moitié des votants y adhèrent.",
            status=PriorityExercise.Status.CLOSED,
            method=PriorityExercise.Method.APPROVAL,
            threshold=50,
            secret=True,
        )
        candidates = Candidate.objects.bulk_create(
            Candidate(
                exercise=exercise,
                title=spec.title,
                description=spec.description,
                origin=spec.origin,
                proposed_by=self.orgs[spec.by_org] if spec.by_org else None,
                proposed_by_instance=self.instances[spec.by_committee] if spec.by_committee else None,
            )
            for spec in CANDIDATES
        )
        for name, participants, chosen in WORKSHOPS:
            workshop = Workshop.objects.create(exercise=exercise, name=name)
            workshop.participants.set([self.people[p] for p in participants])
            WorkshopSelection.objects.bulk_create(
                WorkshopSelection(workshop=workshop, candidate=candidates[i]) for i in chosen
            )
        plenary = VotingRound.objects.create(
            exercise=exercise, number=1, opened_at=when + datetime.timedelta(hours=2),
            closed_at=when + datetime.timedelta(hours=2, minutes=40),
        )  # fmt: skip
        ballots = Ballot.objects.bulk_create(
            Ballot(round=plenary, voter=self.people[name], recorded_by=None) for name in PLENARY_VOTERS
        )
        Ballot.objects.filter(round=plenary).update(cast_at=plenary.opened_at + datetime.timedelta(minutes=20))
        choices = []
        voters = len(ballots)
        for n, _ballot in enumerate(ballots):
            key = hashlib.sha256(f"demo-{exercise.pk}-{n}".encode()).hexdigest()[:32]
            for offset, (spec, candidate) in enumerate(zip(CANDIDATES, candidates, strict=True)):
                # Voter n adheres to a candidate with k adherents when n falls in a window of k voters.
                if (n + 3 * offset) % voters < spec.adherents:
                    choices.append(BallotChoice(round=plenary, candidate=candidate, points=1, ballot_key=key))
        BallotChoice.objects.bulk_create(choices)
        self.created += 1 + len(candidates) + len(WORKSHOPS) + 1 + len(ballots) + len(choices)

    def _ensure_past_exercise(self, past: PastExercise) -> None:
        """A plenary of the first years: the representatives present at that meeting vote."""
        assembly = self.instances["assembly"]
        if assembly.priority_exercises.filter(title=past.title).exists():
            return
        meeting = assembly.meetings.get(starts_at__date=_date(past.day))
        voters = list(
            dict.fromkeys(
                Attendance.objects.filter(meeting=meeting, status="present", membership__person__isnull=False)
                .order_by("pk")
                .values_list("membership__person", flat=True)
            )
        )
        exercise = PriorityExercise.objects.create(
            instance=assembly, title=past.title, description=past.description, status=PriorityExercise.Status.CLOSED,
            method=PriorityExercise.Method.APPROVAL, threshold=50, secret=True,
        )  # fmt: skip
        candidates = Candidate.objects.bulk_create(
            Candidate(
                exercise=exercise,
                title=spec.title,
                description=spec.description,
                origin=spec.origin,
                proposed_by=self.orgs[spec.by_org] if spec.by_org else None,
                proposed_by_instance=self.instances[spec.by_committee] if spec.by_committee else None,
            )
            for spec in past.candidates
        )
        opened = meeting.starts_at + datetime.timedelta(hours=2)
        plenary = VotingRound.objects.create(
            exercise=exercise, number=1, opened_at=opened, closed_at=opened + datetime.timedelta(minutes=40)
        )
        Ballot.objects.bulk_create(Ballot(round=plenary, voter_id=voter, recorded_by=None) for voter in voters)
        Ballot.objects.filter(round=plenary).update(cast_at=opened + datetime.timedelta(minutes=20))
        choices = []
        for n in range(len(voters)):
            key = hashlib.sha256(f"demo-{exercise.pk}-{n}".encode()).hexdigest()[:32]
            for offset, (spec, candidate) in enumerate(zip(past.candidates, candidates, strict=True)):
                if (n + 3 * offset) % len(voters) < round(spec.adherents * len(voters) / 100):
                    choices.append(BallotChoice(round=plenary, candidate=candidate, points=1, ballot_key=key))
        BallotChoice.objects.bulk_create(choices)
        self.created += 2 + len(candidates) + len(voters) + len(choices)

    # Démarche and action plan --------------------------------------------------------------

    def _ensure_plan(self) -> None:
        assembly = self.instances["assembly"]
        if assembly.demarches.exists() or assembly.action_plans.exists():
            return
        year = self.today.year
        demarche = plan_actions.start_demarche(
            self.admin, assembly, {"title": f"Démarche « Vieillir en santé au Haut-Bocage » {year - 3}-{year + 2}"}
        )
        stages = {s.kind: s for s in DemarcheStage.objects.filter(demarche=demarche)}
        for kind, status, start, end, deliverables in STAGES:
            data = {
                "status": status,
                "deliverables": deliverables,
                "start_date": datetime.date(year + start[0], start[1], 1),
                "end_date": _month_end(year + end[0], end[1]) if end else None,
            }
            plan_actions.update_stage(self.admin, stages[kind], data)
        plan = plan_actions.create_plan(
            self.admin,
            assembly,
            {
                "title": f"Plan d'action « Vieillir en santé » {year}-{year + 2}",
                "demarche": demarche,
                "start_date": datetime.date(year, 1, 1),
                "end_date": datetime.date(year + 2, 12, 31),
            },
        )
        for order, (title, action_specs, indicators) in enumerate(OBJECTIVES, start=1):
            objective = plan_actions.add_objective(self.admin, plan, {"title": title, "order": order})
            for name, lead, contributors, resources, (offset, month), status in action_specs:
                plan_actions.add_action(
                    self.admin,
                    objective,
                    {
                        "title": name,
                        "lead": self.orgs[lead],
                        "contributors": [self.orgs[c] for c in contributors],
                        "resources": resources,
                        "deadline": _month_end(year + offset, month),
                        "status": status,
                    },
                )
            for name, unit, target, measured in indicators:
                plan_actions.add_indicator(
                    self.admin,
                    objective,
                    {
                        "name": name,
                        "unit": unit,
                        "target": Decimal(target),
                        "measured": Decimal(measured),
                        "measured_on": self.today.replace(day=1),
                    },
                )
        self.created += 2 + len(OBJECTIVES)


MONTHS = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
]  # fmt: skip


def _long_date(moment: datetime.datetime) -> str:
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year + month // 12, month % 12 + 1, 1) - DAY


def _active(membership, day: datetime.date) -> bool:
    return membership.start_date <= day and (membership.end_date is None or membership.end_date >= day)


def load(admin, today: datetime.date | None = None) -> Counts:
    """Load (or complete) the concertation part of the demo network; returns what is there."""
    return ConcertationDemoLoader(admin, today).load()
