"""Instrument pages: the shipped ones and the RLS's own, copy, edit the copy and its items."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.pages import button, form_page, history_page
from evaluation import rules
from evaluation.actions import instruments as actions
from evaluation.forms import CopyInstrumentForm, InstrumentForm, ItemForm, SectionForm
from evaluation.models import Item
from evaluation.views.common import get_instrument


@login_required
@require_safe
def instrument_list(request: HttpRequest) -> HttpResponse:
    instruments = rules.instruments_for(request.user).select_related("rls").order_by("rls_id", "title_fr")
    return render(request, "evaluation/instrument_list.html", {
        "shipped": [i for i in instruments if i.is_shipped],
        "own": [i for i in instruments if not i.is_shipped],
        "can_copy": request.user.has_perm("evaluation.add_instrument"),
    })  # fmt: skip


@login_required
@require_safe
def instrument_detail(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_instrument(request, pk)
    sections = instrument.sections.prefetch_related("items")
    return render(request, "evaluation/instrument_detail.html", {
        "instrument": instrument,
        "sections": sections,
        "can_edit": request.user.has_perm("evaluation.change_instrument", instrument),
        "can_copy": request.user.has_perm("evaluation.add_instrument"),
        "answered": instrument.campaigns.filter(responses__isnull=False).exists(),
    })  # fmt: skip


@login_required
def instrument_copy(request: HttpRequest, pk: int) -> HttpResponse:
    source = get_instrument(request, pk)
    if not request.user.has_perm("evaluation.add_instrument"):
        raise PermissionDenied(_("Only network coordinators copy an instrument for their RLS."))
    form = CopyInstrumentForm(request.POST or None, user=request.user)
    return form_page(
        request, form, title=_("Copy “%(title)s”") % {"title": source.title}, back=source, to_result=True,
        save=lambda data: actions.copy_instrument(request.user, source, data["rls"], data["title_fr"]),
        success=_("Copy created: you can now adapt it."),
    )  # fmt: skip


@login_required
def instrument_edit(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_instrument(request, pk, edit=True)
    form = InstrumentForm(request.POST or None, instance=instrument)
    return form_page(
        request, form, title=_("Edit “%(title)s”") % {"title": instrument.title}, back=instrument,
        save=lambda data: actions.update_instrument(request.user, instrument, data), success=_("Changes saved."),
    )  # fmt: skip


@login_required
def section_add(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_instrument(request, pk, edit=True)
    form = SectionForm(request.POST or None)
    return form_page(
        request, form, title=_("Add a section to “%(title)s”") % {"title": instrument.title}, back=instrument,
        save=lambda data: actions.add_section(request.user, instrument, data), success=_("Section added."),
    )  # fmt: skip


@login_required
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_instrument(request, pk, edit=True)
    form = ItemForm(request.POST or None, instrument=instrument)
    return form_page(
        request, form, title=_("Add a question to “%(title)s”") % {"title": instrument.title}, back=instrument,
        save=lambda data: actions.add_item(request.user, data["section"], form.to_data()),
        success=_("Question added."),
    )  # fmt: skip


def _item(request: HttpRequest, pk: int) -> Item:
    item = get_object_or_404(
        Item.objects.filter(section__instrument__in=rules.instruments_for(request.user)).select_related(
            "section__instrument"
        ),
        pk=pk,
    )
    get_instrument(request, item.section.instrument_id, edit=True)
    return item


@login_required
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    instrument = item.section.instrument
    form = ItemForm(request.POST or None, instance=item, instrument=instrument)
    return form_page(
        request, form, title=_("Edit a question of “%(title)s”") % {"title": instrument.title}, back=instrument,
        save=lambda data: actions.update_item(request.user, item, form.to_data()), success=_("Changes saved."),
    )  # fmt: skip


@login_required
@require_POST
def item_delete(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    instrument = item.section.instrument
    button(request, lambda: actions.delete_item(request.user, item), _("Question removed."))
    return redirect(instrument)


@login_required
@require_safe
def instrument_history(request: HttpRequest, pk: int) -> HttpResponse:
    instrument = get_instrument(request, pk)
    return history_page(request, instrument, instrument.get_absolute_url())
