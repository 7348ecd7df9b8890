"""Instruments: a coordinator copies a shipped one (or their own) into their RLS and edits the copy. Items of an
instrument that already has answers are not edited: the answers would change meaning."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import audit, guard
from core.errors import Conflict
from core.models import AuditEvent
from evaluation import rules as scope
from evaluation.models import Answer, Instrument, Item, Scale, Section
from registry.models import Territory

INSTRUMENT_FIELDS = ["title_fr", "title_en", "description_fr", "description_en", "strength_min", "concern_below"]
ITEM_FIELDS = ["text_fr", "text_en", "scale", "options", "polarity", "required", "position"]


@transaction.atomic
def copy_instrument(acting_user, source: Instrument, rls: Territory, title_fr: str = "") -> Instrument:
    guard.require(acting_user, "evaluation.add_instrument")
    guard.within(scope.instruments_for(acting_user), source, "instrument")
    guard.within(scope.evaluation_rls_for(acting_user), rls, "rls")
    copy = Instrument.objects.get(pk=source.pk)
    copy.pk = None
    copy.code = _free_code(f"{source.code}-{rls.pk}")
    copy.rls, copy.copied_from, copy.created_by = rls, source, acting_user
    copy.title_fr = title_fr.strip() or _("%(title)s (copy)") % {"title": source.title_fr}
    copy.full_clean()
    copy.save()
    for section in source.sections.prefetch_related("items"):
        items = list(section.items.all())
        section.pk, section.instrument = None, copy
        section.save()
        for item in items:
            item.pk, item.section = None, section
        Item.objects.bulk_create(items)
    audit.record(acting_user, AuditEvent.Action.CREATE, copy, {"copied_from": [None, str(source)]})
    return copy


def _free_code(base: str) -> str:
    code, n = base[:55], 1
    while Instrument.objects.filter(code=code).exists():
        n += 1
        code = f"{base[:50]}-{n}"
    return code


def _editable(acting_user, instrument: Instrument) -> None:
    guard.require(acting_user, "evaluation.change_instrument", instrument)


def check_thresholds(strength_min: Any, concern_below: Any) -> None:
    errors = {}
    values = {}
    for field, value in (("strength_min", strength_min), ("concern_below", concern_below)):
        try:
            values[field] = Decimal(str(value))
        except (InvalidOperation, ValueError):
            errors[field] = _("Enter a number between 1 and 5.")
            continue
        if not Decimal("1") <= values[field] <= Decimal("5"):
            errors[field] = _("Enter a number between 1 and 5.")
    if not errors and values["concern_below"] > values["strength_min"]:
        errors["concern_below"] = _("The concern threshold cannot be above the strength threshold.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def update_instrument(acting_user, instrument: Instrument, data: dict[str, Any]) -> Instrument:
    _editable(acting_user, instrument)
    before = audit.snapshot(instrument, INSTRUMENT_FIELDS)
    for name in INSTRUMENT_FIELDS:
        if name in data:
            setattr(instrument, name, data[name])
    check_thresholds(instrument.strength_min, instrument.concern_below)
    instrument.full_clean()
    instrument.save()
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, instrument,
        audit.diff(before, audit.snapshot(instrument, INSTRUMENT_FIELDS)),
    )  # fmt: skip
    return instrument


def _unanswered(instrument: Instrument) -> None:
    if Answer.objects.filter(item__section__instrument=instrument).exists():
        raise Conflict(_("This instrument already has answers: copy it to change its items."))


def check_options(item: Item) -> None:
    """Choice items need at least two options with distinct values; A/B/C items one statement per letter."""
    if item.scale not in (Scale.CHOICE, Scale.ABC):
        item.options = []
        return
    options = item.options if isinstance(item.options, list) else []
    values = [str(o.get("value", "")).strip() for o in options if isinstance(o, dict)]
    if len(values) != len(options) or "" in values or len(set(values)) != len(values):
        raise ValidationError({"options": _("Give each option a value and a French label, once each.")})
    if any(not str(o.get("fr", "")).strip() for o in options):
        raise ValidationError({"options": _("Give each option a value and a French label, once each.")})
    if item.scale == Scale.ABC and values != ["A", "B", "C"]:
        raise ValidationError({"options": _("An A / B / C item has three statements: A, then B, then C.")})
    if item.scale == Scale.CHOICE and len(values) < 2:
        raise ValidationError({"options": _("A choice item needs at least two options.")})


@transaction.atomic
def add_section(acting_user, instrument: Instrument, data: dict[str, Any]) -> Section:
    """A new section (a condition or factor) at the end of the instrument, to put questions in."""
    _editable(acting_user, instrument)
    _unanswered(instrument)
    title_fr = str(data.get("title_fr") or "").strip()
    if not title_fr:
        raise ValidationError({"title_fr": _("Give the section a French title.")})
    last = instrument.sections.order_by("-position").values_list("position", flat=True).first()
    section = Section(
        instrument=instrument, title_fr=title_fr, title_en=str(data.get("title_en") or "").strip(),
        source=str(data.get("source") or "").strip(), position=(last or 0) + 1,
        code=_free_section_code(instrument, title_fr),
    )  # fmt: skip
    section.full_clean()
    section.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, instrument, {"section": [None, section.title_fr]})
    return section


def _free_section_code(instrument: Instrument, title: str) -> str:
    base = slugify(title)[:50] or "section"
    taken = set(instrument.sections.values_list("code", flat=True))
    code, n = base, 1
    while code in taken:
        n += 1
        code = f"{base}-{n}"
    return code


@transaction.atomic
def add_item(acting_user, section: Section, data: dict[str, Any]) -> Item:
    _editable(acting_user, section.instrument)
    _unanswered(section.instrument)
    item = Item(section=section, code=_free_item_code(section))
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    check_options(item)
    item.full_clean()
    item.save()
    audit.record(acting_user, AuditEvent.Action.UPDATE, section.instrument, {"item": [None, item.text_fr]})
    return item


def _free_item_code(section: Section) -> str:
    taken = set(section.items.values_list("code", flat=True))
    n = len(taken) + 1
    while f"{section.code}-{n}" in taken:
        n += 1
    return f"{section.code}-{n}"[:60]


@transaction.atomic
def update_item(acting_user, item: Item, data: dict[str, Any]) -> Item:
    instrument = item.section.instrument
    _editable(acting_user, instrument)
    _unanswered(instrument)
    before = audit.snapshot(item, ITEM_FIELDS)
    for name in ITEM_FIELDS:
        if name in data:
            setattr(item, name, data[name])
    check_options(item)
    item.full_clean()
    item.save()
    audit.record(
        acting_user, AuditEvent.Action.UPDATE, instrument, audit.diff(before, audit.snapshot(item, ITEM_FIELDS))
    )
    return item


@transaction.atomic
def delete_item(acting_user, item: Item) -> None:
    instrument = item.section.instrument
    _editable(acting_user, instrument)
    _unanswered(instrument)
    audit.record(acting_user, AuditEvent.Action.UPDATE, instrument, {"item": [item.text_fr, None]})
    item.delete()
