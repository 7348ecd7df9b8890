"""The legal bases follow the calendar: the LSSSS rows (S-4.2) end on 2024-11-30, the rows of G-1.021 (Santé Québec)
and R-22.1 start (agreements/defaults.py says what is believed of each article and why), the kinds' rules name the
current bases, and the agreements already there are dated by the day they were created."""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import TruncDate

from agreements.defaults import point_rules_to_current


def forward(apps, schema_editor):
    legal_basis = apps.get_model("agreements", "LegalBasis")
    kind_rule = apps.get_model("agreements", "KindRule")
    point_rules_to_current(legal_basis, kind_rule)
    apps.get_model("agreements", "Agreement").objects.update(drafted_on=TruncDate(F("created_at")))


class Migration(migrations.Migration):
    dependencies = [("agreements", "0005_legal_bases_follow_the_calendar")]
    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
