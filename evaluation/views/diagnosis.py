"""The diagnosis pages of an instance and of an RLS, for a reader who is not a specialist: a plain summary, one card
per dimension (the placement, how sure it is, the figures behind it, the rule, what to record when the data is not
enough, and the members' notes beside it), the participation curve with its context events and exits, the
suggestions and the indicators. Writing and deleting a note go through evaluation.actions.notes, like the API.

The reads shared with the API (api.diagnosis) are here too: the diagnosis as the user may see it, the notes by
dimension (one query), and annotating with the placement the diagnosis shows."""

from collections import defaultdict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concertation.models import Instance
from concertation.models.instances import BourqueObject
from concertation.rules import instances_for
from concertation.views.analytics import participation as instance_participation
from core.pages import form_page
from evaluation import bilan, rules
from evaluation.actions import notes as actions
from evaluation.cache import data_stamp, kept
from evaluation.diagnosis import (
    HIGH,
    INSUFFICIENT_EVIDENCE,
    LOW,
    MEDIUM,
    NONE_DETECTED,
    Diagnosis,
    Placement,
    diagnose_instance,
    diagnose_rls,
)
from evaluation.diagnosis.rules import DIMENSIONS, placement_label
from evaluation.diagnosis.specs import CODE, PER_YEAR, SCORE, format_value
from evaluation.forms import DiagnosisYearForm, NoteForm
from evaluation.models import PlacementNote
from evaluation.models.notes import NOTE_MAX_LENGTH
from registry.models import Territory

CONFIDENCE = {
    LOW: gettext_lazy("low confidence"),
    MEDIUM: gettext_lazy("medium confidence"),
    HIGH: gettext_lazy("high confidence"),
}
# What each level means for the rule-based dimensions (Bourque's type says its own reason).
CONFIDENCE_MEANS = {
    LOW: gettext_lazy("Few signals hold, or some point to another placement as well."),
    MEDIUM: gettext_lazy("Two signals or more hold, more than for any other placement."),
    HIGH: gettext_lazy("Three signals or more hold, and none points to another placement."),
}
CODE_LABELS = {"instance_kind": Instance.Kind, "instance_level": Instance.Level, "instance_object": BourqueObject}
STANCE_BADGE = {"agree": "", "contest": "warn", "comment": ""}


# Reads shared with the API ----------------------------------------------------------------------------------


def get_diagnosed_instance(request: HttpRequest, pk: int) -> Instance:
    """An instance whose diagnosis the user reads: whoever reads the instance (404 otherwise)."""
    return get_object_or_404(instances_for(request.user).select_related("rls"), pk=pk)


def get_diagnosed_rls(request: HttpRequest, pk: int) -> Territory:
    return get_object_or_404(rules.diagnosis_rls_for(request.user), pk=pk)


def diagnosis_for(user, *, instance: Instance | None = None, rls: Territory | None = None, year=None) -> Diagnosis:
    """The diagnosis as the user may see it: unreleased survey campaigns count only for those who see them."""
    if instance is not None:
        return diagnose_instance(instance, year, include_unreleased=rules.sees_unreleased_instance(user, instance))
    return diagnose_rls(rls, year, include_unreleased=rules.sees_unreleased_rls(user, rls))


def may_annotate(user, *, instance: Instance | None = None, rls: Territory | None = None) -> bool:
    if instance is not None:
        return user.has_perm("evaluation.annotate_instance_diagnosis", instance)
    return user.has_perm("evaluation.annotate_rls_diagnosis", rls)


def notes_by_dimension(
    user, *, instance: Instance | None = None, rls: Territory | None = None
) -> dict[str, list[PlacementNote]]:
    """Every note of the diagnosis in one query, newest first, each saying whether the user may delete it."""
    notes = PlacementNote.objects.select_related("author", "author_organization")
    notes = notes.filter(instance=instance) if instance is not None else notes.filter(instance__isnull=True, rls=rls)
    if instance is not None:
        coordinator = user.has_perm("concertation.change_instance", instance)
    else:
        coordinator = rules.coordinates_rls(user, rls)
    found: dict[str, list[PlacementNote]] = defaultdict(list)
    for note in notes:
        note.can_delete = coordinator or note.author_id == user.pk
        note.placement_label = " / ".join(placement_label(note.dimension, code) for code in note.placements)
        found[note.dimension].append(note)
    return found


def current_placement(diagnosis: Diagnosis, dimension: str) -> str:
    """The dimension's placements as a note records them."""
    return ",".join(p.placement for p in diagnosis.placements_of(dimension))


def annotate(user, data: dict, *, instance: Instance | None = None, rls: Territory | None = None) -> PlacementNote:
    """A note on the placement the diagnosis shows now (of `data["year"]`, or of the whole period)."""
    kind = "instance" if instance is not None else "rls"
    placement = ""
    if data.get("dimension") in actions.dimensions_of(kind) and actions.year_refusal(data.get("year")) is None:
        diagnosis = diagnosis_for(user, instance=instance, rls=rls, year=data.get("year"))
        placement = current_placement(diagnosis, data["dimension"])
    return actions.annotate_placement(
        user, instance=instance, rls=rls, dimension=data.get("dimension", ""), placement=placement,
        stance=data.get("stance", ""), text=data.get("text", ""), year=data.get("year"),
    )  # fmt: skip


# How a value reads ----------------------------------------------------------------------------------------


def show_value(code: str, value: Any, unit: str) -> str:
    if value is None:
        return _("no data")
    if code == "bourque_type":
        return placement_label(code, value)
    if unit == CODE:
        choices = CODE_LABELS.get(code)
        return str(choices(value).label) if choices and value in choices.values else str(value)
    text = format_value(value, unit)
    if unit == PER_YEAR:
        return _("%(value)s a year") % {"value": text}
    if unit == SCORE:
        return _("%(value)s out of 5") % {"value": text}
    return text


def evidence_rows(diagnosis: Diagnosis, placement: Placement) -> list[dict[str, str]]:
    rows = []
    for evidence in placement.evidence:
        indicator = diagnosis.indicator(evidence.indicator)
        unit = indicator.unit if indicator else ""
        label = indicator.label if indicator else evidence.indicator
        rows.append({"label": label, "value": show_value(evidence.indicator, evidence.value, unit),
                     "source": evidence.source, "missing": evidence.value is None})  # fmt: skip
    return rows


def placement_view(diagnosis: Diagnosis, placement: Placement) -> dict[str, Any]:
    ruled = placement.dimension != "bourque_type"
    rows = evidence_rows(diagnosis, placement)
    # Insufficient evidence: what to record is what has no value, or else the gate that stayed closed.
    to_record = [row for row in rows if row["missing"]] or rows
    return {
        "code": placement.placement,
        "label": placement.label,
        "insufficient": placement.placement == INSUFFICIENT_EVIDENCE,
        "none": placement.placement == NONE_DETECTED,
        "confidence": str(CONFIDENCE.get(placement.confidence, placement.confidence)),
        "confidence_means": str(CONFIDENCE_MEANS[placement.confidence]) if ruled else "",
        "rule": placement.rule.rstrip("."),
        "evidence": rows,
        "to_record": to_record,
        "recorded": [row for row in rows if row not in to_record],
    }


def cards(diagnosis: Diagnosis, notes: dict, annotate: bool) -> list[dict[str, Any]]:
    """One card per dimension the diagnosis reads, in the rules table's order."""
    result = []
    for code, dimension in DIMENSIONS.items():
        placements = diagnosis.placements_of(code)
        if not placements:
            continue
        result.append({
            "code": code, "label": str(dimension.label), "source": str(dimension.source),
            "placements": [placement_view(diagnosis, p) for p in placements],
            "notes": notes.get(code, []), "form": annotate,
        })  # fmt: skip
    return result


def plain_summary(diagnosis: Diagnosis, name: str) -> str:
    """One paragraph a member can read aloud at the assembly."""
    period = diagnosis.period
    years = str(period[0]) if len(period) == 1 else f"{period[0]}–{period[-1]}"
    parts = [_("This diagnosis reads what Maillage holds on %(name)s for %(years)s.") % {"name": name, "years": years}]
    placed = [p for p in diagnosis.placements if p.placement not in (INSUFFICIENT_EVIDENCE, NONE_DETECTED)]
    if placed:
        readings = "; ".join(
            _("%(dimension)s: %(placement)s (%(confidence)s)")
            % {"dimension": p.dimension_label, "placement": p.label, "confidence": CONFIDENCE[p.confidence]}
            for p in placed
        )
        parts.append(_("It reads: %(readings)s.") % {"readings": readings})
    else:
        parts.append(_("It cannot place anything yet."))
    lacking = len({p.dimension for p in diagnosis.placements if p.placement == INSUFFICIENT_EVIDENCE})
    if lacking:
        parts.append(
            ngettext(
                "For %(count)s dimension the data is not enough yet: its card says what to record.",
                "For %(count)s dimensions the data is not enough yet: their cards say what to record.",
                lacking,
            )
            % {"count": lacking}
        )
    parts.append(_("Each placement shows the figures and the rule behind it; members may agree, contest or comment."))
    return " ".join(parts)


# Pages -------------------------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> tuple[int | None, str | None]:
    """The `?year=` asked for, or why it cannot be read."""
    form = DiagnosisYearForm(request.GET)
    if form.is_valid():
        return form.cleaned_data["year"], None
    return None, " ".join(form.errors["year"])


def _bad_year(request: HttpRequest, message: str, back: str, title: str) -> HttpResponse:
    context = {"message": message, "back": back, "title": title}
    return render(request, "evaluation/diagnosis_bad_year.html", context, status=400)


def _page(request: HttpRequest, *, instance: Instance | None, rls: Territory, curve: dict, year: int | None) -> dict:
    user = request.user
    diagnosis = diagnosis_for(user, instance=instance, rls=rls, year=year)
    kind = "instance" if instance is not None else "rls"
    may_write = may_annotate(user, instance=instance, rls=rls)
    notes = notes_by_dimension(user, instance=instance, rls=rls)
    years = sorted({row["year"] for row in curve["series"]} | set(diagnosis.period))
    unreleased = rules.sees_unreleased_instance(user, instance) if instance else rules.sees_unreleased_rls(user, rls)
    # The parts every reader of this diagnosis sees alike are rendered once until anything is written.
    subject = instance.pk if instance is not None else rls.pk
    fragment = f"{kind}:{subject}:{year}:{int(unreleased)}:{get_language()}:{data_stamp()}"
    return {
        "fragment": fragment, "kind": kind, "diagnosis": diagnosis, "year": year, "years": years, "curve": curve,
        "summary": plain_summary(diagnosis, instance.name if instance else rls.name),
        "cards": cards(diagnosis, notes, may_write),
        # Each card's note form is written out in the template (nine rendered forms doubled the page's time).
        "stances": PlacementNote.Stance.choices, "note_max": NOTE_MAX_LENGTH, "unreleased": unreleased,
        "indicators": [
            {"label": i.label, "value": show_value(i.code, i.value, i.unit), "source": i.source}
            for i in diagnosis.indicators
        ],
    }  # fmt: skip


@login_required
@require_safe
def instance_diagnosis(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_diagnosed_instance(request, pk)
    page = reverse("evaluation:instance_diagnosis", args=[instance.pk])
    year, refusal = _year(request)
    if refusal:
        return _bad_year(request, refusal, page, _("Diagnosis of %(name)s") % {"name": instance.name})
    context = _page(
        request,
        instance=instance,
        rls=instance.rls,
        curve=kept(f"curve:{instance.pk}", lambda: instance_participation(instance)),
        year=year,
    )
    context.update({"subject": instance, "page_url": page,
                    "note_url": reverse("evaluation:instance_diagnosis_note", args=[instance.pk])})  # fmt: skip
    return render(request, "evaluation/diagnosis.html", context)


@login_required
@require_safe
def rls_diagnosis(request: HttpRequest, pk: int) -> HttpResponse:
    rls = get_diagnosed_rls(request, pk)
    page = reverse("evaluation:rls_diagnosis", args=[rls.pk])
    year, refusal = _year(request)
    if refusal:
        return _bad_year(request, refusal, page, _("Diagnosis of %(name)s") % {"name": rls.name})
    curve = bilan.participation(Instance.objects.filter(rls=rls), rls, None, timezone.localdate())
    context = _page(request, instance=None, rls=rls, curve=curve, year=year)
    context.update({"subject": rls, "page_url": page,
                    "note_url": reverse("evaluation:rls_diagnosis_note", args=[rls.pk])})  # fmt: skip
    return render(request, "evaluation/diagnosis.html", context)


def _note_page(request: HttpRequest, *, instance: Instance | None, rls: Territory, page: str, name: str):
    if not may_annotate(request.user, instance=instance, rls=rls):
        raise PermissionDenied(_("Only the coordinators and the members annotate this diagnosis."))
    kind = "instance" if instance is not None else "rls"
    initial = {"dimension": request.GET.get("dimension", "")}
    form = NoteForm(request.POST or None, kind=kind, initial=initial)
    year = request.POST.get("year", "") if request.method == "POST" else ""
    back = f"{page}?year={year}" if year.isdigit() else page
    dimension = request.POST.get("dimension", "")
    return form_page(
        request, form, title=_("A note on the diagnosis of %(name)s") % {"name": name}, back=None, cancel_url=page,
        next_url=f"{back}#dimension-{dimension}" if dimension in DIMENSIONS else back,
        save=lambda data: annotate(request.user, data, instance=instance, rls=None if instance else rls),
        success=_("Your note is beside the placement."),
    )  # fmt: skip


@login_required
def instance_diagnosis_note(request: HttpRequest, pk: int) -> HttpResponse:
    instance = get_diagnosed_instance(request, pk)
    page = reverse("evaluation:instance_diagnosis", args=[instance.pk])
    return _note_page(request, instance=instance, rls=instance.rls, page=page, name=instance.name)


@login_required
def rls_diagnosis_note(request: HttpRequest, pk: int) -> HttpResponse:
    rls = get_diagnosed_rls(request, pk)
    page = reverse("evaluation:rls_diagnosis", args=[rls.pk])
    return _note_page(request, instance=None, rls=rls, page=page, name=rls.name)


@login_required
@require_POST
def diagnosis_note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = get_object_or_404(rules.placement_notes_for(request.user).select_related("instance", "rls"), pk=pk)
    back = note.get_absolute_url()
    actions.delete_note(request.user, note)
    messages.success(request, _("Note deleted."))
    return redirect(back)
