"""The evaluation side of the demo network: the VES story of the Haut-Bocage told by its surveys, its context
timeline and the reasons its members left (domain.md §6–7).

What a newcomer should read in it:
- the partners' assembly answered the *Conditions de la concertation* survey twice, two years apart: in the
  spring of 2012, at the peak of co-construction (44 member organisations), everyone fairly satisfied, community
  members a little more than the institution; in the spring of 2014, after the CSSS changed managers and took
  back the lead, community members clearly less satisfied with being heard, shared leadership and open outcomes
  while the institution's side barely moved. The CSSS's and the CLSC's managers on the assembly (seven or eight
  each time) answer too, so the public group shows and, in 2014, the community−public gap (about −1 point on
  participation, animation and composition). The RLS's copy of the shipped instrument only adds an open question
  at the end, so that respondents could comment;
- in the autumn of 2011 the coordination committee evaluated itself with *Action en partenariat* (one consensual
  A/B/C answer per item, discussion notes); its members never released the results (the demo's recorded
  decisions are all recent ones), so they stay within the committee;
- in March 2014, just before that second survey, the assembly mapped who works with whom (*Relations entre
  partenaires*): most member organisations answered, one person for each (a second voice for a few large ones),
  naming the coordination committee's organisations most, and community organisations rating their trust in
  the public institution lower than the rest (the network page's third graph, 2014);
- the timeline: the 2013 ministerial directive, the change of managers at the CSSS and its taking back the lead
  of the démarche, the support mandate withdrawn in 2014, the 2015 merger into the CISSS;
- why members left the assembly from 2013 on: mostly too many concertations and lost funding, some ended
  mandates and changes of representative, two disagreements; the CDC leaving the co-chair (2013) and the CISSS
  reducing its delegation after the merger (2015) are not departures: the organisation keeps a seat;
- the object of each instance (Bourque's typology), where it was not said.

Surveys are written to the models directly, as they were answered then: the campaign actions invite today's
members and send the links at once, and answers are dated the day they are given; the relations survey's answers
are checked by the answering action's own rules (responses.clean_answers) before they are written. Everything
else goes through the actions. The loader is idempotent: each part is written only when it is missing.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from concertation import demo_data as concertation_demo
from concertation.actions import instances as instance_actions
from concertation.actions import timeline
from concertation.models import ContextEvent, Instance, Membership
from core import audit
from core.models import AuditEvent
from evaluation import links
from evaluation.actions import instruments as instrument_actions
from evaluation.actions import responses as response_actions
from evaluation.models import Answer, Campaign, Instrument, Invitation, Item, Relation, Response, Scale, Section
from registry import demo_data as registry_demo
from registry.models import Organization, Territory


def typographic(text: str) -> str:
    """French typography for the data written plainly here: curly apostrophe, no-break space before ; : ? !"""
    text = text.replace("'", "’")
    for mark in ";:?!":
        text = text.replace(f" {mark}", f"\u00a0{mark}")
    return text


# Surveys --------------------------------------------------------------------------------------------------

COPY_TITLE = "Conditions de la concertation — Vieillir en santé au Haut-Bocage"
COPY_TITLE_EN = "Conditions for concertation — Healthy ageing in the Haut-Bocage"
COMMENT_SECTION = ("commentaires", "Commentaires", "Comments")
COMMENT_ITEM = ("Un commentaire sur le fonctionnement de l'assemblée des partenaires ?",
                "Any comment on how the partners' assembly works?")  # fmt: skip

# A profile: the mean answer of an item (1 to 5), by section with a few items apart.
Profile = tuple[dict[str, float], dict[str, float]]
COMMUNITY_LIKE = {Organization.Sector.COMMUNITY, Organization.Sector.CITIZEN_GROUP}


@dataclass(frozen=True)
class SurveySpec:
    title: str
    opens: str
    closes: str
    seed: int  # chosen so that the few respondents of each small group read like their profile
    response_rate: float
    community: Profile  # community organisations and citizens' groups
    public: Profile  # the institution: the CSSS's and the CLSC's managers
    others: Profile  # municipalities and the other sectors
    comments: tuple[tuple[str, str], ...]  # (profile: "community", "public" or "others", text)


SECTIONS = ("composition", "participation", "animation", "resultats", "mobilisation", "succes")
# Conditions still to build in 2012, whoever answers: money, written roles, training, evaluation.
STILL_TO_BUILD = {"financement": 3.3, "formalisation": 3.4, "formation": 3.5, "evaluation": 3.6}

SURVEYS = [
    SurveySpec(
        "Conditions de la concertation — Assemblée des partenaires, printemps 2012", "2012-05-22", "2012-06-12",
        12, 0.8,
        community=(dict.fromkeys(SECTIONS, 4.3), {**STILL_TO_BUILD, "pouvoir-comparable": 3.8, "temps": 3.9}),
        # The institution, which brings the money and the staff, reads what is still to build a little better.
        public=(dict.fromkeys(SECTIONS, 4.2), {**{k: v + 0.4 for k, v in STILL_TO_BUILD.items()},
                                               "personnes-concernees": 3.8}),
        others=(dict.fromkeys(SECTIONS, 4.0), {**STILL_TO_BUILD, "personnes-concernees": 3.7}),
        comments=(
            ("community", "Les ateliers en équipes ont permis à chacun de faire valoir les besoins de son milieu."),
            ("community", "Les territoires d'appartenance ont du sens : on se reconnaît dans notre comité local."),
            ("community", "Belle mobilisation depuis deux ans ; il faudra garder le rythme sans épuiser les petits "
                          "organismes."),
            ("others", "Les documents arrivent parfois tard avant les rencontres."),
        ),
    ),
    SurveySpec(
        "Conditions de la concertation — Assemblée des partenaires, printemps 2014", "2014-05-21", "2014-06-11",
        24, 0.75,
        community=(
            {"composition": 3.0, "participation": 2.8, "animation": 3.0, "resultats": 3.2, "mobilisation": 3.1,
             "succes": 3.1},
            {"entendu-influence": 2.4, "resultats-ouverts": 2.3, "analyse-commune": 2.6, "leadership": 2.5,
             "compromis": 2.5, "pouvoir-comparable": 2.6, "soutien": 2.7, "financement": 2.6, "confiance": 2.9},
        ),
        public=(dict.fromkeys(SECTIONS, 3.75), {"financement": 3.3, "soutien": 4.0, "reunions": 4.0}),
        others=(dict.fromkeys(SECTIONS, 3.6), {"financement": 3.2, "soutien": 3.8, "reunions": 3.8}),
        comments=(
            ("community", "Les orientations arrivent toutes faites ; l'assemblée sert surtout à les entériner."),
            ("community", "Depuis le changement de gestionnaires, on nous consulte, mais on ne décide plus grand-chose "
                          "ensemble."),
            ("community", "Trop de rencontres pour un petit organisme : nous devons choisir où nous investir."),
            ("community", "Le soutien aux comités d'action locale a beaucoup diminué cette année."),
            ("public", "Les cibles ministérielles laissent peu de marge ; il faudrait mieux expliquer ce qui reste à "
                       "décider ensemble."),
        ),
    ),
]  # fmt: skip

GROUP_TITLE = "Action en partenariat — autoévaluation du comité de coordination, automne 2011"
GROUP_DATES = ("2011-11-15", "2011-12-13")
# Item code -> (the committee's answer, discussion note).
GROUP_ANSWERS = {
    "secteurs": ("B", "Les municipalités sont arrivées avec les territoires d'appartenance ; il manque encore le "
                      "milieu scolaire et le logement."),
    "personnes-touchees": ("A", ""),
    "moment": ("A", "Les comités d'action locale ont défini les besoins avant que le plan soit écrit."),
    "influence": ("A", ""),
    "pouvoir-engager": ("B", "Plusieurs délégués des comités locaux sont bénévoles et doivent revenir vers leur "
                             "comité avant de s'engager."),
    "incontournables": ("B", ""),
    "appui-directions": ("A", ""),
    "ressources": ("B", "Le CSSS apporte l'essentiel des ressources (organisation communautaire, locaux) ; les "
                        "organismes donnent surtout du temps."),
    "regles-decision": ("A", ""),
    "prise-de-parole": ("A", ""),
    "acces-information": ("B", "Les documents arrivent parfois la veille ; on convient de les envoyer une semaine "
                               "avant."),
    "reconnaissance": ("A", ""),
    "lecture-commune": ("A", ""),
    "plan-commun": ("A", "Les priorités viennent des comités d'action locale et sont votées en assemblée."),
    "savoirs": ("A", ""),
    "roles": ("B", ""),
    "desaccords": ("A", "Le découpage des territoires d'appartenance a été long à discuter, et chacun y a trouvé "
                        "son compte."),
    "suivi": ("B", ""),
}  # fmt: skip
GROUP_SUMMARY = (
    "Autoévaluation faite en rencontre, une réponse par consensus pour chaque question. Forces : un plan bâti "
    "ensemble à partir des besoins des comités d'action locale, un leadership partagé entre la CDC et le CSSS. "
    "À travailler : les ressources, qui reposent surtout sur le CSSS, la circulation de l'information et la "
    "présence de quelques secteurs. Le comité n'a pas décidé de diffuser ces résultats au-delà de ses membres."
)

RELATIONS_TITLE = "Relations entre partenaires — Assemblée des partenaires, printemps 2014"
RELATIONS_DATES = ("2014-03-18", "2014-04-08")
RELATIONS_SEED = 14
# Who answers for an organisation: its first person on the assembly, mostly; now and then a second one.
ANSWERS_FOR_ORGANIZATION, SECOND_VOICE = 0.85, 0.25
# How likely an organisation names another: the coordination committee's organisations are everyone's partners.
NAMES_CORE, NAMES_OTHER = 0.85, 0.15
# The partnership climate items (1 to 5), by profile, after the CSSS took back the lead.
CLIMATE = {"community": 2.8, "public": 3.9, "others": 3.4}

# Timeline -------------------------------------------------------------------------------------------------

K = ContextEvent.Kind
EVENTS = [  # (instance key or "" for the whole RLS, date, kind, title, description)
    ("", "2013-04-02", K.MINISTERIAL_DIRECTIVE, "Directive ministérielle : cibles du programme SAPA",
     "L'entente de gestion fixe au CSSS des cibles de soutien à domicile et de repérage des aînés en perte "
     "d'autonomie ; les projets soutenus dans la démarche doivent désormais s'y arrimer."),
    ("", "2013-07-02", K.MANAGER_TURNOVER, "Changement de gestionnaires au CSSS",
     "La direction du programme SAPA qui avait lancé la démarche quitte le CSSS ; une nouvelle direction arrive "
     "avec le mandat d'atteindre les cibles ministérielles."),
    ("assembly", "2013-11-13", K.CHANGE_OF_DIRECTION, "Le CSSS reprend la direction de la démarche",
     "À l'assemblée d'automne, le CSSS présente des orientations tirées de ses cibles. L'assemblée, qui fixait "
     "jusque-là les orientations (leadership partagé), est désormais consultée : la coconstruction fait place à "
     "l'animation du milieu sous la direction du CSSS."),
    ("assembly", "2014-06-30", K.LOST_MANDATE, "Fin du mandat de soutien à la démarche",
     "Le CSSS met fin au mandat de la personne qui coordonnait la démarche et soutenait les comités d'action "
     "locale dans leurs plans d'action ; la concertation est rattachée à la direction du programme SAPA."),
    ("", "2015-04-01", K.MERGER, "Fusion dans le CISSS des Trois-Versants",
     "La loi 10 fusionne le CSSS et l'agence régionale dans le CISSS des Trois-Versants : les décisions se "
     "prennent désormais à l'échelle de la région."),
]  # fmt: skip

# Exits ----------------------------------------------------------------------------------------------------

R = Membership.ExitReason
EXITS_FROM = datetime.date(2013, 1, 1)
# An organisation whose next representative takes its seat within this delay did not leave: its person changed.
SUCCESSION = datetime.timedelta(days=120)
ELECTIONS = {2013, 2017, 2021}  # Quebec's municipal elections, in November
# Organisation key -> (reason, note), for the assembly's members that left from 2013 on.
EXITS: dict[str, tuple[str, str]] = {
    "muni_rivebelle": (R.OVER_SOLICITATION, "Petite municipalité : ses élus siègent déjà au comité d'action locale "
                       "de la Vallée des Saules et ne peuvent suivre aussi l'assemblée."),
    "fondation": (R.MANDATE_ENDED, "Le soutien de la Fondation au démarrage de la démarche a pris fin comme prévu."),
    "carrefour": (R.LOST_FUNDING, "Le Carrefour a perdu son financement par projet ; il fermera en 2014 et le Centre "
                  "d'action bénévole reprendra le service."),
    "commission_scolaire": (R.OVER_SOLICITATION, "La commission scolaire limite sa présence aux concertations "
                            "jeunesse du territoire."),
    "cre": (R.MANDATE_ENDED, "Fin de l'entente régionale qui finançait le volet aînés de la démarche."),
    "gmf": (R.OVER_SOLICITATION, "La clinique ne peut plus libérer une personne pour deux assemblées par année."),
    "mdj": (R.OVER_SOLICITATION, "La maison des jeunes garde sa place au comité d'action locale, plus proche de "
            "ses projets."),
    "travail_rue": (R.DISAGREEMENT, "En désaccord avec la nouvelle façon de faire : l'assemblée est consultée sur "
                    "des orientations déjà arrêtées par le CSSS."),
    "muni_saint-eloi": (R.OVER_SOLICITATION, "Le conseil municipal concentre sa présence au comité d'action locale "
                        "des Rangs."),
    "eesad": (R.LOST_FUNDING, "La coopérative a perdu le financement du projet de répit qui justifiait sa "
              "participation."),
    "banque": (R.LOST_FUNDING, "Fin du financement du dépannage alimentaire pour aînés ; la banque alimentaire "
               "recentre ses activités."),
    "cld": (R.MERGER_OR_CLOSURE, "Abolition annoncée des CLD ; la MRC reprend le mandat de développement local."),
    "muni_mont-genievre": (R.OVER_SOLICITATION, "Trop de rencontres pour un conseil de cinq élus ; la municipalité "
                           "suit la démarche par le comité d'action locale du Plateau."),
    "handicap": (R.LOST_FUNDING, "Coupure de la subvention de projet qui payait la personne déléguée aux "
                 "concertations."),
    "defense": (R.DISAGREEMENT, "Le comité juge que l'assemblée ne sert plus qu'à présenter les programmes du CISSS "
                "et se retire."),
    "cuisines": (R.LOST_FUNDING, "Les cuisines collectives ont perdu la subvention qui payait leur animatrice dans "
                 "le Plateau."),
    "muni_lac-mirette": (R.MANDATE_ENDED, "Fin du mandat de l'élu qui représentait la municipalité ; le nouveau "
                         "conseil n'a désigné personne."),
    "entraide": (R.OVER_SOLICITATION, "Deux employées pour cinq concertations : le centre choisit le comité "
                 "d'action locale des Coteaux."),
    "rpa": (R.OVER_SOLICITATION, "La résidence suit désormais la démarche par le comité d'action locale du Pôle "
            "urbain."),
    "muni_sainte-aurelie": (R.OVER_SOLICITATION, "La municipalité suit la démarche par le comité d'action locale "
                            "du Plateau."),
    "muni_notre-dame-des-saules": (R.OVER_SOLICITATION, "La mairesse siège déjà au comité d'action locale et au "
                                   "comité de coordination."),
    "muni_sainte-brigide": (R.OVER_SOLICITATION, "Le conseil municipal ne délègue plus personne aux concertations "
                            "régionales."),
    "club": (R.LOST_FUNDING, "Le club a perdu la subvention qui couvrait le loyer de son local et réduit ses "
             "activités."),
}  # fmt: skip
NEW_REPRESENTATIVE = "L'organisation reste membre : une autre personne la représente désormais."
LEFT_THE_CHAIR = "L'organisation reste membre : elle quitte la coprésidence, que le CSSS assume désormais seul."
SMALLER_DELEGATION = (
    "Après la fusion dans le CISSS, ses gestionnaires couvrent toute la région et ne peuvent siéger à autant de "
    "concertations : l'établissement réduit sa délégation à l'assemblée, où il reste représenté."
)
NEW_COUNCIL = "Élections municipales de novembre {year} : une autre personne élue représente la municipalité."

# Bourque's object, by instance kind (domain.md §4); the coordination committee coordinates the territorial
# partnership of the assembly, at the local level where Bourque places it, not regional planning.
OBJECTS: dict[str, str] = {
    Instance.Kind.ASSEMBLY: "population",
    Instance.Kind.LOCAL_ACTION_COMMITTEE: "population",
    Instance.Kind.COORDINATION_COMMITTEE: "population",
    Instance.Kind.TABLE: "programme",
    Instance.Kind.JOINT_COMMITTEE: "agreement",
}


# Loader ---------------------------------------------------------------------------------------------------


@dataclass
class Counts:
    campaigns: int = 0
    invitations: int = 0
    responses: int = 0
    events: int = 0
    exits: int = 0  # assembly memberships ended from 2013 on, with their reason
    relations_organizations: int = 0  # organisations that answered the relations survey
    ties: int = 0  # relations named in it
    created: int = 0


DAY = datetime.timedelta(days=1)


def _date(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def _profile(sector: str) -> str:
    if sector in COMMUNITY_LIKE:
        return "community"
    return "public" if sector == Organization.Sector.PUBLIC else "others"


class EvaluationDemoLoader:
    """Adds the evaluation part to a loaded demo network (registry, concertation); `load_demo` runs it last."""

    def __init__(self, admin, today: datetime.date | None = None) -> None:
        self.admin = admin
        self.today = today or timezone.localdate()
        self.created = 0

    def _lookups(self) -> None:
        self.rls = Territory.objects.get(
            kind=Territory.Kind.RLS, name=registry_demo.RLS["name"], parent__name=registry_demo.REGION["name"]
        )
        names = {spec.name: spec.key for spec in concertation_demo.INSTANCES}
        self.instances = {names[i.name]: i for i in Instance.objects.filter(rls=self.rls, name__in=list(names))}
        specs = registry_demo.ALL_ORGANIZATIONS + concertation_demo.HISTORICAL_ORGANIZATIONS
        self.org_keys = {spec.name: spec.key for spec in specs}

    @transaction.atomic
    def load(self) -> Counts:
        self._lookups()
        assembly = self.instances["assembly"]
        instrument = self._ensure_instrument()
        for spec in SURVEYS:
            self._ensure_survey(spec, instrument, assembly)
        self._ensure_group_campaign()
        self._ensure_relations_survey(assembly)
        self._ensure_events()
        self._ensure_exits(assembly)
        self._ensure_objects()
        campaigns = Campaign.objects.filter(rls=self.rls, title__in=[s.title for s in SURVEYS] + [GROUP_TITLE])
        return Counts(
            campaigns=campaigns.count(),
            invitations=Invitation.objects.filter(campaign__in=campaigns).count(),
            responses=Response.objects.filter(campaign__in=campaigns).count(),
            events=ContextEvent.objects.filter(rls=self.rls).count(),
            exits=assembly.memberships.filter(end_date__gte=EXITS_FROM).exclude(exit_reason="").count(),
            relations_organizations=Response.objects.filter(campaign__rls=self.rls, campaign__title=RELATIONS_TITLE)
            .exclude(organization=None)
            .values("organization")
            .distinct()
            .count(),
            ties=Relation.objects.filter(
                response__campaign__rls=self.rls, response__campaign__title=RELATIONS_TITLE
            ).count(),
            created=self.created,
        )

    # The instrument: the shipped one, with an open question at the end ---------------------------------------

    def _ensure_instrument(self) -> Instrument:
        shipped = Instrument.objects.get(code="conditions-concertation", rls=None)
        found = Instrument.objects.filter(rls=self.rls, copied_from=shipped, title_fr=COPY_TITLE).first()
        if found is not None:
            return found
        copy = instrument_actions.copy_instrument(self.admin, shipped, self.rls, COPY_TITLE)
        instrument_actions.update_instrument(self.admin, copy, {"title_en": COPY_TITLE_EN})
        # No action adds a section (a coordinator adds items to the sections of a copy): the open question gets its
        # own, last, so it does not read as a success factor.
        code, title_fr, title_en = COMMENT_SECTION
        section = Section.objects.create(
            instrument=copy, code=code, title_fr=title_fr, title_en=title_en, position=len(SECTIONS) + 1
        )
        text_fr, text_en = COMMENT_ITEM
        data = {"text_fr": typographic(text_fr), "text_en": text_en, "scale": Scale.TEXT, "position": 1}
        instrument_actions.add_item(self.admin, section, data)
        self.created += 3
        return copy

    # The two surveys of the assembly ----------------------------------------------------------------------

    def _new_campaign(self, title: str, instrument: Instrument, instance: Instance, dates: tuple[str, str], **extra):
        campaign = Campaign.objects.create(
            instrument=instrument, title=title, rls=self.rls, opens_on=_date(dates[0]), closes_on=_date(dates[1]),
            created_by=self.admin, **extra,
        )  # fmt: skip
        campaign.instances.set([instance])
        fields = ["title", "instrument", "mode", "privacy", "opens_on", "closes_on", "min_group_size"]
        changes = {**audit.diff({}, audit.snapshot(campaign, fields)), "instances": [None, [str(instance)]]}
        audit.record(self.admin, AuditEvent.Action.CREATE, campaign, changes)
        self.created += 1
        return campaign

    def _ensure_survey(self, spec: SurveySpec, instrument: Instrument, assembly: Instance) -> None:
        if Campaign.objects.filter(rls=self.rls, title=spec.title).exists():
            return
        dates = (spec.opens, spec.closes)
        campaign = self._new_campaign(spec.title, instrument, assembly, dates, min_group_size=5)
        rng = random.Random(spec.seed)  # noqa: S311 (demo data, not security)
        invited = self._invitees(assembly, campaign.opens_on)
        order = list(range(len(invited)))
        rng.shuffle(order)
        answering = set(order[: round(spec.response_rate * len(invited))])
        invitations = Invitation.objects.bulk_create(self._links(campaign, assembly, invited, answering))
        # Created in the shuffled order, not the invitations': nothing ties a response to its link.
        sectors = [invited[n][1].sector for n in order if n in answering]
        self._answer(campaign, spec, sectors, rng)
        self.created += len(invitations)

    @staticmethod
    def _links(campaign, assembly, invited: list, answering) -> list:
        """One personal link per person invited, used by those who answered (the others were reminded once)."""
        return [
            Invitation(
                campaign=campaign, person=person, instance=assembly, organization=organization,
                nonce=links.new_nonce(), sent_on=campaign.opens_on, used=n in answering,
                reminders=0 if n in answering else 1,
            )
            for n, (person, organization) in enumerate(invited)
        ]  # fmt: skip

    @staticmethod
    def _invitees(assembly: Instance, day: datetime.date) -> list[tuple]:
        """(person, organisation) of the members that day who have a person with an e-mail, once per person."""
        found: dict = {}
        memberships = (
            Membership.objects.active_on(day)
            .filter(instance=assembly, person__isnull=False)
            .exclude(person__email="")
            .select_related("person", "organization")
            .order_by("pk")
        )
        for membership in memberships:
            found.setdefault(membership.person, membership.organization)
        return list(found.items())

    def _answer(self, campaign: Campaign, spec: SurveySpec, sectors: list[str], rng: random.Random) -> None:
        items = list(Item.objects.filter(section__instrument=campaign.instrument).select_related("section"))
        likert = [item for item in items if item.scale == Scale.LIKERT]
        comment_item = next(item for item in items if item.scale == Scale.TEXT)
        days = (campaign.closes_on - campaign.opens_on).days
        instance = campaign.instances.get()
        responses = Response.objects.bulk_create(
            Response(
                campaign=campaign, instance=instance, sector=sector,
                submitted_on=campaign.opens_on + datetime.timedelta(days=rng.randint(0, days)),
            )
            for sector in sectors
        )  # fmt: skip
        profiles = [_profile(sector) for sector in sectors]
        answers = []
        for response, profile in zip(responses, profiles, strict=True):
            sections, items_apart = getattr(spec, profile)
            leaning = rng.gauss(0, 0.25)
            for item in likert:
                if rng.random() < 0.03:  # now and then a question left blank
                    continue
                centre = items_apart.get(item.code, sections[item.section.code]) + leaning
                value = min(5, max(1, round(rng.gauss(centre, 0.6))))
                answers.append(Answer(response=response, item=item, value=str(value)))
        # Each comment goes to a respondent of its profile who has not commented yet.
        free = list(zip(responses, profiles, strict=True))
        for profile, text in spec.comments:
            taken = next(pair for pair in free if pair[1] == profile)
            free.remove(taken)
            answers.append(Answer(response=taken[0], item=comment_item, text=typographic(text)))
        Answer.objects.bulk_create(answers)
        self.created += len(responses) + len(answers)

    # The coordination committee's self-evaluation -------------------------------------------------------------

    def _ensure_group_campaign(self) -> None:
        if Campaign.objects.filter(rls=self.rls, title=GROUP_TITLE).exists():
            return
        instrument = Instrument.objects.get(code="action-partenariat", rls=None)
        coordination = self.instances["coordination"]
        campaign = self._new_campaign(
            GROUP_TITLE, instrument, coordination, GROUP_DATES, mode=Campaign.Mode.GROUP,
            group_notes=typographic(GROUP_SUMMARY),
        )  # fmt: skip
        response = Response.objects.create(
            campaign=campaign, instance=coordination, is_group=True, submitted_on=campaign.closes_on
        )
        items = Item.objects.filter(section__instrument=instrument, code__in=list(GROUP_ANSWERS))
        answers = [
            Answer(response=response, item=item, value=GROUP_ANSWERS[item.code][0],
                   note=typographic(GROUP_ANSWERS[item.code][1]))
            for item in items
        ]  # fmt: skip
        Answer.objects.bulk_create(answers)
        self.created += 1 + len(answers)

    # Who works with whom ------------------------------------------------------------------------------------

    def _ensure_relations_survey(self, assembly: Instance) -> None:
        if Campaign.objects.filter(rls=self.rls, title=RELATIONS_TITLE).exists():
            return
        instrument = Instrument.objects.get(code="relations", rls=None)
        # Confidential, never anonymous: a response records its organisation (campaign actions refuse otherwise).
        campaign = self._new_campaign(
            RELATIONS_TITLE, instrument, assembly, RELATIONS_DATES, min_group_size=5,
            privacy=Campaign.Privacy.CONFIDENTIAL,
        )  # fmt: skip
        rng = random.Random(RELATIONS_SEED)  # noqa: S311 (demo data, not security)
        invited = self._invitees(assembly, campaign.opens_on)
        persons_of: dict[int, list[int]] = {}
        for n, (_person, organization) in enumerate(invited):
            persons_of.setdefault(organization.pk, []).append(n)
        answering = []
        for first, *others in persons_of.values():
            answering += [first] if rng.random() < ANSWERS_FOR_ORGANIZATION else []
            answering += [n for n in others if rng.random() < SECOND_VOICE]
        invitations = Invitation.objects.bulk_create(self._links(campaign, assembly, invited, answering))
        rng.shuffle(answering)  # the order the answers came in
        # A confidential campaign keeps each response's link (responses.submit_response does the same).
        self._relations_answers(campaign, assembly, [invitations[n] for n in answering], rng)
        self.created += len(invitations)

    def _relations_answers(self, campaign: Campaign, assembly: Instance, links_used: list, rng: random.Random):
        respondents = [invitation.organization for invitation in links_used]
        items = {item.code: item for item in Item.objects.filter(section__instrument=campaign.instrument)}
        core = set(
            Membership.objects.active_on(campaign.opens_on)
            .filter(instance=self.instances["coordination"])
            .values_list("organization_id", flat=True)
        )
        members = {organization.pk: organization for organization in respondents}
        members.update(
            (m.organization_id, m.organization)
            for m in Membership.objects.active_on(campaign.opens_on)
            .filter(instance=assembly)
            .select_related("organization")
        )
        candidates = sorted(members.values(), key=lambda o: o.pk)
        days = (campaign.closes_on - campaign.opens_on).days
        answers, relations = [], []
        for invitation in links_used:
            organization = invitation.organization
            profile = _profile(organization.sector)
            entries = [
                self._tie(organization, partner, partner.pk in core, profile, rng)
                for partner in candidates
                if partner.pk != organization.pk and rng.random() < (NAMES_CORE if partner.pk in core else NAMES_OTHER)
            ]
            climate = {
                items[code].pk: str(min(5, max(1, round(rng.gauss(CLIMATE[profile], 0.7)))))
                for code in ("confiance-mutuelle", "entraide")
            }
            # The answering action's own rules: organisations of the RLS, still active, not one's own, each once.
            offered = set(response_actions.partners_offered(campaign, organization).values_list("pk", flat=True))
            entries = [entry for entry in entries if entry["organization"] in offered]
            cleaned = response_actions.clean_answers(
                campaign, {items["partenaires"].pk: entries, **climate}, organization
            )
            response = Response.objects.create(
                campaign=campaign, instance=assembly, sector=organization.sector, organization=organization,
                invitation=invitation, submitted_on=campaign.opens_on + datetime.timedelta(days=rng.randint(0, days)),
            )  # fmt: skip
            for row in [*cleaned.answers, *cleaned.relations]:
                row.response = response
            answers += cleaned.answers
            relations += cleaned.relations
        Answer.objects.bulk_create(answers)
        Relation.objects.bulk_create(relations)
        self.created += len(respondents) + len(answers) + len(relations)

    @staticmethod
    def _tie(organization: Organization, partner: Organization, core: bool, profile: str, rng: random.Random) -> dict:
        """The three ratings of one tie: the core's organisations are seen often and useful; community members
        trust the institution less since it took back the lead."""
        frequency = rng.choice([3, 4, 4, 5] if core else [1, 2, 2, 3])
        usefulness = rng.choice([3, 4, 5, 5] if core else [2, 3, 3, 4])
        wary = profile == "community" and partner.sector == Organization.Sector.PUBLIC
        trust = rng.choice([1, 2, 2, 3] if wary else [3, 4, 4, 5] if core else [2, 3, 4, 4])
        return {"organization": partner.pk, "frequency": frequency, "usefulness": usefulness, "trust": trust}

    # Timeline, exits and objects ------------------------------------------------------------------------------

    def _ensure_events(self) -> None:
        for key, day, kind, title, description in EVENTS:
            instance = self.instances[key] if key else None
            found = ContextEvent.objects.filter(rls=self.rls, instance=instance, date=_date(day), kind=kind)
            if found.exists():
                continue
            data = {
                "rls": self.rls, "instance": instance, "date": _date(day), "kind": kind, "title": typographic(title),
                "description": typographic(description),
            }  # fmt: skip
            timeline.add_context_event(self.admin, data)
            self.created += 1

    def _ensure_exits(self, assembly: Instance) -> None:
        memberships = list(assembly.memberships.select_related("organization").order_by("start_date", "pk"))
        for membership in memberships:
            end = membership.end_date
            if end is None or end < EXITS_FROM or end > self.today or membership.exit_reason:
                continue
            reason, note = self._exit(membership, end, memberships)
            instance_actions.update_membership(
                self.admin, membership, {"exit_reason": reason, "exit_note": typographic(note)}
            )
            self.created += 1

    def _exit(self, membership: Membership, end: datetime.date, memberships: list[Membership]) -> tuple[str, str]:
        organization = membership.organization
        same = [o for o in memberships if o.organization_id == organization.pk and o.pk != membership.pk]
        if membership.role == Membership.Role.CHAIR and any(o.start_date == end + DAY for o in same):
            return R.OTHER, LEFT_THE_CHAIR
        succeeded = any(
            other.organization_id == organization.pk and end < other.start_date <= end + SUCCESSION
            for other in memberships
        )
        if succeeded:
            elected = organization.sector == Organization.Sector.MUNICIPAL and end.month == 11 and end.year in ELECTIONS
            return R.STAFF_TURNOVER, NEW_COUNCIL.format(year=end.year) if elected else NEW_REPRESENTATIVE
        if any(o.start_date <= end and (o.end_date is None or o.end_date > end) for o in same):
            return R.OVER_SOLICITATION, SMALLER_DELEGATION
        reason, note = EXITS.get(self.org_keys.get(organization.name, ""), (R.LEFT_BY_CHOICE, ""))
        return str(reason), note

    def _ensure_objects(self) -> None:
        for instance in self.instances.values():
            wanted = OBJECTS.get(instance.kind)
            if wanted and not instance.bourque_object:
                instance_actions.update_instance(self.admin, instance, {"bourque_object": wanted})
                self.created += 1


def load(admin, today: datetime.date | None = None) -> Counts:
    """Load (or complete) the evaluation part of the demo network; returns what is there."""
    return EvaluationDemoLoader(admin, today).load()


def summary(counts: Counts) -> str:
    return (
        f"Évaluation : {counts.campaigns} campagnes, {counts.invitations} invitations, {counts.responses} réponses ; "
        f"{counts.events} événements de contexte, {counts.exits} fins d’adhésion à l’assemblée avec leur motif ; "
        f"enquête sur les relations : {counts.relations_organizations} organisations répondantes, {counts.ties} liens "
        f"nommés ({counts.created} enregistrements créés par ce chargement)."
    )
