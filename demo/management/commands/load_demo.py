"""Load the demo network (registry/demo_data.py), then its concertation instances (concertation/demo_data.py),
its agreements (agreements/demo_data.py) and its evaluation (evaluation/demo_data.py): the demo app is the one
place that imports every domain.

Idempotent: records are looked up by natural key first. Every registry record goes through registry.actions,
so each one's history page shows its creation by `admin`.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agreements import demo_data as agreements_demo
from concertation import demo_data as concertation_demo
from evaluation import demo_data as evaluation_demo
from registry import actions
from registry import demo_data as demo
from registry.demo_data import account_email, person_email
from registry.models import Organization, Person, RoleAssignment, Territory


class Command(BaseCommand):
    help = "Charge le réseau de démonstration (RLS fictif du Haut-Bocage) et les comptes de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Ne rien charger si une organisation existe déjà.")
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Autoriser le chargement en production (déconseillé : mots de passe de démonstration publics).",
        )
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="Adresse affichée à la fin.")

    def handle(self, *args, **options):
        if getattr(settings, "PRODUCTION", False) and not options["allow_production"]:
            raise CommandError(
                "Refusé : MAILLAGE_ENV=production. Les comptes de démonstration ont un mot de passe public ; "
                "ajoutez --allow-production si c'est vraiment voulu."
            )
        if options["if_empty"] and Organization.objects.exists():
            self.stdout.write("La base contient déjà des organisations : réseau de démonstration non chargé.")
        else:
            counts = DemoLoader().load()
            self.stdout.write(self.style.SUCCESS(self.summary(counts)))
        self.print_accounts(options["url"])

    @staticmethod
    def summary(counts: dict) -> str:
        c = counts["concertation"]
        return (
            f"Réseau de démonstration prêt : {counts['territories']} territoires, {counts['organizations']} "
            f"organisations, {counts['people']} personnes ({counts['created']} fiches créées par ce chargement).\n"
            f"Concertation : {c.instances} instances, {c.memberships} adhésions, {c.meetings} rencontres "
            f"({c.created} enregistrements créés par ce chargement).\n"
            + agreements_demo.summary(counts["agreements"])
            + "\n"
            + evaluation_demo.summary(counts["evaluation"])
        )

    def print_accounts(self, url: str) -> None:
        users = {
            u.username: u for u in get_user_model().objects.filter(username__in=[a.username for a in demo.ACCOUNTS])
        }
        if not users:
            return
        self.stdout.write(f"\nMaillage : {url}")
        self.stdout.write(f"Comptes de démonstration (mot de passe commun : {demo.DEMO_PASSWORD})\n")
        rows = [("Compte", "Rôle", "Personne", "Portée")]
        for account in demo.ACCOUNTS:
            if account.username in users:
                user = users[account.username]
                rows.append((account.username, account.label, user.get_full_name(), self.scope_label(account)))
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        for row in rows:
            cells = (cell.ljust(width) for cell, width in zip(row, widths, strict=True))
            self.stdout.write(("  " + "  ".join(cells)).rstrip())

    @staticmethod
    def scope_label(account: demo.Account) -> str:
        if account.organization:
            return next(o.name for o in demo.ALL_ORGANIZATIONS if o.key == account.organization)
        return demo.RLS["name"] if account.role else "toute la plateforme"


class DemoLoader:
    """Builds the network top-down; each `_ensure_*` returns the existing record or creates it."""

    def __init__(self) -> None:
        self.created = 0
        self.territories: dict[str, Territory] = {}
        self.organizations: dict[str, Organization] = {}

    @transaction.atomic
    def load(self) -> dict[str, object]:
        self.admin = self._ensure_users()
        self._load_territories()
        for spec in demo.ALL_ORGANIZATIONS:
            self.organizations[spec.key] = self._ensure_organization(spec)
        people = [self._ensure_person(spec) for spec in demo.PEOPLE]
        self._ensure_roles()
        counts: dict[str, object] = {
            "territories": len(self.territories),
            "organizations": len(self.organizations),
            "people": len(people),
            "created": self.created,
        }
        # Then the VES structure, meetings, priorities and plan of the demo RLS, the agreements between its
        # organisations through their lifecycle, and the story its evaluation tells (surveys, timeline, exits).
        counts["concertation"] = concertation_demo.load(self.admin)
        counts["agreements"] = agreements_demo.load(self.admin)
        counts["evaluation"] = evaluation_demo.load(self.admin)
        # Last: the public body's predecessors include the concertation's historical organisations, and the
        # coordinator's proposal waits for the popote's answer.
        counts["ownership"] = demo.load_ownership_story(self.territories["rls"])
        return counts

    # Accounts -------------------------------------------------------------------------------

    def _ensure_users(self):
        User = get_user_model()
        existing = set(
            User.objects.filter(username__in=[a.username for a in demo.ACCOUNTS]).values_list("username", flat=True)
        )
        missing = [a for a in demo.ACCOUNTS if a.username not in existing]
        if missing:
            # One hash for all demo accounts: they share the published password, and hashing is slow by design.
            validate_password(demo.DEMO_PASSWORD)
            encoded = make_password(demo.DEMO_PASSWORD)
            for account in missing:
                User.objects.create(
                    username=account.username,
                    first_name=account.first_name,
                    last_name=account.last_name,
                    email=account_email(account),
                    language="fr",
                    password=encoded,
                    is_superuser=not account.role,
                    is_staff=not account.role,
                )
        return User.objects.get(username=demo.ACCOUNTS[0].username)

    def _ensure_roles(self) -> None:
        rls = self.territories["rls"]
        users = {
            u.username: u for u in get_user_model().objects.filter(username__in=[a.username for a in demo.ACCOUNTS])
        }
        for account in demo.ACCOUNTS:
            if not account.role:
                continue
            scope = (
                {"organization": self.organizations[account.organization], "rls": None}
                if account.organization
                else {"rls": rls, "organization": None}
            )
            RoleAssignment.objects.get_or_create(user=users[account.username], role=account.role, **scope)

    # Territories ----------------------------------------------------------------------------

    def _load_territories(self) -> None:
        province = self._ensure_territory("province", demo.PROVINCE, "province", None)
        region = self._ensure_territory("region", demo.REGION, "health_region", province)
        rls = self._ensure_territory("rls", demo.RLS, "rls", region)
        mrc = self._ensure_territory("mrc", demo.MRC, "mrc", rls)
        for m in demo.MUNICIPALITIES:
            self._ensure_territory(
                m.key, {"name": m.name, "description": m.description, "figures": m.figures}, "municipality", mrc
            )
        self._sum_figures(rls, [m.key for m in demo.MUNICIPALITIES])
        self._sum_figures(mrc, [m.key for m in demo.MUNICIPALITIES])
        for key, name, members, description in demo.COMMUNITIES:
            spec = {"name": name, "description": demo.COMMUNITY_INTRO + description, "members": members}
            community = self._ensure_territory(key, spec, "community", mrc)
            self._sum_figures(community, members)

    def _ensure_territory(self, key: str, spec: dict, kind: str, parent: Territory | None) -> Territory:
        territory = Territory.objects.filter(name=spec["name"], kind=kind, parent=parent).first()
        if territory is None:
            data = {"name": spec["name"], "kind": kind, "parent": parent, "code": spec.get("code", "")}
            data["description"] = spec.get("description", "")
            if "members" in spec:
                data["grouped_municipalities"] = [self.territories[k] for k in spec["members"]]
            territory = actions.create_territory(self.admin, data)
            self.created += 1
        for year, (population, over_65) in spec.get("figures", {}).items():
            actions.set_population(territory, year, population, over_65)
        self.territories[key] = territory
        return territory

    def _sum_figures(self, territory: Territory, municipality_keys: list[str]) -> None:
        """Aggregate levels carry the sum of their municipalities, so the 65+ share reads the same everywhere."""
        by_key = {m.key: m for m in demo.MUNICIPALITIES}
        for year in demo.POPULATION_YEARS:
            population = sum(by_key[k].figures[year][0] for k in municipality_keys)
            over_65 = sum(by_key[k].figures[year][1] for k in municipality_keys)
            actions.set_population(territory, year, population, over_65)

    # Organisations and people ---------------------------------------------------------------

    def _ensure_organization(self, spec: demo.Org) -> Organization:
        rls = self.territories["rls"]
        org = Organization.objects.filter(name=spec.name, rls=rls).first()
        if org is None:
            org = actions.create_organization(self.admin, self._organization_data(spec, len(self.organizations)))
            self.created += 1
        if spec.archived and org.archived_at is None:
            actions.archive_organization(self.admin, org)
        return org

    def _organization_data(self, spec: demo.Org, index: int) -> dict:
        return {
            "name": spec.name,
            "sector": spec.sector,
            "is_aca": spec.aca,
            "neq": spec.neq,
            "mission": spec.mission,
            "founded_year": spec.founded,
            "rls": self.territories["rls"],
            "email": f"info@{spec.domain}",
            "phone": f"(819) 555-01{index:02d}",
            "address": spec.address,
            "postal_code": spec.postal_code,
            "website": f"https://{spec.domain}/",
            "is_public": spec.public,
            "territories": [self.territories[key] for key in spec.serves],
            "funding": [
                {"year": year, "source": source, "amount": Decimal(amount), "funder": funder}
                for source, funder, amounts in spec.funding
                for year, amount in zip(demo.FUNDING_YEARS, amounts, strict=True)
                if amount is not None
            ],
        }

    def _ensure_person(self, spec: demo.Person) -> Person:
        email = person_email(spec)
        person = Person.objects.filter(email=email).first()
        if person is not None:
            return person
        data = {
            "first_name": spec.first_name,
            "last_name": spec.last_name,
            "email": email,
            "position": spec.position,
            "decision_level": spec.decision_level,
            "affiliations": [
                {
                    "organization": self.organizations[org_key],
                    "title": title,
                    "start_date": datetime.date.fromisoformat(start),
                    "end_date": datetime.date.fromisoformat(end) if end else None,
                }
                for org_key, title, start, end in spec.affiliations
            ],
        }
        self.created += 1
        return actions.create_person(self.admin, data)
