"""Installs the four shipped instruments (evaluation/shipped.py), worded in our own words."""

from django.db import migrations

from evaluation.shipped import install_shipped


def install(apps, schema_editor):
    install_shipped(
        apps.get_model("evaluation", "Instrument"),
        apps.get_model("evaluation", "Section"),
        apps.get_model("evaluation", "Item"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
