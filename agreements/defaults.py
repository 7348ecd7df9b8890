"""The default legal bases and agreement rules: the LSSSS (S-4.2) as the seeds cite it, in force until 2024-11-30,
then Santé Québec's Act respecting the governance of the health and social services system (G-1.021) from
2024-12-01, and the Act respecting health and social services information (R-22.1) for information sharing.

An administrator keeps these rows up to date in the administration; nothing here is read once the rows exist
(migration 0006 writes them; `ensure_rules` puts them back in a database flushed since, a test's). Every article
that could not be confirmed against the official text is marked `to_verify`, with what is believed and why.
"""

import datetime

S_4_2 = "Loi sur les services de santé et les services sociaux"
S_4_2_EN = "Act respecting health services and social services"
G_1_021 = "Loi sur la gouvernance du système de santé et de services sociaux"
G_1_021_EN = "Act respecting the governance of the health and social services system"
R_22_1 = "Loi sur les renseignements de santé et de services sociaux"
R_22_1_EN = "Act respecting health and social services information"
# The title the rows of migration 0002 carried (chapter included), to find them again.
OLD_S_4_2 = "Loi sur les services de santé et les services sociaux (RLRQ, c. S-4.2)"

LSSSS_END = datetime.date(2024, 11, 30)
SANTE_QUEBEC_START = datetime.date(2024, 12, 1)
R_22_1_START = datetime.date(2024, 7, 1)

SEED_NOTE = (
    "Seed 003, slide 26 (AQÉSSS, 2007): art. 108 for service agreements, art. 99.7 for collaboration agreements "
    "of the local services network, art. 34 for the complaints of their users. The LSSSS governed the network "
    "until Santé Québec began operating it on 2024-12-01."
)
LOCAL_OFFICER = ("commissaire local aux plaintes et à la qualité des services",
                 "local service quality and complaints commissioner")  # fmt: skip
# Named in ss. 698 and 708 of G-1.021 (read on LégisQuébec).
OFFICER = ("commissaire aux plaintes et à la qualité des services", "service quality and complaints commissioner")

# Keyed by (chapter, article, purpose): one row each.
LEGAL_BASES: list[dict] = [
    {
        "law": S_4_2, "law_en": S_4_2_EN, "chapter": "S-4.2", "article": "108", "purpose": "service_agreement",
        "title": "Entente de services", "title_en": "Service agreement",
        "summary": "Un établissement peut conclure avec un organisme, une ressource ou une autre personne une "
        "entente pour la prestation, pour son compte, de services requis par ses usagers ; l’établissement demeure "
        "responsable de ces services.",
        "summary_en": "An institution may enter into an agreement with a body, a resource or another person for "
        "the provision, on its behalf, of services required by its users; the institution remains responsible for "
        "these services.",
        "in_force_to": LSSSS_END, "to_verify": False, "verification_note": SEED_NOTE,
        "clause": "Une personne insatisfaite des services reçus en vertu de la présente entente peut porter plainte "
        "au commissaire local aux plaintes et à la qualité des services de l’établissement (Loi sur les services "
        "de santé et les services sociaux, art. 34).",
        "clause_en": "A person dissatisfied with the services received under this agreement may file a complaint "
        "with the institution’s local service quality and complaints commissioner (Act respecting health services "
        "and social services, s. 34).",
        "complaints_officer": LOCAL_OFFICER[0], "complaints_officer_en": LOCAL_OFFICER[1],
    },
    {
        "law": S_4_2, "law_en": S_4_2_EN, "chapter": "S-4.2", "article": "99.7",
        "purpose": "collaboration_agreement",
        "title": "Entente de collaboration relative au réseau local de services",
        "title_en": "Collaboration agreement of the local services network",
        "summary": "Le partenaire offre des services dans le cadre de sa propre mission et du projet clinique, et "
        "non pour le compte de l’établissement ; l’entente respecte les orientations, les politiques et les "
        "approches de l’organisme communautaire.",
        "summary_en": "The partner offers services under its own mission and within the clinical project, not on "
        "the institution’s behalf; the agreement respects the community organisation’s orientations, policies "
        "and approaches.",
        "in_force_to": LSSSS_END, "to_verify": False, "verification_note": SEED_NOTE,
        "clause": "Conformément à l’article 34 de la Loi sur les services de santé et les services sociaux, une "
        "personne qui souhaite porter plainte au sujet des services offerts dans le cadre de la présente entente "
        "s’adresse au commissaire local aux plaintes et à la qualité des services de l’établissement.",
        "clause_en": "Under section 34 of the Act respecting health services and social services, a person who "
        "wishes to complain about the services offered under this agreement applies to the institution’s local "
        "service quality and complaints commissioner.",
        "complaints_officer": LOCAL_OFFICER[0], "complaints_officer_en": LOCAL_OFFICER[1],
    },
    {
        "law": S_4_2, "law_en": S_4_2_EN, "chapter": "S-4.2", "article": "34", "purpose": "complaints",
        "title": "Examen des plaintes par le commissaire local", "title_en": "Complaints to the local commissioner",
        "summary": "Une plainte relative aux services d’un partenaire lié par une entente est examinée par le "
        "commissaire local aux plaintes et à la qualité des services de l’établissement.",
        "summary_en": "A complaint about the services of a partner bound by an agreement is examined by the "
        "institution’s local service quality and complaints commissioner.",
        "in_force_to": LSSSS_END, "to_verify": False, "verification_note": SEED_NOTE,
        "complaints_officer": LOCAL_OFFICER[0], "complaints_officer_en": LOCAL_OFFICER[1],
    },
    {
        "law": G_1_021, "law_en": G_1_021_EN, "chapter": "G-1.021", "article": "", "purpose": "service_agreement",
        "title": "Entente de services avec un établissement de Santé Québec",
        "title_en": "Service agreement with a Santé Québec institution",
        "summary": "Santé Québec, par l’un de ses établissements, confie à un organisme la prestation, pour son "
        "compte, de services requis par ses usagers ; l’établissement demeure responsable de ces services.",
        "summary_en": "Santé Québec, through one of its institutions, has a body provide, on its behalf, services "
        "required by its users; the institution remains responsible for these services.",
        "in_force_from": SANTE_QUEBEC_START, "to_verify": True,
        "verification_note": "Believed: since 2024-12-01 the service agreements formerly made under LSSSS art. 108 "
        "are made by Santé Québec through its institutions under G-1.021 (2023, c. 34), which replaced the LSSSS "
        "for the network. The article that carries them was not found in the searchable text of the Act "
        "(LégisQuébec): the article is left empty until it is confirmed.",
        "clause": "Une personne insatisfaite des services reçus en vertu de la présente entente peut porter plainte "
        "au commissaire aux plaintes et à la qualité des services de l’établissement de Santé Québec (Loi sur la "
        "gouvernance du système de santé et de services sociaux).",
        "clause_en": "A person dissatisfied with the services received under this agreement may file a complaint "
        "with the service quality and complaints commissioner of the Santé Québec institution (Act respecting the "
        "governance of the health and social services system).",
        "complaints_officer": OFFICER[0], "complaints_officer_en": OFFICER[1],
    },
    {
        "law": G_1_021, "law_en": G_1_021_EN, "chapter": "G-1.021", "article": "",
        "purpose": "collaboration_agreement",
        "title": "Entente de collaboration avec un organisme communautaire",
        "title_en": "Collaboration agreement with a community organisation",
        "summary": "L’organisme offre des services dans le cadre de sa propre mission, en collaboration avec "
        "l’établissement de Santé Québec et non pour son compte ; l’entente respecte les orientations, les "
        "politiques et les approches de l’organisme communautaire.",
        "summary_en": "The organisation offers services under its own mission, in collaboration with the Santé "
        "Québec institution and not on its behalf; the agreement respects the community organisation’s "
        "orientations, policies and approaches.",
        "in_force_from": SANTE_QUEBEC_START, "to_verify": True,
        "verification_note": "Believed: the collaboration agreements formerly made under LSSSS art. 99.7 (local "
        "services networks) continue under G-1.021 since 2024-12-01. No article of G-1.021 could be matched to "
        "them in the searchable text: the article is left empty until it is confirmed.",
        "clause": "Une personne qui souhaite porter plainte au sujet des services offerts dans le cadre de la "
        "présente entente s’adresse au commissaire aux plaintes et à la qualité des services de l’établissement de "
        "Santé Québec (Loi sur la gouvernance du système de santé et de services sociaux).",
        "clause_en": "A person who wishes to complain about the services offered under this agreement applies to "
        "the service quality and complaints commissioner of the Santé Québec institution (Act respecting the "
        "governance of the health and social services system).",
        "complaints_officer": OFFICER[0], "complaints_officer_en": OFFICER[1],
    },
    {
        "law": G_1_021, "law_en": G_1_021_EN, "chapter": "G-1.021", "article": "671", "purpose": "complaints",
        "title": "Droit de porter plainte au commissaire aux plaintes et à la qualité des services",
        "title_en": "Right to file a complaint with the service quality and complaints commissioner",
        "summary": "Un usager peut porter plainte au commissaire aux plaintes et à la qualité des services au sujet "
        "des services reçus, y compris de ceux d’un prestataire auquel l’établissement recourt.",
        "summary_en": "A user may file a complaint with the service quality and complaints commissioner about the "
        "services received, including those of a provider the institution has recourse to.",
        "in_force_from": SANTE_QUEBEC_START, "to_verify": True,
        "verification_note": "Believed from s. 730 (read on LégisQuébec), which refers to the service providers "
        "“with regard to whom a complaint may be filed under the second paragraph of section 671”, and from "
        "ss. 698 and 708, which name the service quality and complaints commissioner. The text of s. 671 itself "
        "was not read: confirm it covers the services given under an agreement.",
        "complaints_officer": OFFICER[0], "complaints_officer_en": OFFICER[1],
    },
    {
        "law": R_22_1, "law_en": R_22_1_EN, "chapter": "R-22.1", "article": "", "purpose": "information_sharing",
        "title": "Communication de renseignements de santé et de services sociaux",
        "title_en": "Communication of health and social services information",
        "summary": "Les renseignements de santé et de services sociaux échangés par les parties sont régis par la "
        "Loi sur les renseignements de santé et de services sociaux.",
        "summary_en": "The health and social services information the parties exchange is governed by the Act "
        "respecting health and social services information.",
        "in_force_from": R_22_1_START, "to_verify": True,
        "verification_note": "Believed: the Act respecting health and social services information (R-22.1) has "
        "governed such information since July 2024 (domain.md §8). The article on the communication of "
        "information to a body that provides services under an agreement was not confirmed: the article is left "
        "empty until it is.",
        "clause": "Les parties s’échangent des renseignements personnels uniquement dans la mesure nécessaire à "
        "l’exécution de la présente entente et conformément à la Loi sur les renseignements de santé et de "
        "services sociaux. Chaque partie prend les mesures de sécurité propres à en assurer la confidentialité, "
        "limite l’accès aux personnes qui en ont besoin dans l’exercice de leurs fonctions et avise sans délai "
        "l’autre partie de tout incident de confidentialité.",
        "clause_en": "The parties exchange personal information only insofar as the performance of this agreement "
        "requires it and in accordance with the Act respecting health and social services information. Each party "
        "takes the security measures needed to keep it confidential, limits access to the persons who need it in "
        "the exercise of their duties and notifies the other party without delay of any confidentiality incident.",
    },
]  # fmt: skip

SIX = [
    "clientele_offer",
    "obligations",
    "access_coordination",
    "financial_resources",
    "respondents_committee",
    "disagreement_modification_termination",
]
# kind → (chapter, article, purpose of its current basis or None, required sections)
RULES = {
    "service": (("G-1.021", "", "service_agreement"), SIX),
    "collaboration": (("G-1.021", "", "collaboration_agreement"), [*SIX, "autonomy_respect", "complaints"]),
    "framework": (
        None,
        ["obligations", "access_coordination", "respondents_committee", "disagreement_modification_termination"],
    ),
    "funding": (None, ["obligations", "financial_resources", "disagreement_modification_termination"]),
    "other": (None, ["obligations", "disagreement_modification_termination"]),
}


def _key(row: dict) -> tuple[str, str, str]:
    return row["chapter"], row["article"], row["purpose"]


def ensure_bases(legal_basis_model) -> dict[tuple[str, str, str], object]:
    """Bring the legal bases to the defaults: the rows of migration 0002 take their structured form, the missing
    ones are created; the rows an administrator already has are left as they are. Works with a migration's
    historical model (only the fields it knows are written)."""
    fields = {field.name for field in legal_basis_model._meta.get_fields()}
    by_key = {}
    for row in LEGAL_BASES:
        values = {name: value for name, value in row.items() if name in fields}
        old = legal_basis_model.objects.filter(law=OLD_S_4_2, article=row["article"]).first()
        if old is not None and row["chapter"] == "S-4.2":
            for name, value in values.items():
                setattr(old, name, value)
            old.save()
            by_key[_key(row)] = old
            continue
        lookup = {"chapter": row["chapter"], "article": row["article"], "purpose": row["purpose"]}
        by_key[_key(row)] = legal_basis_model.objects.get_or_create(**lookup, defaults=values)[0]
    return by_key


def ensure_rules(legal_basis_model, kind_rule_model) -> None:
    """Create the default bases and rules when there are no rules (a migration passes its historical models)."""
    if kind_rule_model.objects.exists():
        return
    bases = ensure_bases(legal_basis_model)
    for kind, (basis, sections) in RULES.items():
        kind_rule_model.objects.get_or_create(
            kind=kind, defaults={"legal_basis": bases.get(basis), "required_sections": sections}
        )


def point_rules_to_current(legal_basis_model, kind_rule_model) -> None:
    """Migration 0006: the kinds' rules name the bases in force since 2024-12-01 (their history follows by
    purpose and dates)."""
    bases = ensure_bases(legal_basis_model)
    for kind, (basis, _sections) in RULES.items():
        if basis is not None:
            kind_rule_model.objects.filter(kind=kind).update(legal_basis=bases[basis])
