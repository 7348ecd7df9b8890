"""Evaluation instruments are data: sections (conditions or factors), items, an answer scale per item, and the
thresholds that read a section's mean. The four shipped instruments are worded in our own words (see
docs/evaluation.md for what each one paraphrases and why no published item text is copied); a coordinator
builds their own by copying one and editing the copy."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from registry.models import Territory


class Scale(models.TextChoices):
    LIKERT = "likert", _("Agreement, 1 to 5")
    ABC = "abc", _("A / B / C statements")
    YES_NO = "yes_no", _("Yes / no")
    CHOICE = "choice", _("One choice among several")
    TEXT = "text", _("Open text")
    RELATIONS = "relations", _("Organisations worked with, each rated")


LIKERT_LABELS = [
    ("1", _("1 — Strongly disagree")),
    ("2", _("2 — Disagree")),
    ("3", _("3 — Neither agree nor disagree")),
    ("4", _("4 — Agree")),
    ("5", _("5 — Strongly agree")),
]
YES_NO_LABELS = [("yes", _("Yes")), ("no", _("No"))]
LIKERT_VALUES = [value for value, _label in LIKERT_LABELS]
ABC_VALUES = ["A", "B", "C"]
YES_NO_VALUES = [value for value, _label in YES_NO_LABELS]


class Bilingual:
    """Text fields kept in both languages as data (instrument wording is not in the catalogue): the reader's
    language, French when the English is missing."""

    def localized(self, field: str) -> str:
        english = getattr(self, f"{field}_en", "")
        return english if (get_language() or "fr").startswith("en") and english else getattr(self, f"{field}_fr")


class Instrument(Bilingual, models.Model):
    class Scoring(models.TextChoices):
        MEAN = "mean", _("Section means read against thresholds")
        ABC = "abc", _("A / B / C compiled per item and per condition, no cut-off")
        CHECKLIST = "checklist", _("Benefits and drawbacks counted, and their balance")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("What the instrument paraphrases, cited; never the published wording.")
    )
    scoring = models.CharField(_("scoring"), max_length=20, choices=Scoring.choices, default=Scoring.MEAN)
    self_evaluation = models.BooleanField(
        _("self-evaluation only"),
        default=False,
        help_text=_("Results leave the instance only by a decision recorded by its members."),
    )
    strength_min = models.DecimalField(
        _("strength from"), max_digits=3, decimal_places=1, default=Decimal("4.0"),
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("5.0"))],
    )  # fmt: skip
    concern_below = models.DecimalField(
        _("concern below"), max_digits=3, decimal_places=1, default=Decimal("3.0"),
        validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("5.0"))],
    )  # fmt: skip
    # A shipped instrument has no RLS and cannot be edited; a copy belongs to the RLS whose coordinator made it.
    rls = models.ForeignKey(
        Territory, verbose_name=_("RLS"), null=True, blank=True, on_delete=models.PROTECT, related_name="instruments",
        limit_choices_to={"kind": Territory.Kind.RLS},
    )  # fmt: skip
    copied_from = models.ForeignKey(
        "self", verbose_name=_("copied from"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("instrument")
        verbose_name_plural = _("instruments")
        ordering = ["rls_id", "title_fr"]
        constraints = [
            models.CheckConstraint(
                condition=Q(concern_below__lte=F("strength_min")),
                name="instrument_thresholds_in_order",
                violation_error_message=_("The concern threshold cannot be above the strength threshold."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.localized("title")

    @property
    def description(self) -> str:
        return self.localized("description")

    def get_absolute_url(self) -> str:
        return reverse("evaluation:instrument_detail", args=[self.pk])

    @property
    def is_shipped(self) -> bool:
        return self.rls_id is None


class Section(Bilingual, models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="sections")
    code = models.SlugField(_("code"), max_length=60)
    title_fr = models.CharField(_("title (French)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    source = models.CharField(_("source"), max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order in a list", "position"), default=0)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["instrument", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["instrument", "code"], name="section_code_unique")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.localized("title")


class Item(Bilingual, models.Model):
    class Polarity(models.TextChoices):
        NEUTRAL = "", _("Neither")
        BENEFIT = "benefit", _("Benefit")
        DRAWBACK = "drawback", _("Drawback")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=60)
    text_fr = models.TextField(_("text (French)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    scale = models.CharField(_("answer scale"), max_length=10, choices=Scale.choices, default=Scale.LIKERT)
    # For A/B/C and choice items: [{"value": "A", "fr": "…", "en": "…"}, …], in the order shown.
    options = models.JSONField(_("options"), default=list, blank=True)
    polarity = models.CharField(_("benefit or drawback"), max_length=10, choices=Polarity.choices, blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order in a list", "position"), default=0)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["section", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["section", "code"], name="item_code_unique")]

    def __str__(self) -> str:
        return self.text

    @property
    def text(self) -> str:
        return self.localized("text")

    def values(self) -> list[str]:
        """The answers the item accepts (empty for open text)."""
        if self.scale == Scale.LIKERT:
            return LIKERT_VALUES
        if self.scale == Scale.YES_NO:
            return YES_NO_VALUES
        if self.scale == Scale.ABC:
            return ABC_VALUES
        if self.scale == Scale.CHOICE:
            return [str(option["value"]) for option in self.options]
        return []

    def labelled_values(self) -> list[tuple[str, str]]:
        """The answers offered, with their labels in the reader's language."""
        if self.scale == Scale.LIKERT:
            return [(value, str(label)) for value, label in LIKERT_LABELS]
        if self.scale == Scale.YES_NO:
            return [(value, str(label)) for value, label in YES_NO_LABELS]
        return self.option_labels()

    def option_labels(self) -> list[tuple[str, str]]:
        english = (get_language() or "fr").startswith("en")
        return [
            (str(o["value"]), (o.get("en") if english and o.get("en") else o.get("fr", str(o["value"]))))
            for o in self.options
        ]
