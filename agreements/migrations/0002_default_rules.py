"""Seeds the default legal bases and required sections (agreements/defaults.py)."""

from django.db import migrations

from agreements.defaults import ensure_rules


def seed(apps, schema_editor):
    ensure_rules(apps.get_model("agreements", "LegalBasis"), apps.get_model("agreements", "KindRule"))


def unseed(apps, schema_editor):
    apps.get_model("agreements", "KindRule").objects.all().delete()
    apps.get_model("agreements", "LegalBasis").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
