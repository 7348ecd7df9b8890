"""Notes beside the diagnosis: a coordinator or a member agrees with a placement, contests it or comments on it.

A note belongs to the diagnosis of one instance, or to the diagnosis of an RLS as a whole (no instance), and to
one dimension of it. It keeps the placement shown when it was written: the diagnosis is recomputed from the data,
so the placement may change while the note stays beside its dimension and says what it answered."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from concertation.models import Instance
from registry.models import Organization, Territory

NOTE_MAX_LENGTH = 2000
PLACEMENT_MAX_LENGTH = 200


class PlacementNote(models.Model):
    class Stance(models.TextChoices):
        AGREE = "agree", pgettext_lazy("placement note", "Agree")
        CONTEST = "contest", pgettext_lazy("placement note", "Contest")
        COMMENT = "comment", pgettext_lazy("placement note", "Comment")

    rls = models.ForeignKey(
        Territory, verbose_name=_("RLS"), on_delete=models.PROTECT, related_name="+",
        limit_choices_to={"kind": Territory.Kind.RLS},
    )  # fmt: skip
    instance = models.ForeignKey(
        Instance, verbose_name=_("instance"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="placement_notes", help_text=_("Empty for a note on the diagnosis of the whole RLS."),
    )  # fmt: skip
    dimension = models.SlugField(_("dimension"), max_length=60)
    # The dimension's placement codes when the note was written (several, comma-separated, in a dimension that
    # shows every placement that fits).
    placement = models.CharField(_("placement"), max_length=PLACEMENT_MAX_LENGTH)
    # The year the diagnosis read when the note was written; empty for the whole period.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    stance = models.CharField(_("stance"), max_length=10, choices=Stance.choices)
    text = models.TextField(_("note"), max_length=NOTE_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("author"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_organization = models.ForeignKey(
        Organization, verbose_name=_("on behalf of"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(_("written on"), default=timezone.now)

    class Meta:
        verbose_name = _("note on a placement")
        verbose_name_plural = _("notes on placements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=["agree", "contest", "comment"]), name="placement_note_known_stance"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="placement_note_text_given"),
        ]
        indexes = [
            # The notes beside each card of an instance's diagnosis page...
            models.Index(fields=["instance", "dimension"], name="placement_note_inst_dim_idx"),
            # ...and of an RLS's (instance empty).
            models.Index(fields=["rls", "dimension"], name="placement_note_rls_dim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} — {self.get_stance_display()}"

    def get_absolute_url(self) -> str:
        if self.instance_id is not None:
            page = reverse("evaluation:instance_diagnosis", args=[self.instance_id])
        else:
            page = reverse("evaluation:rls_diagnosis", args=[self.rls_id])
        query = f"?year={self.year}" if self.year else ""
        return f"{page}{query}#dimension-{self.dimension}"

    @property
    def placements(self) -> list[str]:
        return [code for code in self.placement.split(",") if code]
