"""A partners' assembly of the world's RLS with eight member organisations (four community, three public, one
municipal), each represented by a person with an e-mail address, and a small instrument: two Likert items in
one section, one A/B/C item in another, and an open question."""

import datetime
from dataclasses import dataclass

import pytest

from concertation.models import Instance, Membership
from evaluation.models import Instrument, Item, Scale, Section
from registry.models import Organization
from tests.factories import AffiliationFactory, OrganizationFactory, PersonFactory

SECTORS = ["community"] * 4 + ["public"] * 3 + ["municipal"]
ABC = [{"value": v, "fr": f"Énoncé {v}", "en": f"Statement {v}"} for v in "ABC"]


@dataclass
class Assembly:
    instance: Instance
    members: list  # (organisation, person) in SECTORS order


@pytest.fixture
def assembly(world) -> Assembly:
    instance = Instance.objects.create(
        name="Assemblée des partenaires du Val", kind=Instance.Kind.ASSEMBLY, basis=Instance.Basis.TERRITORIAL,
        level="local", rls=world.rls, territory=world.rls,
    )  # fmt: skip
    members = []
    for n, sector in enumerate(SECTORS):
        organization = OrganizationFactory(name=f"Membre {n}", sector=sector, rls=world.rls)
        person = PersonFactory()
        AffiliationFactory(person=person, organization=organization)
        Membership.objects.create(
            instance=instance, organization=organization, person=person, start_date=datetime.date(2020, 1, 1)
        )
        members.append((organization, person))
    return Assembly(instance, members)


@pytest.fixture
def instrument(world) -> Instrument:
    instrument = Instrument.objects.create(code="essai", title_fr="Essai", title_en="Trial", rls=world.rls)
    climate = Section.objects.create(instrument=instrument, code="climat", title_fr="Climat", title_en="Climate")
    Item.objects.create(section=climate, code="ecoute", text_fr="Je me sens écoutée ou écouté", text_en="I feel heard",
                        scale=Scale.LIKERT, required=True, position=1)  # fmt: skip
    Item.objects.create(section=climate, code="gain", text_fr="Mon organisme y gagne", text_en="We gain",
                        scale=Scale.LIKERT, position=2)  # fmt: skip
    power = Section.objects.create(instrument=instrument, code="pouvoir", title_fr="Pouvoir", position=2)
    Item.objects.create(section=power, code="egalite", text_fr="Rapports de pouvoir", scale=Scale.ABC, options=ABC)
    Item.objects.create(section=power, code="commentaire", text_fr="Commentaire", scale=Scale.TEXT, position=3)
    return instrument


def items(instrument: Instrument) -> dict[str, Item]:
    return {item.code: item for item in Item.objects.filter(section__instrument=instrument)}


__all__ = ["ABC", "SECTORS", "Assembly", "Organization", "items"]
