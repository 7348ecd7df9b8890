"""The four shipped instruments, installed by the data migration: their structure, their two languages, their
wording rules, and the installer that can run again without duplicating anything."""

import re
from decimal import Decimal

import pytest

from evaluation.actions.instruments import check_options, copy_instrument
from evaluation.models import Instrument, Item, Scale, Section
from evaluation.shipped import SHIPPED, install_shipped

pytestmark = pytest.mark.django_db

CODES = [
    "conditions-concertation", "action-partenariat", "facteurs-collaboration", "avantages-inconvenients", "relations"
]  # fmt: skip


def shipped(code: str) -> Instrument:
    return Instrument.objects.get(code=code, rls__isnull=True)


def items_of(code: str) -> list[Item]:
    return list(Item.objects.filter(section__instrument__code=code).select_related("section"))


def french_texts() -> list[str]:
    texts = []
    for instrument in Instrument.objects.filter(code__in=CODES):
        texts += [instrument.title_fr, instrument.description_fr]
    texts += list(Section.objects.filter(instrument__code__in=CODES).values_list("title_fr", flat=True))
    for item in Item.objects.filter(section__instrument__code__in=CODES):
        texts += [item.text_fr, *(option["fr"] for option in item.options)]
    return texts


def test_the_migration_installs_five_shipped_instruments_with_their_scoring():
    instruments = {i.code: i for i in Instrument.objects.filter(rls__isnull=True)}
    assert sorted(instruments) == sorted(CODES)
    assert {code: i.scoring for code, i in instruments.items()} == {
        "conditions-concertation": "mean",
        "action-partenariat": "abc",
        "facteurs-collaboration": "mean",
        "avantages-inconvenients": "checklist",
        "relations": "mean",
    }
    assert [code for code, i in instruments.items() if i.self_evaluation] == ["action-partenariat"]
    assert all(i.is_shipped for i in instruments.values())


def test_bilodeau_six_conditions_hold_eighteen_abc_items_as_in_the_tool():
    sections = shipped("action-partenariat").sections.order_by("position")
    assert [s.items.count() for s in sections] == [2, 1, 1, 4, 4, 6]
    items = items_of("action-partenariat")
    assert len(items) == 18
    assert {item.scale for item in items} == {Scale.ABC}


def test_every_abc_item_has_a_b_c_statements_in_both_languages_that_the_editor_accepts():
    abc_items = Item.objects.filter(section__instrument__code__in=CODES, scale=Scale.ABC)
    assert abc_items.count() == 18
    for item in abc_items:
        assert [o["value"] for o in item.options] == ["A", "B", "C"], item.code
        assert all(o["fr"].strip() and o["en"].strip() for o in item.options), item.code
        assert len({o["fr"] for o in item.options}) == 3, item.code
        check_options(item)  # a coordinator's copy must stay editable through the same rule


def test_wilder_six_categories_with_one_or_two_items_per_factor():
    instrument = shipped("facteurs-collaboration")
    titles = list(instrument.sections.order_by("position").values_list("title_en", flat=True))
    assert titles == [
        "Environment", "Membership characteristics", "Process and structure", "Communication", "Purpose", "Resources",
    ]  # fmt: skip
    assert 20 <= len(items_of("facteurs-collaboration")) <= 30
    assert {item.scale for item in items_of("facteurs-collaboration")} == {Scale.LIKERT}
    assert (instrument.strength_min, instrument.concern_below) == (Decimal("4.0"), Decimal("3.0"))
    assert "Mattessich" in instrument.source
    assert "not been verified" in instrument.source


def test_conditions_cite_their_authors_and_ask_about_influence_and_gains():
    instrument = shipped("conditions-concertation")
    sources = " ".join(instrument.sections.values_list("source", flat=True))
    for author in ["Bourque", "Saint-Jacques", "Antil, Drouin"]:
        assert author in sources
    assert all(instrument.sections.values_list("source", flat=True))
    items = {item.code: item for item in items_of("conditions-concertation")}
    assert {item.scale for item in items.values()} == {Scale.LIKERT}
    heard, gains = items["entendu-influence"], items["gains"]
    assert "influencer" in heard.text_fr and "influence" in heard.text_en
    assert "heard" in heard.text_en
    assert "avantages" in gains.text_fr and "gains" in gains.text_en


def test_bilodeau_source_says_the_wording_is_ours_and_it_is_for_self_evaluation_only():
    source = shipped("action-partenariat").source
    assert "Bilodeau" in source and "2008" in source and "2014" in source
    assert "not the tool’s" in source
    assert "self-evaluation, not for accountability" in source


def test_checklist_benefits_and_drawbacks_carry_their_polarity_and_a_five_point_balance():
    items = items_of("avantages-inconvenients")
    by_section: dict[str, list[Item]] = {}
    for item in items:
        by_section.setdefault(item.section.code, []).append(item)
    assert {(i.scale, i.polarity) for i in by_section["avantages"]} == {(Scale.YES_NO, Item.Polarity.BENEFIT)}
    assert {(i.scale, i.polarity) for i in by_section["inconvenients"]} == {(Scale.YES_NO, Item.Polarity.DRAWBACK)}
    assert len(by_section["avantages"]) >= 6 and len(by_section["inconvenients"]) >= 6
    assert {"temps", "sursollicitation", "autonomie", "attentes", "conflits", "reconnaissance"} <= {
        i.code for i in by_section["inconvenients"]
    }
    (balance,) = by_section["bilan"]
    assert (balance.scale, balance.polarity) == (Scale.CHOICE, "")
    assert balance.values() == ["1", "2", "3", "4", "5"]
    assert "outweigh benefits" in balance.options[0]["en"] and "outweigh drawbacks" in balance.options[-1]["en"]
    assert all(o["fr"].strip() and o["en"].strip() for o in balance.options)
    check_options(balance)


def test_every_instrument_section_and_item_is_in_french_and_english():
    for instrument in Instrument.objects.filter(code__in=CODES):
        assert instrument.title_en and instrument.description_fr and instrument.description_en, instrument.code
        assert "our wording" in instrument.source, instrument.code
    for section in Section.objects.filter(instrument__code__in=CODES):
        assert section.title_fr.strip() and section.title_en.strip(), section.code
    for item in Item.objects.filter(section__instrument__code__in=CODES):
        assert item.text_fr.strip() and item.text_en.strip(), item.code


def test_french_wording_follows_the_house_typography():
    texts = french_texts()
    assert texts
    assert not [t for t in texts if "·" in t]  # epicene by wording or doublets, never the point médian
    assert not [t for t in texts if "'" in t]  # typographic apostrophe
    assert not [t for t in texts if re.search(r"[^\u00a0\u202f][:;?!»]|«[^\u00a0\u202f]", t)]
    assert not [s for s in Instrument.objects.filter(code__in=CODES).values_list("source", flat=True) if "·" in s]


def test_install_is_idempotent_and_restores_the_shipped_wording():
    counts = (Instrument.objects.count(), Section.objects.count(), Item.objects.count())
    item = Item.objects.get(section__instrument__code="conditions-concertation", code="gains")
    Item.objects.filter(pk=item.pk).update(text_fr="Texte modifié")
    install_shipped(Instrument, Section, Item)
    install_shipped(Instrument, Section, Item)
    assert (Instrument.objects.count(), Section.objects.count(), Item.objects.count()) == counts
    restored = Item.objects.get(pk=item.pk)  # same row: answers given to it keep their question
    assert restored.text_fr == item.text_fr


def test_install_removes_an_unanswered_item_dropped_from_the_data():
    section = Section.objects.get(instrument__code="facteurs-collaboration", code="but")
    Item.objects.create(section=section, code="ancien", text_fr="Ancienne question", scale=Scale.LIKERT)
    install_shipped(Instrument, Section, Item)
    assert not section.items.filter(code="ancien").exists()
    assert section.items.count() == len(next(s for d in SHIPPED for s in d["sections"] if s["code"] == "but")["items"])


def test_a_coordinator_copies_a_shipped_instrument_with_all_its_items(world):
    source = shipped("action-partenariat")
    copy = copy_instrument(world.coordinator, source, world.rls)
    assert copy.rls == world.rls and copy.self_evaluation and copy.scoring == "abc"
    assert Item.objects.filter(section__instrument=copy).count() == 18
    assert Item.objects.filter(section__instrument=source).count() == 18
