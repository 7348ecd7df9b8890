"""Installs the fifth shipped instrument, *Relations entre partenaires* (evaluation/shipped.py), on a database
that has the four others: the installer creates or updates every shipped instrument by code, so it also runs on
a fresh database where 0002 already installed all five."""

from django.db import migrations

from evaluation.shipped import install_shipped


def install(apps, schema_editor):
    install_shipped(
        apps.get_model("evaluation", "Instrument"),
        apps.get_model("evaluation", "Section"),
        apps.get_model("evaluation", "Item"),
    )


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_network")]
    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
