"""Add (or complete) the agreements of the demo network in a database where the registry and concertation demo
are loaded.

`load_demo` already runs this step at its end; this command is for a database loaded before it existed.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from agreements import demo_data
from concertation import demo_data as concertation_demo
from concertation.models import Instance
from registry import demo_data as registry_demo
from registry.models import Territory


class Command(BaseCommand):
    help = "Charge les ententes du réseau de démonstration (ententes de services et de collaboration, suivi)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production", action="store_true", help="Autoriser le chargement en production (déconseillé)."
        )

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError("Refusé : MAILLAGE_ENV=production (données de démonstration).")
        admin = get_user_model().objects.filter(username=registry_demo.ACCOUNTS[0].username).first()
        rls = Territory.objects.filter(kind=Territory.Kind.RLS, name=registry_demo.RLS["name"]).first()
        joint = next(spec.name for spec in concertation_demo.INSTANCES if spec.key == "joint")
        if admin is None or rls is None:
            raise CommandError("Le réseau de démonstration n'est pas chargé : lancez d'abord « manage.py load_demo ».")
        if not Instance.objects.filter(rls=rls, name=joint).exists():
            raise CommandError(
                "La concertation de démonstration n'est pas chargée : lancez d'abord « manage.py "
                "load_demo_concertation »."
            )
        self.stdout.write(self.style.SUCCESS(demo_data.summary(demo_data.load(admin))))
