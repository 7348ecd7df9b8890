"""Forms of the démarche, action-plan and analytics pages. They hand cleaned data to concertation.actions.plans."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concertation import rules as scope
from concertation.forms import InputForm
from concertation.models import Action, ActionPlan, Demarche, DemarcheStage, Indicator, Instance, Objective
from core.forms import DateInput
from registry import rules as registry_rules
from registry.models import Organization, Territory


class DemarcheForm(forms.ModelForm):
    class Meta:
        model = Demarche
        fields = ["title"]
        help_texts = {
            "title": _(
                "The démarche goes through seven stages: mobilise the partners, basic consensus, shared analysis of "
                "the community and its needs, projects, action plan, implementation, evaluation."
            )
        }


class StageForm(InputForm):
    class Meta:
        model = DemarcheStage
        fields = ["status", "start_date", "end_date", "deliverables"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "deliverables": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "deliverables": _("What this stage produces (a portrait, a shared diagnosis, a list of projects…).")
        }


class ActionPlanForm(InputForm):
    class Meta:
        model = ActionPlan
        fields = ["title", "demarche", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, instance_obj: Instance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["demarche"].queryset = Demarche.objects.filter(instance=instance_obj).order_by("-created_at")
        self.fields["demarche"].label = _("Démarche")
        self.fields["demarche"].help_text = _("Optional: the démarche this plan comes from.")


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "order"]
        labels = {"order": _("Order")}
        help_texts = {"title": _("Few objectives, some achievable in the short and medium term.")}


class ActionForm(InputForm):
    class Meta:
        model = Action
        fields = ["title", "lead", "contributors", "resources", "deadline", "status"]
        widgets = {
            "deadline": DateInput(),
            "resources": forms.Textarea(attrs={"rows": 3}),
            "contributors": forms.SelectMultiple(attrs={"size": 8}),
        }
        help_texts = {
            "resources": _("People, hours, money or premises each partner commits."),
            "contributors": _("Hold Ctrl (or Cmd) to choose several."),
        }

    def __init__(self, *args, instance_obj: Instance, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = self.fields["contributors"].queryset = action_organizations(
            instance_obj, self.instance
        )


def action_organizations(instance_obj: Instance, action: Action | None = None):
    """The active organisations of the instance's RLS, and those an existing action already names."""
    orgs = scope.organizations_of(instance_obj).filter(archived_at__isnull=True)
    if action is not None and action.pk:
        kept = [*action.contributors.values_list("pk", flat=True), action.lead_id]
        orgs = Organization.objects.filter(pk__in=orgs.values("pk")) | Organization.objects.filter(pk__in=kept)
    return orgs.order_by("name")


class IndicatorForm(InputForm):
    class Meta:
        model = Indicator
        fields = ["name", "unit", "target", "measured", "measured_on"]
        widgets = {"measured_on": DateInput()}
        help_texts = {"unit": _("For example: people reached, activities, %.")}


# Concertation load -------------------------------------------------------------------------------------


class LoadForm(forms.Form):
    territory = forms.ModelChoiceField(label=_("Territory"), queryset=Territory.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)
    hours = forms.DecimalField(
        label=_("Hours threshold"),
        required=False,
        min_value=0,
        max_digits=7,
        decimal_places=1,
        help_text=_("Optional: flag those above this many meeting hours in the year instead of the top 10 %."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = load_territories_for(user)
        self.fields["territory"].label_from_instance = lambda t: f"{t.name} ({t.get_kind_display()})"
        self.fields["year"].initial = timezone.localdate().year
        self.fields["year"].widget.attrs["inputmode"] = "numeric"


def load_territories_for(user):
    """Territories whose load a user may read: any RLS, region or the province for an administrator; the RLS
    they coordinate or analyse otherwise (the report names people and their organisations)."""
    scope = registry_rules.scope_for(user)
    kinds = [Territory.Kind.PROVINCE, Territory.Kind.HEALTH_REGION, Territory.Kind.RLS]
    territories = Territory.objects.filter(kind__in=kinds).order_by("path")
    if scope.is_admin:
        return territories
    return territories.filter(pk__in=scope.readable_rls, kind=Territory.Kind.RLS)
