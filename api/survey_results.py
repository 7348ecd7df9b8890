"""The shape of a campaign's results in /api/v1 (evaluation.results as it computed them): where the anonymity
rule hid something, the cell says `"suppressed": true` with the reason, and carries no figure."""

from django.utils.translation import ngettext
from drf_spectacular.utils import (
    extend_schema_field,
)
from rest_framework import serializers

from evaluation.models import Instrument, Scale
from evaluation.results import GroupResult, Results

# Results --------------------------------------------------------------------------------------------------
# What campaign_results computed, shown as it is: where the anonymity rule hid something, the cell says
# `"suppressed": true` with the reason, and carries no figure.


def _fewer_than(n: int) -> str:
    return ngettext(
        "Fewer than %(count)d respondent: no figure is shown, so that no one can be recognised.",
        "Fewer than %(count)d respondents: no figure is shown, so that no one can be recognised.",
        n,
    ) % {"count": n}


class DistributionSerializer(serializers.Serializer):
    value = serializers.CharField()
    label = serializers.CharField(help_text="In the reader's language.")
    count = serializers.IntegerField()

    def to_representation(self, row: tuple[str, str, int]) -> dict:
        value, label, count = row
        return {"value": value, "label": str(label), "count": count}


class ItemResultSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="item.pk")
    code = serializers.CharField(source="item.code")
    text = serializers.CharField(source="item.text", help_text="In the reader's language (French if no English).")
    scale = serializers.ChoiceField(source="item.scale", choices=Scale.choices)
    n = serializers.IntegerField(help_text="Answers given to this item.")
    mean = serializers.FloatField(allow_null=True, help_text="Likert items: the mean answer (1 to 5).")
    share_yes = serializers.FloatField(allow_null=True, help_text="Yes / no items: the share of yes (0 to 1).")
    distribution = DistributionSerializer(many=True, help_text="How many chose each value, in the scale's order.")
    unfavourable = serializers.BooleanField(help_text="A / B / C items: C at least as frequent as A and as B.")
    note = serializers.CharField(help_text="A group answer: the discussion note.")
    comments = serializers.ListField(child=serializers.CharField(), help_text="Open questions: sorted by text.")


def _abc(counts: dict[str, int]) -> dict[str, int] | None:
    return counts or None


ABC_FIELD = serializers.DictField(child=serializers.IntegerField(), allow_null=True)
ABC_COUNTS = serializers.DictField(child=serializers.IntegerField())


class SectionResultSerializer(serializers.Serializer):
    section = serializers.IntegerField(source="section.pk")
    code = serializers.CharField(source="section.code")
    title = serializers.CharField(source="section.title")
    n = serializers.IntegerField(help_text="Respondents behind the figures.")
    mean = serializers.FloatField(allow_null=True, help_text="Mean of each respondent's mean of the Likert items.")
    sd = serializers.FloatField(allow_null=True, help_text="Sample standard deviation of those means.")
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)
    # A string, not an enum: the instances' `level` already names an enum of the schema.
    level = serializers.CharField(
        allow_null=True, help_text="`strength`, `watch` or `concern`, read against the instrument's thresholds."
    )
    level_label = serializers.CharField()
    abc = serializers.SerializerMethodField(help_text="A / B / C counts of the section; null without such items.")
    items = ItemResultSerializer(many=True)

    @extend_schema_field(ABC_FIELD)
    def get_abc(self, section) -> dict[str, int] | None:
        return _abc(section.abc)


class CellSerializer(serializers.Serializer):
    mean = serializers.FloatField(allow_null=True)
    suppressed = serializers.BooleanField()
    reason = serializers.CharField(allow_null=True)


class GroupSerializer(serializers.Serializer):
    """A sector or an instance of the breakdown."""

    label = serializers.CharField()
    n = serializers.IntegerField(allow_null=True, help_text="Respondents of the group; null when suppressed.")
    suppressed = serializers.BooleanField()
    reason = serializers.SerializerMethodField()
    means = serializers.SerializerMethodField(help_text="Section code → the group's mean, or why it is hidden.")
    abc = serializers.SerializerMethodField(help_text="Section code → A / B / C counts; null when suppressed.")

    def _minimum(self) -> int:
        return self.context["min_group_size"]

    def get_reason(self, group: GroupResult) -> str | None:
        if not group.suppressed:
            return None
        return ngettext(
            "Hidden: this group, or another one of the breakdown, has fewer than %(count)d respondent.",
            "Hidden: this group, or another one of the breakdown, has fewer than %(count)d respondents.",
            self._minimum(),
        ) % {"count": self._minimum()}

    @extend_schema_field(serializers.DictField(child=CellSerializer()))
    def get_means(self, group: GroupResult) -> dict[str, dict]:
        cells = {}
        for code, mean in group.means.items():
            if group.suppressed:
                cells[code] = {"mean": None, "suppressed": True, "reason": self.get_reason(group)}
            elif mean is None:
                reason = ngettext(
                    "Fewer than %(count)d respondent of this group answered this section.",
                    "Fewer than %(count)d respondents of this group answered this section.",
                    self._minimum(),
                ) % {"count": self._minimum()}
                cells[code] = {"mean": None, "suppressed": True, "reason": reason}
            else:
                cells[code] = {"mean": mean, "suppressed": False, "reason": None}
        return cells

    @extend_schema_field(serializers.DictField(child=ABC_COUNTS, allow_null=True))
    def get_abc(self, group: GroupResult) -> dict | None:
        return None if group.suppressed else group.abc


class SectorGroupSerializer(GroupSerializer):
    sector = serializers.CharField(source="key", help_text="The sector's code (blank: not recorded).")


class InstanceGroupSerializer(GroupSerializer):
    instance = serializers.IntegerField(source="key", allow_null=True, help_text="Null: an instance since deleted.")


class ComparisonSerializer(serializers.Serializer):
    campaign = serializers.IntegerField(source="campaign.pk", help_text="The previous campaign (one the user sees).")
    title = serializers.CharField(source="campaign.title")
    opens_on = serializers.DateField(source="campaign.opens_on")
    means = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Section code → its mean then; null where it had too few respondents, or none.",
    )
    deltas = serializers.DictField(
        child=serializers.FloatField(allow_null=True), help_text="Section code → this mean minus that one."
    )


class CampaignResultsSerializer(serializers.Serializer):
    """Below the campaign's smallest group (individual answers), `suppressed` is true with its reason and every
    figure is empty; a sector or instance group too small, or one that would give a hidden one away, likewise."""

    campaign = serializers.IntegerField(source="campaign.pk")
    instrument = serializers.IntegerField(source="instrument.pk")
    scoring = serializers.ChoiceField(choices=Instrument.Scoring.choices)
    is_group = serializers.BooleanField(help_text="One consensual answer recorded for the group.")
    invited = serializers.IntegerField()
    answered = serializers.IntegerField(source="used", help_text="Personal links used.")
    respondents = serializers.IntegerField()
    response_rate = serializers.FloatField(allow_null=True, help_text="answered / invited; null for a group answer.")
    min_group_size = serializers.IntegerField()
    suppressed = serializers.BooleanField()
    reason = serializers.SerializerMethodField()
    sections = SectionResultSerializer(many=True)
    abc = serializers.SerializerMethodField(help_text="A / B / C counts of the instrument; null without such items.")
    by_sector = SectorGroupSerializer(many=True, help_text="Individual answers only.")
    by_instance = InstanceGroupSerializer(many=True, help_text="Only when the campaign covers several instances.")
    sector_gap = serializers.DictField(
        child=serializers.FloatField(allow_null=True),
        help_text="Section code → community minus public mean; null unless both groups are shown.",
    )
    previous = ComparisonSerializer(allow_null=True, help_text="The previous campaign of the same instrument.")
    comments = serializers.ListField(child=serializers.CharField(), help_text="Every open-text answer, by text.")
    benefits_ticked = serializers.FloatField(allow_null=True, help_text="Checklist: mean benefits ticked.")
    drawbacks_ticked = serializers.FloatField(allow_null=True, help_text="Checklist: mean drawbacks ticked.")
    balance = ItemResultSerializer(allow_null=True, help_text="Checklist: the overall judgement.")

    def __init__(self, instance: Results | None = None, **kwargs) -> None:
        super().__init__(instance, **kwargs)
        if instance is not None:
            self.context.setdefault("min_group_size", instance.min_group_size)

    def get_reason(self, results: Results) -> str | None:
        return _fewer_than(results.min_group_size) if results.suppressed else None

    @extend_schema_field(ABC_FIELD)
    def get_abc(self, results: Results) -> dict[str, int] | None:
        return _abc(results.abc)
