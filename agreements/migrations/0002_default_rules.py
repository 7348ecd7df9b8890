"""Seeds the default legal bases and required sections as the seeds cite them in 2010 (LSSSS, S-4.2).

Self-contained (the defaults of that time, copied here): agreements/defaults.py has moved on since, and migration
0006 brings these rows to the structured, dated legal bases."""

from django.db import migrations

LSSSS = "Loi sur les services de santé et les services sociaux (RLRQ, c. S-4.2)"
SIX = [
    "clientele_offer",
    "obligations",
    "access_coordination",
    "financial_resources",
    "respondents_committee",
    "disagreement_modification_termination",
]
BASES = {
    "108": "Un établissement peut conclure avec un organisme, une ressource ou une autre personne une entente "
    "pour la prestation, pour son compte, de services requis par ses usagers ; l'établissement demeure "
    "responsable de ces services.",
    "99.7": "Entente de collaboration relative au réseau local de services : le partenaire offre des services "
    "dans le cadre de sa propre mission et du projet clinique ; l'entente respecte les orientations, les "
    "politiques et les approches de l'organisme communautaire.",
    "34": "Une plainte relative aux services d'un partenaire lié par une entente est examinée par le "
    "commissaire local aux plaintes et à la qualité des services de l'établissement.",
}
RULES = {
    "service": ("108", None, SIX),
    "collaboration": ("99.7", "34", [*SIX, "autonomy_respect", "complaints"]),
    "framework": (
        None,
        None,
        ["obligations", "access_coordination", "respondents_committee", "disagreement_modification_termination"],
    ),
    "funding": (None, None, ["obligations", "financial_resources", "disagreement_modification_termination"]),
    "other": (None, None, ["obligations", "disagreement_modification_termination"]),
}


def seed(apps, schema_editor):
    legal_basis_model = apps.get_model("agreements", "LegalBasis")
    kind_rule_model = apps.get_model("agreements", "KindRule")
    if kind_rule_model.objects.exists():
        return
    bases = {
        article: legal_basis_model.objects.get_or_create(law=LSSSS, article=article, defaults={"summary": text})[0]
        for article, text in BASES.items()
    }
    for kind, (basis, complaints, sections) in RULES.items():
        kind_rule_model.objects.get_or_create(
            kind=kind,
            defaults={
                "legal_basis": bases.get(basis),
                "complaints_basis": bases.get(complaints),
                "required_sections": sections,
            },
        )


def unseed(apps, schema_editor):
    apps.get_model("agreements", "KindRule").objects.all().delete()
    apps.get_model("agreements", "LegalBasis").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
