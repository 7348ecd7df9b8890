"""Network analysis: who works with whom (docs/network.md).

`Relation` is one answer to a relations question: the respondent's organisation names an organisation it works
with and rates the tie on three scales of our own. `StoredNetwork` keeps a network computed in the background (a
health region or the province: too big to compute on request), with the library, its version and the parameters
that produced it."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from evaluation.models.campaigns import Response
from evaluation.models.instruments import Item
from registry.models import Organization, Territory


class GraphKind(models.TextChoices):
    CO_MEMBERSHIP = "co_membership", _("Sitting on the same instances")
    AGREEMENTS = "agreements", _("Parties to the same agreements")
    RELATIONS = "relations", _("Named in the relations survey")


# Our own scales, 1 to 5 (not PARTNER's items).
FREQUENCY_LABELS = [
    (1, _("Once or twice a year")),
    (2, _("A few times a year")),
    (3, _("Every month")),
    (4, _("Every week")),
    (5, _("Several times a week")),
]
USEFULNESS_LABELS = [
    (1, _("Of little use to our work")),
    (2, _("Somewhat useful")),
    (3, _("Useful")),
    (4, _("Very useful")),
    (5, _("Essential to our work")),
]
TRUST_LABELS = [
    (1, _("We do not trust them yet")),
    (2, _("Some trust")),
    (3, _("Trust")),
    (4, _("Strong trust")),
    (5, _("Complete trust")),
]
RATING = [MinValueValidator(1), MaxValueValidator(5)]
# A named organisation's ratings are shown only when at least this many respondents rated it.
MIN_RATERS = 5


class Relation(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="relations")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="relations")
    organization = models.ForeignKey(
        Organization, verbose_name=_("organisation named"), on_delete=models.CASCADE, related_name="+"
    )
    frequency = models.PositiveSmallIntegerField(_("how often"), choices=FREQUENCY_LABELS, validators=RATING)
    usefulness = models.PositiveSmallIntegerField(_("how useful"), choices=USEFULNESS_LABELS, validators=RATING)
    trust = models.PositiveSmallIntegerField(_("trust"), choices=TRUST_LABELS, validators=RATING)

    class Meta:
        verbose_name = _("relation named")
        verbose_name_plural = _("relations named")
        constraints = [
            models.UniqueConstraint(fields=["response", "organization"], name="relation_once_per_organization"),
            models.CheckConstraint(
                condition=models.Q(frequency__range=(1, 5), usefulness__range=(1, 5), trust__range=(1, 5)),
                name="relation_ratings_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organization)


class StoredNetwork(models.Model):
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    graph = models.CharField(_("graph"), max_length=20, choices=GraphKind.choices)
    # What the data looked like when computed (evaluation.network.store.source_stamp): a change recomputes it.
    stamp = models.CharField(max_length=100, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)  # empty until first computed
    # Set while a computation is queued, so that a burst of changes queues one (debounced).
    requested_at = models.DateTimeField(_("computation requested at"), null=True, blank=True)
    seconds = models.FloatField(_("computation time (s)"), null=True, blank=True)
    library = models.CharField(_("library"), max_length=60, blank=True)
    parameters = models.JSONField(_("parameters"), default=dict)
    # The network as the API answers it ({"nodes", "edges", "metrics", …}), as compact JSON text: the API sends it
    # as stored (the province's is megabytes; a JSON column would be decoded and encoded again on every read).
    data = models.TextField(default="{}")

    class Meta:
        verbose_name = _("stored network")
        verbose_name_plural = _("stored networks")
        constraints = [
            models.UniqueConstraint(fields=["territory", "year", "graph"], name="stored_network_once"),
        ]

    def __str__(self) -> str:
        return f"{self.territory} {self.year} {self.graph}"
