"""Forms of the evaluation pages. They shape input and offer the user's choices; the actions decide."""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concertation.models import Decision
from core.forms import DateInput
from evaluation import rules
from evaluation.actions.notes import dimensions_of, year_refusal
from evaluation.actions.responses import RATINGS, field_name
from evaluation.diagnosis.rules import DIMENSIONS
from evaluation.models import Campaign, GraphKind, Instrument, Item, PlacementNote, Scale, Section
from evaluation.models.network import FREQUENCY_LABELS, TRUST_LABELS, USEFULNESS_LABELS
from evaluation.models.notes import NOTE_MAX_LENGTH
from registry.models import Organization


class CopyInstrumentForm(forms.Form):
    rls = forms.ModelChoiceField(label=_("RLS"), queryset=None)
    title_fr = forms.CharField(label=_("Title of the copy (French)"), max_length=200, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rls"].queryset = rules.evaluation_rls_for(user).order_by("name")


class InstrumentForm(forms.ModelForm):
    class Meta:
        model = Instrument
        fields = ["title_fr", "title_en", "description_fr", "description_en", "strength_min", "concern_below"]
        widgets = {
            "description_fr": forms.Textarea(attrs={"rows": 3}),
            "description_en": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "strength_min": _("A section whose mean reaches this value reads as a strength (1 to 5)."),
            "concern_below": _("A section whose mean is below this value reads as a concern (1 to 5)."),
        }

    def _post_clean(self):
        pass  # the action checks the thresholds and says which one is wrong


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["title_fr", "title_en", "source"]
        help_texts = {"source": _("Where the condition or factor comes from, cited (optional).")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The action says what is missing, in the same words as the API.
        self.fields["title_fr"].required = False

    def _post_clean(self):
        pass


class ItemForm(forms.ModelForm):
    options_text = forms.CharField(
        label=_("Options"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For A / B / C and choice items, one option per line: value | French label | English label "
            "(for example: A | Énoncé fort | Strong statement)."
        ),
    )  # fmt: skip

    class Meta:
        model = Item
        fields = ["section", "text_fr", "text_en", "scale", "polarity", "required", "position"]
        widgets = {"text_fr": forms.Textarea(attrs={"rows": 2}), "text_en": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].queryset = Section.objects.filter(instrument=instrument)
        self.fields["position"].required = False
        if self.instance.pk:
            del self.fields["section"]
            lines = [
                " | ".join([str(o.get("value", "")), o.get("fr", ""), o.get("en", "")]) for o in self.instance.options
            ]
            self.initial["options_text"] = "\n".join(lines)

    def _post_clean(self):
        pass

    def to_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if not (k == "position" and v is None)}
        options = []
        for line in (data.pop("options_text") or "").splitlines():
            if line.strip():
                value, _sep, rest = line.partition("|")
                french, _sep, english = rest.partition("|")
                options.append({"value": value.strip(), "fr": french.strip(), "en": english.strip()})
        data["options"] = options
        return data


class CampaignForm(forms.ModelForm):
    class Meta:
        model = Campaign
        fields = ["title", "instrument", "instances", "mode", "privacy", "opens_on", "closes_on", "min_group_size"]
        widgets = {
            "opens_on": DateInput(),
            "closes_on": DateInput(),
            "instances": forms.CheckboxSelectMultiple,
            "mode": forms.RadioSelect,
            "privacy": forms.RadioSelect,
        }
        help_texts = {
            "instances": _("Each current member with an e-mail address receives a personal link."),
            "mode": _("A group answer is one consensual answer per question, recorded with the discussion notes."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instrument"].queryset = rules.instruments_for(user).order_by("rls_id", "title_fr")
        self.fields["instances"].queryset = rules.campaign_instances_for(user).order_by("name")
        if self.instance.pk:
            for name in ("instrument", "instances", "mode", "privacy"):
                del self.fields[name]
        else:
            today = timezone.localdate()
            self.initial.setdefault("opens_on", today)
            self.initial.setdefault("closes_on", today + timezone.timedelta(days=21))

    def _post_clean(self):
        pass


class ReleaseForm(forms.Form):
    decision = forms.ModelChoiceField(
        label=_("Decision of the members"), queryset=None,
        help_text=_("The decision, recorded in a meeting of the instance, that lets the results leave it."),
    )  # fmt: skip

    def __init__(self, *args, campaign: Campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].queryset = (
            Decision.objects.filter(meeting__instance__in=campaign.instances.all())
            .select_related("meeting")
            .order_by("-meeting__starts_at", "pk")
        )


def answer_field(item: Item) -> forms.Field:
    # The action says what is missing or outside the scale (the same words as the API): the field only shapes.
    label = f"{item.text} {_('(required)')}" if item.required else item.text
    if item.scale == Scale.TEXT:
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    return forms.CharField(label=label, required=False, widget=forms.RadioSelect(choices=item.labelled_values()))


RELATION_ROWS = 8
RATING_FIELDS = [
    ("frequency", _("How often"), FREQUENCY_LABELS),
    ("usefulness", _("How useful"), USEFULNESS_LABELS),
    ("trust", _("Trust"), TRUST_LABELS),
]


@dataclass
class RelationRow:
    """One row of a relations item on the page: the organisation named and its three ratings."""

    number: int
    organization: forms.BoundField
    ratings: list[forms.BoundField]

    @property
    def errors(self) -> list[str]:
        return self.organization.errors


@dataclass
class RelationsQuestion:
    item: Item
    rows: list[RelationRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    is_relations: bool = True  # what the template tells apart from a form field


def relation_row_name(item: Item, row: int, part: str) -> str:
    return f"{field_name(item)}-{row}-{part}"


class AnswerForm(forms.Form):
    """One field per item, grouped by section for the page; `with_notes` adds a discussion note per item (the
    group answer). A relations item is RELATION_ROWS rows of four selects (`item_<id>-<row>-organization`, …,
    offered `partners`); the blank rows are left out of the answer."""

    def __init__(self, *args, instrument: Instrument, with_notes: bool = False, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = []
        self.relations: dict[int, RelationsQuestion] = {}
        # Which row each entry of a relations answer came from, to show the action's refusal on its row.
        self.rows_sent: dict[int, list[int]] = {}
        partner_choices = [("", "—"), *((str(o.pk), o.name) for o in (partners or []))]
        for section in instrument.sections.prefetch_related("items"):
            names = []
            for item in section.items.all():
                if item.scale == Scale.RELATIONS:
                    if partners is not None:  # a group answers no relations question (the action says so)
                        self.relations[item.pk] = self._relation_rows(item, partner_choices)
                        names.append(item)
                    continue
                self.fields[field_name(item)] = answer_field(item)
                names.append(field_name(item))
                if with_notes:
                    note = f"note_{item.pk}"
                    self.fields[note] = forms.CharField(
                        label=_("Discussion note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
                    )
                    names.append(note)
            self.sections.append((section, names))
        if with_notes:
            self.fields["summary"] = forms.CharField(
                label=_("Summary of the discussion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
            )

    def _relation_rows(self, item: Item, partner_choices: list) -> RelationsQuestion:
        for row in range(1, RELATION_ROWS + 1):
            self.fields[relation_row_name(item, row, "organization")] = forms.CharField(
                label=_("Organisation %(number)d") % {"number": row}, required=False,
                widget=forms.Select(choices=partner_choices),
            )  # fmt: skip
            for part, label, labels in RATING_FIELDS:
                choices = [("", "—"), *((str(value), text) for value, text in labels)]
                self.fields[relation_row_name(item, row, part)] = forms.CharField(
                    label=label, required=False, widget=forms.Select(choices=choices)
                )
        return RelationsQuestion(item)

    @property
    def asks_relations(self) -> bool:
        return bool(self.relations)

    def grouped(self) -> list:
        found = []
        for section, names in self.sections:
            shown = []
            for name in names:
                if isinstance(name, Item):
                    shown.append(self._bound_relations(name))
                else:
                    shown.append(self[name])
            found.append((section, shown))
        return found

    def _bound_relations(self, item: Item) -> RelationsQuestion:
        question = self.relations[item.pk]
        question.rows = [
            RelationRow(
                row, self[relation_row_name(item, row, "organization")],
                [self[relation_row_name(item, row, part)] for part, _label, _labels in RATING_FIELDS],
            )
            for row in range(1, RELATION_ROWS + 1)
        ]  # fmt: skip
        return question

    def answers(self) -> dict:
        found = {k[5:]: v for k, v in self.cleaned_data.items() if k.startswith("item_") and k[5:].isdigit()}
        for pk, question in self.relations.items():
            entries, rows = [], []
            for row in range(1, RELATION_ROWS + 1):
                values = {
                    part: (self.cleaned_data.get(relation_row_name(question.item, row, part)) or "").strip()
                    for part in ("organization", *RATINGS)
                }
                if any(values.values()):
                    entries.append(values)
                    rows.append(row)
            found[str(pk)] = entries
            self.rows_sent[pk] = rows
        return found

    def notes(self) -> dict:
        return {k.removeprefix("note_"): v for k, v in self.cleaned_data.items() if k.startswith("note_")}

    def show_refusal(self, error: ValidationError) -> None:
        """The action's refusal beside what it names: a relations entry on its row, the relations question above
        its rows (and in the summary at the top), anything else as core.pages.show_errors does."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for key, messages in error.message_dict.items():
            name, _dot, position = key.partition(".")
            pk = int(name[5:]) if name.startswith("item_") and name[5:].isdigit() else None
            question = self.relations.get(pk) if pk is not None else None
            if question is not None and position.isdigit() and int(position) < len(self.rows_sent.get(pk, [])):
                row = self.rows_sent[pk][int(position)]
                self.add_error(relation_row_name(question.item, row, "organization"), messages)
            elif question is not None:
                question.errors += messages
                self.add_error(None, messages)
            else:
                self.add_error(key if key in self.fields else None, messages)


# The diagnosis ---------------------------------------------------------------------------------------------


class DiagnosisYearForm(forms.Form):
    """`?year=` of a diagnosis page and of its API twin: a calendar year, or nothing for the whole period."""

    year = forms.IntegerField(label=_("Year"), required=False)

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        refusal = year_refusal(year)
        if refusal:
            raise forms.ValidationError(refusal)
        return year


class NoteForm(DiagnosisYearForm):
    """A note beside one dimension of a diagnosis (`kind`: "instance" or "rls"). On the diagnosis page each card
    carries its own, the dimension and the year hidden (`in_card`)."""

    dimension = forms.ChoiceField(label=_("Dimension"))
    stance = forms.ChoiceField(label=_("Your position"), choices=PlacementNote.Stance.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your note"), max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, kind: str, in_card: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dimension"].choices = [(code, DIMENSIONS[code].label) for code in dimensions_of(kind)]
        self.fields["year"].widget = forms.HiddenInput()
        self.order_fields(["dimension", "stance", "text", "year"])
        if in_card:
            self.fields["dimension"].widget = forms.HiddenInput()


# Networks ------------------------------------------------------------------------------------------------------


class NetworkForm(forms.Form):
    """`?territory=&year=&graph=&instance=&sector=` of the network page and of its API twin: parsed here, checked
    against what the user may read by evaluation.actions.network.network_scope."""

    territory = forms.IntegerField(label=_("Territory"), required=False, min_value=1)
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1, max_value=9999)
    graph = forms.ChoiceField(label=_("Ties"), required=False, choices=GraphKind.choices)
    instance = forms.IntegerField(label=_("Instance"), required=False, min_value=1)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Every sector")), *Organization.Sector.choices]
    )

    def clean_graph(self) -> str:
        return self.cleaned_data.get("graph") or GraphKind.CO_MEMBERSHIP
