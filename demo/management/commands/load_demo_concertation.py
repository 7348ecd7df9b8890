"""Add (or complete) the concertation part of the demo network in a database where the registry demo is loaded.

`load_demo` already runs this step at its end; this command is for a database loaded before it existed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from concertation import demo_data
from registry import demo_data as registry_demo
from registry.models import Territory


class Command(BaseCommand):
    help = "Charge les instances de concertation du réseau de démonstration (structure VES, rencontres, plan)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Autoriser le chargement en production (déconseillé)."
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError("Refusé : MAILLAGE_ENV=production (données de démonstration).")
        admin = get_user_model().objects.filter(username=registry_demo.ACCOUNTS[0].username).first()
        demo_rls = Territory.objects.filter(kind=Territory.Kind.RLS, name=registry_demo.RLS["name"]).exists()
        if admin is None or not demo_rls:
            raise CommandError("Le réseau de démonstration n'est pas chargé : lancez d'abord « manage.py load_demo ».")
        counts = demo_data.load(admin)
        self.stdout.write(
            self.style.SUCCESS(
                f"Concertation : {counts.instances} instances, {counts.memberships} adhésions, {counts.meetings} "
                f"rencontres ({counts.created} enregistrements créés par ce chargement)."
            )
        )
