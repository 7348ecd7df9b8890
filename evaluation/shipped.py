"""The five instruments shipped with Maillage, as data, and the function that installs them.

Every item, statement and title is our own wording, in French and English: the published instruments these
paraphrase are copyrighted, so only their structure (conditions, factors, sections, counts) and their scoring
logic are taken from them, with the citations in each `source` (docs/evaluation.md). Keep items short: a
director of a small organisation reads them on a phone.

A migration calls `install_shipped` with its historical models, so this module imports no model and writes the
scales as plain strings. Change an item's code, not only its wording, when its meaning changes: answers already
given keep pointing at the item by its row.
"""

from decimal import Decimal
from typing import Any

LIKERT, ABC, YES_NO, CHOICE, RELATIONS = "likert", "abc", "yes_no", "choice", "relations"
BENEFIT, DRAWBACK = "benefit", "drawback"


def likert(code: str, fr: str, en: str) -> dict[str, Any]:
    return {"code": code, "text_fr": fr, "text_en": en, "scale": LIKERT}


def abc(code: str, fr: str, en: str, a: tuple[str, str], b: tuple[str, str], c: tuple[str, str]) -> dict[str, Any]:
    """A / B / C statements: strong, moderate and weak achievement of the condition."""
    options = [{"value": v, "fr": s[0], "en": s[1]} for v, s in zip("ABC", (a, b, c), strict=True)]
    return {"code": code, "text_fr": fr, "text_en": en, "scale": ABC, "options": options}


def check(code: str, polarity: str, fr: str, en: str) -> dict[str, Any]:
    return {"code": code, "text_fr": fr, "text_en": en, "scale": YES_NO, "polarity": polarity}


def section(code: str, fr: str, en: str, source: str, items: list[dict[str, Any]]) -> dict[str, Any]:
    return {"code": code, "title_fr": fr, "title_en": en, "source": source, "items": items}


BOURQUE = "Bourque (2010), Réseautage et partenariat (UQO), conditions opérationnelles favorables à la concertation"

CONDITIONS = {
    "code": "conditions-concertation",
    "title_fr": "Conditions de la concertation",
    "title_en": "Conditions for concertation",
    "description_fr": "Ce questionnaire porte sur les conditions qui aident une concertation à bien fonctionner. "
    "Pour chaque énoncé, indiquez votre degré d’accord, de 1 (tout à fait en désaccord) à 5 (tout à fait "
    "d’accord), en pensant à l’instance évaluée.",
    "description_en": "This questionnaire looks at the conditions that help concertation work well. For each "
    "statement, say how far you agree, from 1 (strongly disagree) to 5 (strongly agree), thinking of the body "
    "being evaluated.",
    "source": "Énoncés rédigés par l’équipe de Maillage à partir de conditions reconnues dans les écrits "
    "québécois, regroupées par famille. Bourque, D. (2010), Réseautage et partenariat, Chaire de recherche du "
    "Canada en organisation communautaire, UQO, conditions opérationnelles favorables à la concertation. "
    "Saint-Jacques (1992), cinq éléments mobilisateurs, et Antil, Drouin et Dugré (1993), cinq facteurs de "
    "succès de l’action intersectorielle, présentés par Larivière, C. (2001), L’amplification obligée des "
    "relations partenariales. Instrument non validé.\n\n"
    "Statements in our wording, built from conditions found in the Quebec literature and grouped by family: "
    "Bourque (2010), operational conditions for good concertation; Saint-Jacques (1992), five mobilising "
    "elements; Antil, Drouin & Dugré (1993), five success factors of intersectoral action, as presented by "
    "Larivière (2001). Not a validated instrument.",
    "scoring": "mean",
    "strength_min": Decimal("4.0"),
    "concern_below": Decimal("3.0"),
    "sections": [
        section("composition", "Composition et rapports de pouvoir", "Who takes part and the balance of power",
                BOURQUE, [
            likert("acteurs-pertinents", "Les organisations utiles pour traiter l’enjeu sont autour de la table.",
                   "The organisations needed to address the issue are at the table."),
            likert("pouvoir-comparable", "Les personnes qui représentent les organisations ont un pouvoir de "
                   "décision comparable.", "The people representing the organisations have comparable "
                   "decision-making power."),
            likert("personnes-concernees", "Les personnes et les groupes touchés par l’enjeu participent aux "
                   "travaux.", "The people and groups affected by the issue take part in the work."),
            likert("autres-concertations", "Nos travaux tiennent compte des autres concertations du territoire.",
                   "Our work takes the territory’s other concertation bodies into account."),
            likert("compromis", "Les partenaires qui ont le plus de pouvoir acceptent aussi de faire des "
                   "compromis.", "The partners with the most power also accept compromises."),
        ]),
        section("participation", "Participation et influence", "Participation and influence", BOURQUE, [
            likert("resultats-ouverts", "Les résultats de la démarche ne sont pas décidés d’avance.",
                   "The outcomes of the process are not decided in advance."),
            likert("analyse-commune", "L’analyse de la situation et le choix des objectifs se font ensemble.",
                   "We analyse the situation and choose the objectives together."),
            likert("information", "Je reçois l’information dont j’ai besoin pour participer pleinement.",
                   "I get the information I need to take a full part."),
            likert("entendu-influence", "Je sens qu’on m’écoute et que je peux influencer les décisions.",
                   "I feel heard and able to influence the decisions."),
            likert("desaccords", "Les désaccords peuvent s’exprimer et sont discutés ouvertement.",
                   "Disagreements can be voiced and are discussed openly."),
            likert("gains", "Mon organisation tire des avantages concrets de sa participation.",
                   "My organisation gains something concrete from taking part."),
            likert("temps", "Nous prenons le temps nécessaire pour travailler de façon participative.",
                   "We take the time needed to work in a participatory way."),
        ]),
        section("animation", "Leadership et soutien", "Leadership and support", BOURQUE, [
            likert("leadership", "L’instance est animée de façon démocratique et donne du sens aux travaux.",
                   "The body is led democratically, in a way that gives the work meaning."),
            likert("reunions", "Les rencontres sont bien menées et efficaces.", "Meetings are well run and efficient."),
            likert("soutien", "L’instance a un soutien suffisant (convocations, comptes rendus, recherche).",
                   "The body has enough support (notices, minutes, research)."),
        ]),
        section("resultats", "Objectifs et résultats", "Objectives and results", BOURQUE, [
            likert("peu-objectifs", "Nous nous concentrons sur un petit nombre d’objectifs.",
                   "We focus on a small number of objectives."),
            likert("gains-rapides", "Certains objectifs donnent des résultats concrets à court ou à moyen terme.",
                   "Some objectives bring concrete results in the short or medium term."),
            likert("utilite", "Nos actions sont utiles à la population et visibles dans le milieu.",
                   "Our actions are useful to the population and visible in the community."),
            likert("evaluation", "Nous évaluons ensemble, régulièrement, le fonctionnement de la concertation.",
                   "We regularly evaluate together how the concertation is working."),
        ]),
        section("mobilisation", "Éléments mobilisateurs", "Mobilising elements", "Saint-Jacques (1992), in "
                "Larivière (2001), cinq éléments mobilisateurs", [
            likert("buts-communs", "Les partenaires partagent des orientations et des buts communs.",
                   "Partners share common directions and goals."),
            likert("confiance", "Le climat est ouvert et les partenaires se font confiance.",
                   "The climate is open and partners trust one another."),
            likert("implication", "Les partenaires s’impliquent réellement, au-delà de leur présence aux rencontres.",
                   "Partners are really involved, beyond attending meetings."),
            likert("structure-souple", "Notre façon de fonctionner est souple et efficace.",
                   "The way we work is flexible and effective."),
            likert("action-concrete", "Nous privilégions nettement les actions concrètes.",
                   "We clearly favour concrete action."),
        ]),
        section("succes", "Facteurs de succès", "Success factors", "Antil, Drouin et Dugré (1993), in Larivière "
                "(2001), cinq facteurs de succès de l’action intersectorielle", [
            likert("habiletes", "Les personnes qui portent les dossiers ont de bonnes habiletés relationnelles.",
                   "The people carrying the files have good relationship skills."),
            likert("formalisation", "Le rôle et la contribution de chaque partenaire sont précisés par écrit "
                   "(entente, protocole).", "Each partner’s role and contribution are set out in writing "
                   "(agreement, protocol)."),
            likert("appui-directions", "Les directions des organisations, et les personnes élues s’il y a lieu, "
                   "appuient clairement la démarche.", "The organisations’ management, and elected officials "
                   "where relevant, clearly support the work."),
            likert("financement", "Les ressources financières suffisent pour ce que nous voulons faire.",
                   "Financial resources are enough for what we want to do."),
            likert("formation", "Les personnes engagées dans la démarche reçoivent la formation utile à leurs "
                   "nouveaux rôles.", "The people involved get the training they need for their new roles."),
        ]),
    ],
}  # fmt: skip


def bilodeau(number: int, items: str) -> str:
    return f"Bilodeau et al. (2008; 2014), condition {number} ({items})"


PARTNERSHIP = {
    "code": "action-partenariat",
    "title_fr": "Action en partenariat",
    "title_en": "Action in partnership",
    "description_fr": "Outil d’autoévaluation. Pour chaque question, choisissez l’énoncé A, B ou C qui décrit le "
    "mieux votre partenariat aujourd’hui. Les résultats servent à la discussion entre partenaires, jamais à la "
    "reddition de comptes.",
    "description_en": "A self-evaluation tool. For each question, choose the statement A, B or C that best "
    "describes your partnership today. The results feed a discussion among partners, never accountability.",
    "source": "Inspiré des six conditions de l’action en partenariat et de la répartition des questions entre "
    "elles (2, 1, 1, 4, 4 et 6) de Bilodeau, A., Galarneau, M., Fournier, M., Potvin, L., Sénécal, G. et "
    "Bernier, J., Outil diagnostique de l’action en partenariat, Chaire CACIS (Université de Montréal) et "
    "Direction de santé publique de Montréal, 2008, nouvelle édition 2014. Validation publiée par Bilodeau, "
    "Galarneau, Fournier et Potvin (2011). Les questions et les énoncés A, B et C sont de notre plume, ce ne "
    "sont pas ceux de l’outil. Comme l’outil d’origine, cet instrument sert à l’autoévaluation par les "
    "partenaires, pas à la reddition de comptes.\n\n"
    "Inspired by the six conditions of action in partnership, and the number of questions per condition "
    "(2, 1, 1, 4, 4 and 6), of Bilodeau, Galarneau, Fournier, Potvin, Sénécal & Bernier, Outil diagnostique de "
    "l’action en partenariat (CACIS, Université de Montréal, and Direction de santé publique de Montréal, 2008; "
    "new edition 2014; English version: Self-Evaluation Tool for Action in Partnership, Health Nexus, 2017). "
    "The questions and the A, B and C statements are our wording, not the tool’s. Like the original, it is for "
    "the partners’ self-evaluation, not for accountability.",
    "scoring": "abc",
    "self_evaluation": True,
    "sections": [
        section("perspectives", "Diversité des points de vue", "Range of perspectives", bilodeau(1, "items 1–2"), [
            abc("secteurs", "Présence des secteurs concernés", "Presence of the sectors concerned",
                ("Tous les secteurs concernés par la question participent.",
                 "All sectors concerned by the issue take part."),
                ("Plusieurs secteurs participent, mais il en manque d’importants.",
                 "Several sectors take part, but important ones are missing."),
                ("Un ou deux secteurs seulement participent.", "Only one or two sectors take part.")),
            abc("personnes-touchees", "Place des personnes touchées par la question",
                "Voice of the people affected by the issue",
                ("Ces personnes, ou des groupes qui parlent en leur nom, participent aux travaux.",
                 "These people, or groups that speak for them, take part in the work."),
                ("Leur point de vue est recueilli, mais elles ne participent pas aux travaux.",
                 "Their views are gathered, but they do not take part in the work."),
                ("Leur point de vue n’est pas pris en compte.", "Their views are not taken into account.")),
        ]),
        section("engagement-precoce", "Engagement précoce dans les décisions stratégiques",
                "Early involvement in strategic decisions", bilodeau(2, "item 3"), [
            abc("moment", "Moment où les partenaires entrent dans la démarche", "When partners come in",
                ("Les partenaires participent dès le départ à définir le problème et les objectifs.",
                 "Partners take part from the start in defining the problem and the objectives."),
                ("Les partenaires arrivent une fois le problème défini, à temps pour choisir les actions.",
                 "Partners come in once the problem is defined, in time to choose the actions."),
                ("On invite les partenaires quand les décisions importantes sont déjà prises.",
                 "Partners are invited once the main decisions have been made.")),
        ]),
        section("negociation", "Négociation et influence sur les décisions", "Negotiating and influencing decisions",
                bilodeau(3, "item 4"), [
            abc("influence", "Influence des partenaires sur les décisions", "Partners’ influence on decisions",
                ("Les partenaires négocient les décisions et leurs propositions les modifient réellement.",
                 "Partners negotiate the decisions and their proposals really change them."),
                ("On consulte les partenaires, mais leur avis change peu les décisions.",
                 "Partners are consulted, but their views change the decisions little."),
                ("On informe les partenaires de décisions prises ailleurs.",
                 "Partners are told of decisions made elsewhere.")),
        ]),
        section("partenaires-cles", "Engagement des partenaires stratégiques et incontournables",
                "Commitment of strategic and pivotal partners", bilodeau(4, "items 5, 9–11"), [
            abc("pouvoir-engager", "Pouvoir des personnes qui représentent les partenaires",
                "Authority of the partners’ representatives",
                ("Les personnes présentes peuvent engager leur organisation et ses ressources.",
                 "Those present can commit their organisation and its resources."),
                ("Elles doivent souvent consulter leur organisation avant de s’engager, ce qui retarde les "
                 "décisions.", "They often have to check with their organisation first, which delays decisions."),
                ("Elles ne peuvent pas engager leur organisation.", "They cannot commit their organisation.")),
            abc("incontournables", "Présence des partenaires dont le projet a besoin",
                "Presence of the partners the project needs",
                ("Le projet peut compter sur l’ensemble des partenaires dont il a besoin pour réussir.",
                 "The project can count on every partner it needs to succeed."),
                ("Des partenaires indispensables participent peu.", "Some essential partners take little part."),
                ("Il manque des partenaires indispensables.", "Essential partners are missing.")),
            abc("appui-directions", "Appui des directions des organisations partenaires",
                "Support from the partner organisations’ management",
                ("Les directions appuient le projet et le font connaître dans leur organisation.",
                 "Management supports the project and makes it known within the organisation."),
                ("Les directions sont informées du projet, sans plus.",
                 "Management is informed of the project, nothing more."),
                ("Les directions ne connaissent pas le projet ou s’y opposent.",
                 "Management does not know the project or opposes it.")),
            abc("ressources", "Ressources apportées par les partenaires", "Resources partners bring",
                ("Chaque partenaire apporte des ressources convenues ensemble (temps, personnel, argent, locaux).",
                 "Each partner brings resources agreed together (time, staff, money, space)."),
                ("Quelques partenaires seulement apportent des ressources.", "Only a few partners bring resources."),
                ("Le projet repose sur les ressources d’un seul partenaire.",
                 "The project relies on one partner’s resources.")),
        ]),
        section("pouvoir", "Arrangements qui équilibrent le pouvoir", "Arrangements that equalise power",
                bilodeau(5, "items 12–14, 16"), [
            abc("regles-decision", "Règles de décision", "Decision rules",
                ("Les règles de décision sont connues de l’ensemble des partenaires et donnent une voix réelle à "
                 "chaque partenaire.", "Decision rules are known to every partner and give each a real voice."),
                ("Des règles existent, mais elles donnent plus de poids à quelques partenaires.",
                 "Rules exist, but they give more weight to a few partners."),
                ("Il n’y a pas de règles claires et les partenaires les plus puissants décident.",
                 "There are no clear rules and the most powerful partners decide.")),
            abc("prise-de-parole", "Prise de parole en rencontre", "Speaking up in meetings",
                ("L’animation permet à chaque partenaire de s’exprimer, y compris aux plus petites organisations.",
                 "Facilitation lets every partner speak, including the smallest organisations."),
                ("Tout le monde peut parler, mais quelques partenaires prennent la plus grande place.",
                 "Anyone may speak, but a few partners take up most of the room."),
                ("Quelques partenaires monopolisent les échanges.", "A few partners dominate the discussion.")),
            abc("acces-information", "Accès à l’information", "Access to information",
                ("L’ensemble des partenaires reçoit la même information, à temps pour se préparer.",
                 "Every partner gets the same information, in time to prepare."),
                ("L’information circule, mais quelques partenaires l’ont avant les autres.",
                 "Information flows, but a few partners get it before the others."),
                ("Une partie de l’information reste entre quelques partenaires.",
                 "Some information stays among a few partners.")),
            abc("reconnaissance", "Reconnaissance des contributions", "Recognition of contributions",
                ("La contribution de chaque partenaire est reconnue, quelle que soit la taille de son organisation.",
                 "Each partner’s contribution is recognised, whatever the size of its organisation."),
                ("La contribution des grandes organisations est mieux reconnue que celle des autres.",
                 "Large organisations’ contributions get more recognition than the others’."),
                ("La contribution des petites organisations passe inaperçue.",
                 "Small organisations’ contributions go unnoticed.")),
        ]),
        section("coconstruction", "Arrangements qui favorisent la coconstruction de l’action",
                "Arrangements that favour building the action together", bilodeau(6, "items 6–8, 15, 17–18"), [
            abc("lecture-commune", "Lecture commune du problème", "Shared reading of the problem",
                ("Les partenaires ont convenu d’une lecture commune du problème.",
                 "Partners have agreed on a shared reading of the problem."),
                ("Une lecture commune se dessine, mais des divergences importantes restent à discuter.",
                 "A shared reading is emerging, but major differences remain to be discussed."),
                ("Chaque partenaire garde sa propre lecture du problème.",
                 "Each partner keeps its own reading of the problem.")),
            abc("plan-commun", "Objectifs et plan d’action", "Objectives and action plan",
                ("Les objectifs et le plan d’action sont élaborés ensemble.",
                 "The objectives and the action plan are drawn up together."),
                ("Un partenaire propose le plan et les autres le commentent.",
                 "One partner proposes the plan and the others comment on it."),
                ("Le plan est conçu ailleurs, puis présenté aux partenaires.",
                 "The plan is designed elsewhere, then presented to the partners.")),
            abc("savoirs", "Mise en commun des savoirs", "Pooling knowledge",
                ("Les savoirs de chaque partenaire, y compris ceux des personnes touchées, servent à définir "
                 "l’action.", "Each partner’s knowledge, including that of the people affected, shapes the action."),
                ("Seuls certains savoirs, souvent professionnels, orientent l’action.",
                 "Only some kinds of knowledge, often professional, guide the action."),
                ("Un seul type d’expertise décide de l’action.", "A single kind of expertise decides the action.")),
            abc("roles", "Partage des rôles et des tâches", "Sharing roles and tasks",
                ("Les rôles et les tâches sont répartis ensemble, selon les forces de chaque partenaire.",
                 "Roles and tasks are shared out together, according to each partner’s strengths."),
                ("Les rôles sont définis, mais les tâches reposent sur quelques partenaires.",
                 "Roles are defined, but the tasks rest on a few partners."),
                ("Les rôles restent flous.", "Roles remain unclear.")),
            abc("desaccords", "Traitement des désaccords", "Handling disagreements",
                ("Les désaccords sont discutés ouvertement et mènent à des compromis acceptables pour chaque "
                 "partenaire.", "Disagreements are discussed openly and lead to compromises every partner can "
                 "accept."),
                ("Les désaccords sont discutés, mais restent souvent sans suite.",
                 "Disagreements are discussed, but often left unresolved."),
                ("Les désaccords sont évités ou tranchés par un seul partenaire.",
                 "Disagreements are avoided or settled by a single partner.")),
            abc("suivi", "Suivi et ajustement de l’action", "Reviewing and adjusting the action",
                ("Les partenaires font ensemble le suivi de l’action et l’ajustent au besoin.",
                 "Partners review the action together and adjust it as needed."),
                ("Un partenaire fait le suivi et en informe les autres.",
                 "One partner reviews progress and tells the others."),
                ("L’action ne fait l’objet d’aucun suivi.", "The action is not reviewed.")),
        ]),
    ],
}  # fmt: skip


def wilder(category: str) -> str:
    return f"Mattessich, Murray-Close & Monsey (2001), {category}"


FACTORS = {
    "code": "facteurs-collaboration",
    "title_fr": "Facteurs de collaboration",
    "title_en": "Collaboration factors",
    "description_fr": "Ce questionnaire passe en revue les facteurs qui favorisent la réussite d’une "
    "collaboration. Pour chaque énoncé, indiquez votre degré d’accord, de 1 (tout à fait en désaccord) à 5 "
    "(tout à fait d’accord).",
    "description_en": "This questionnaire reviews the factors that help a collaboration succeed. For each "
    "statement, say how far you agree, from 1 (strongly disagree) to 5 (strongly agree).",
    "source": "Inspiré des 20 facteurs de réussite de la collaboration, en six catégories, de Mattessich, P. W., "
    "Murray-Close, M. et Monsey, B. R. (2001), Collaboration: What Makes It Work, 2e édition, Amherst H. "
    "Wilder Foundation, et de l’inventaire qui l’accompagne (Wilder Collaboration Factors Inventory). Les "
    "énoncés sont de notre plume, ce ne sont pas ceux de l’inventaire. Les seuils (une force à partir de 4,0, "
    "une préoccupation sous 3,0) sont la lecture couramment rapportée de l’inventaire. Ils se modifient dans une "
    "copie et n’ont pas été vérifiés dans les instructions officielles de compilation.\n\n"
    "Inspired by the 20 collaboration success factors, in six categories, of Mattessich, Murray-Close & Monsey "
    "(2001), Collaboration: What Makes It Work, 2nd edition (Amherst H. Wilder Foundation), and its Wilder "
    "Collaboration Factors Inventory. The statements are our wording, not the inventory’s. The thresholds "
    "(strength from 4.0, concern below 3.0) are the commonly reported reading of the inventory; they can be "
    "changed in a copy and have not been verified against the official scoring instructions.",
    "scoring": "mean",
    "strength_min": Decimal("4.0"),
    "concern_below": Decimal("3.0"),
    "sections": [
        section("environnement", "Environnement", "Environment", wilder("Environment"), [
            likert("historique", "Les organisations de notre milieu ont l’habitude de travailler ensemble.",
                   "Organisations in our community are used to working together."),
            likert("legitimite", "Dans le milieu, notre groupe est reconnu comme un leader légitime sur cette "
                   "question.", "Our group is seen in the community as a legitimate leader on this issue."),
            likert("climat", "Le contexte politique et social est favorable à notre projet.",
                   "The political and social climate favours our project."),
        ]),
        section("membres", "Caractéristiques des membres", "Membership characteristics",
                wilder("Membership characteristics"), [
            likert("respect-confiance", "Les membres se respectent et se font confiance.",
                   "Members respect and trust one another."),
            likert("comprehension", "Les membres comprennent le mandat et les contraintes des autres "
                   "organisations.", "Members understand the other organisations’ mandates and constraints."),
            likert("representativite", "Le groupe réunit les organisations et les personnes qui représentent bien "
                   "le milieu concerné.", "The group brings together the organisations and people that fairly "
                   "represent the community concerned."),
            likert("interet", "Mon organisation gagne plus à participer qu’elle n’y perd.",
                   "My organisation gains more from taking part than it loses."),
            likert("compromis", "Les membres sont capables de faire des compromis.", "Members are able to compromise."),
        ]),
        section("processus", "Processus et structure", "Process and structure", wilder("Process and structure"), [
            likert("appropriation", "Les membres se sentent responsables de la démarche autant que des résultats.",
                   "Members feel ownership of the process as much as of the results."),
            likert("niveaux", "Les organisations participent à plusieurs niveaux, de la direction au personnel de "
                   "terrain.", "Organisations take part at several levels, from management to front-line staff."),
            likert("souplesse", "Le groupe reste souple dans sa façon de s’organiser et de travailler.",
                   "The group stays flexible in how it organises and works."),
            likert("roles-regles", "Les rôles et les règles de fonctionnement sont clairs pour chaque membre.",
                   "Roles and ground rules are clear to every member."),
            likert("adaptation", "Le groupe sait s’adapter quand le contexte change.",
                   "The group can adapt when circumstances change."),
            likert("rythme", "Le projet avance à un rythme réaliste, ni trop vite ni trop lentement.",
                   "The project moves at a realistic pace, neither too fast nor too slow."),
        ]),
        section("communication", "Communication", "Communication", wilder("Communication"), [
            likert("echanges", "Les échanges entre membres sont fréquents et francs.",
                   "Members communicate often and openly."),
            likert("information", "L’information sur les activités du groupe me parvient à temps.",
                   "I get information about the group’s activities in time."),
            likert("liens-informels", "Les membres se connaissent et se parlent aussi en dehors des rencontres.",
                   "Members know each other and also talk outside meetings."),
        ]),
        section("but", "But", "Purpose", wilder("Purpose"), [
            likert("objectifs", "Nos objectifs sont clairs, concrets et réalisables.",
                   "Our objectives are clear, concrete and achievable."),
            likert("vision", "Les membres partagent la même vision de ce que le groupe veut accomplir.",
                   "Members share the same vision of what the group wants to achieve."),
            likert("raison-detre", "Notre groupe fait ce qu’aucune organisation ne pourrait faire seule.",
                   "Our group does what no organisation could do alone."),
        ]),
        section("ressources", "Ressources", "Resources", wilder("Resources"), [
            likert("moyens", "Le groupe dispose des fonds, du personnel et du matériel nécessaires.",
                   "The group has the funds, staff and materials it needs."),
            likert("temps", "Les membres ont assez de temps à consacrer au projet.",
                   "Members have enough time to give to the project."),
            likert("competences", "La personne ou l’équipe qui anime le groupe a les compétences nécessaires.",
                   "The person or team leading the group has the skills needed."),
            likert("rassembler", "La coordination sait rassembler les membres et maintenir leur engagement.",
                   "Those coordinating the group bring members together and keep them engaged."),
        ]),
    ],
}  # fmt: skip

PSAT = "Center for the Advancement of Collaborative Strategies in Health (2002), Partnership Self-Assessment Tool"
BALANCE = [
    ("1", "Les inconvénients dépassent largement les avantages", "Drawbacks far outweigh benefits"),
    ("2", "Les inconvénients dépassent un peu les avantages", "Drawbacks slightly outweigh benefits"),
    ("3", "Les avantages et les inconvénients s’équilibrent", "Benefits and drawbacks are about even"),
    ("4", "Les avantages dépassent un peu les inconvénients", "Benefits slightly outweigh drawbacks"),
    ("5", "Les avantages dépassent largement les inconvénients", "Benefits far outweigh drawbacks"),
]

BENEFITS_DRAWBACKS = {
    "code": "avantages-inconvenients",
    "title_fr": "Avantages et inconvénients de la participation",
    "title_en": "Benefits and drawbacks of taking part",
    "description_fr": "Répondez oui ou non à chaque énoncé en pensant à la participation de votre organisation à "
    "l’instance au cours de la dernière année. Indiquez ensuite de quel côté penche la balance.",
    "description_en": "Answer yes or no to each statement, thinking of your organisation’s participation in the "
    "body over the past year. Then say which way the balance tips.",
    "source": "Inspiré du bilan des tables sous-régionales de la Montérégie de Vermette (1998b), qui relève les "
    "avantages (connaissance des ressources, collaboration, concertation, nouveaux projets, information) et les "
    "irritants (absences et retraits, mandats ambigus, attentes contradictoires) de la participation, tel que "
    "le résume Bourque. Inspiré aussi de la structure en sections avantages, inconvénients et comparaison des "
    "deux du Partnership Self-Assessment Tool (Center for the Advancement of Collaborative Strategies in "
    "Health, New York Academy of Medicine, 2002), fondé sur le cadre de la synergie partenariale de Lasker, "
    "Weiss et Miller (2001). Les énoncés sont de notre plume, aucun texte publié n’est repris.\n\n"
    "Inspired by Vermette’s (1998b) review of the Montérégie sub-regional tables, which lists the benefits "
    "(knowing resources, collaboration, concertation, new projects, information) and irritants (absence and "
    "withdrawal, ambiguous mandates, contradictory expectations) of taking part, as summarised by Bourque; and "
    "by the benefits, drawbacks and comparison sections of the Partnership Self-Assessment Tool (CACSH, New York "
    "Academy of Medicine, 2002), built on Lasker, Weiss & Miller’s (2001) partnership synergy framework. The "
    "statements are our wording; no published text is reused.",
    "scoring": "checklist",
    "sections": [
        section("avantages", "Avantages", "Benefits", f"Vermette (1998b). {PSAT}, Benefits of participation", [
            check("ressources-connues", BENEFIT, "Mon organisation connaît mieux les ressources du territoire.",
                  "My organisation knows the territory’s resources better."),
            check("collaborations", BENEFIT, "Mon organisation collabore davantage avec d’autres organisations.",
                  "My organisation works more with other organisations."),
            check("information", BENEFIT, "Mon organisation obtient de l’information qu’elle aurait difficilement "
                  "eue autrement.", "My organisation gets information it could hardly have had otherwise."),
            check("nouveaux-projets", BENEFIT, "Des projets ou des activités ont vu le jour grâce à notre "
                  "participation.", "Projects or activities have started thanks to our taking part."),
            check("visibilite", BENEFIT, "Mon organisation est plus visible et mieux reconnue dans le milieu.",
                  "My organisation is more visible and better recognised in the community."),
            check("influence", BENEFIT, "Mon organisation influence des décisions qui touchent sa mission ou la "
                  "population qu’elle sert.", "My organisation influences decisions that affect its mission or "
                  "the people it serves."),
            check("competences", BENEFIT, "Notre équipe acquiert de nouvelles compétences ou connaissances.",
                  "Our team gains new skills or knowledge."),
            check("nouvelles-ressources", BENEFIT, "Mon organisation a accès à de nouvelles ressources "
                  "(financement, locaux, expertise).", "My organisation gains access to new resources (funding, "
                  "space, expertise)."),
            check("resultats", BENEFIT, "Nous contribuons à des résultats utiles pour la population.",
                  "We contribute to results that matter to the population."),
        ]),
        section("inconvenients", "Inconvénients", "Drawbacks", f"Vermette (1998b). {PSAT}, Drawbacks of "
                "participation", [
            check("temps", DRAWBACK, "La participation prend du temps qui manque ensuite à notre mission.",
                  "Taking part takes time away from our mission."),
            check("sursollicitation", DRAWBACK, "Mon organisation est sollicitée par trop de concertations à la "
                  "fois.", "My organisation is asked to join too many concertation bodies at once."),
            check("autonomie", DRAWBACK, "Mon organisation perd de son autonomie dans ses choix ou ses façons de "
                  "faire.", "My organisation loses some autonomy over its choices or ways of working."),
            check("attentes", DRAWBACK, "Les attentes envers mon organisation sont floues ou contradictoires.",
                  "What is expected of my organisation is unclear or contradictory."),
            check("conflits", DRAWBACK, "La participation crée des tensions ou des conflits avec d’autres "
                  "organisations.", "Taking part creates tension or conflict with other organisations."),
            check("reconnaissance", DRAWBACK, "La contribution de mon organisation n’est pas reconnue à sa juste "
                  "valeur.", "My organisation’s contribution is not given its due."),
            check("resultats-minces", DRAWBACK, "Les résultats sont trop minces pour l’effort demandé.",
                  "The results are too thin for the effort required."),
            check("absences", DRAWBACK, "Les absences ou les retraits d’autres partenaires nuisent aux travaux.",
                  "Other partners’ absences or withdrawals hamper the work."),
        ]),
        section("bilan", "Bilan", "Overall balance", f"{PSAT}, Comparing benefits and drawbacks", [
            {
                "code": "balance",
                "text_fr": "Tout bien considéré, la balance entre avantages et inconvénients pour mon organisation",
                "text_en": "All things considered, the balance of benefits and drawbacks for my organisation",
                "scale": CHOICE,
                "options": [{"value": value, "fr": fr, "en": en} for value, fr, en in BALANCE],
            },
        ]),
    ],
}  # fmt: skip

# Who works with whom: the third graph of the network analysis (evaluation.network.graphs.relations). The ratings
# are the scales of evaluation.models.network, our own; nothing of a published tool's items or scales is reused.
PARTNER_RELATIONS = {
    "code": "relations",
    "title_fr": "Relations entre partenaires",
    "title_en": "Relations between partners",
    "description_fr": "Ce questionnaire dessine le réseau des organisations du territoire. Nommez les organismes "
    "et les partenaires avec lesquels votre organisation travaille et qualifiez chaque lien\u00a0: sa fréquence, "
    "son utilité et la confiance que vous leur accordez. Un lien a deux bouts\u00a0: le nom de votre "
    "organisation est donc conservé avec vos réponses, mais jamais le vôtre.",
    "description_en": "This questionnaire maps the network of the territory’s organisations. Name the "
    "organisations and partners your organisation works with and describe each tie: how often you work "
    "together, how useful the tie is and how much you trust them. A tie has two ends, so your organisation’s "
    "name is kept with your answers, never your own.",
    "source": "Questions et échelles rédigées par l’équipe de Maillage. La question sur les liens suit la "
    "démarche générale de l’analyse des réseaux interorganisationnels (chaque organisation nomme ses "
    "partenaires et qualifie le lien), sans reprendre les énoncés ni les échelles d’un outil publié. "
    "Instrument non validé.\n\n"
    "Questions and scales in our wording, written by the Maillage team. The ties question follows the general "
    "approach of inter-organisational network analysis (each organisation names its partners and describes the tie) "
    "without reusing the items or scales of any published tool. Not a validated instrument.",
    "scoring": "mean",
    "sections": [
        section("liens", "Vos liens de travail", "Your working ties", "", [
            {
                "code": "partenaires",
                "text_fr": "Avec quels organismes et partenaires votre organisation travaille-t-elle\u00a0?",
                "text_en": "Which organisations and partners does your organisation work with?",
                "scale": RELATIONS,
            },
            likert("confiance-mutuelle", "Dans l’ensemble, les partenaires du territoire se font confiance.",
                   "On the whole, the territory’s partners trust one another."),
            likert("entraide", "Quand mon organisation a besoin d’un partenaire, elle sait vers qui se tourner et "
                   "obtient une réponse.", "When my organisation needs a partner, it knows whom to turn to and "
                   "gets an answer."),
        ]),
    ],
}  # fmt: skip

SHIPPED: list[dict[str, Any]] = [CONDITIONS, PARTNERSHIP, FACTORS, BENEFITS_DRAWBACKS, PARTNER_RELATIONS]
INSTRUMENT_FIELDS = ["title_fr", "title_en", "description_fr", "description_en", "source", "scoring"]


def install_shipped(instrument_model, section_model, item_model) -> None:
    """Create or update the shipped instruments by code; a migration passes its historical models."""
    for data in SHIPPED:
        defaults = {name: data[name] for name in INSTRUMENT_FIELDS}
        defaults.update(
            rls=None,
            self_evaluation=data.get("self_evaluation", False),
            strength_min=data.get("strength_min", Decimal("4.0")),
            concern_below=data.get("concern_below", Decimal("3.0")),
        )
        instrument, _ = instrument_model.objects.update_or_create(code=data["code"], defaults=defaults)
        sections = enumerate(data["sections"], 1)
        codes = [_install_section(section_model, item_model, instrument, n, s) for n, s in sections]
        # A section dropped from the data goes once nothing is left in it: answered items are protected.
        section_model.objects.filter(instrument=instrument, items__isnull=True).exclude(code__in=codes).delete()


def _install_section(section_model, item_model, instrument, position: int, data: dict[str, Any]) -> str:
    section, _ = section_model.objects.update_or_create(
        instrument=instrument, code=data["code"],
        defaults={"title_fr": data["title_fr"], "title_en": data["title_en"], "source": data["source"],
                  "position": position},
    )  # fmt: skip
    for n, item in enumerate(data["items"], 1):
        item_model.objects.update_or_create(
            section=section, code=item["code"],
            defaults={"text_fr": item["text_fr"], "text_en": item["text_en"], "scale": item["scale"],
                      "options": item.get("options", []), "polarity": item.get("polarity", ""), "position": n},
        )  # fmt: skip
    codes = [item["code"] for item in data["items"]]
    # An item dropped from the data is removed unless it has answers, which must keep their question (a relations
    # item's answers are its relations, from migration 0005 on).
    unanswered = item_model.objects.filter(section=section, answers__isnull=True)
    if any(f.name == "relations" for f in item_model._meta.get_fields()):
        unanswered = unanswered.filter(relations__isnull=True)
    unanswered.exclude(code__in=codes).delete()
    return data["code"]
