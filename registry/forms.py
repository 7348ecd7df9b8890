"""Forms of the registry pages. They shape the input and offer the choices the user has; the actions in actions.py
check the rules and write."""

import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy

from core.forms import DateInput
from registry import rules as perms
from registry.models import Affiliation, FundingLine, Organization, Person, Territory


class ShapingModelForm(forms.ModelForm):
    """Checks each field's input (the model's field validators included) and leaves the model's constraints to the
    action, which says next to which field the input is refused (a ModelForm reports them above the form).
    These forms have no rule of their own, so every error above the form would be a constraint's."""

    def full_clean(self) -> None:
        super().full_clean()
        if self._errors is not None:
            self._errors.pop(NON_FIELD_ERRORS, None)


class OrganizationForm(ShapingModelForm):
    # Longer than the 10 digits so that "1234 567 890" reaches clean_neq; the model then checks the digits.
    neq = forms.CharField(label=Organization._meta.get_field("neq").verbose_name, required=False, max_length=14)
    # The eight criteria of independent community action (domain.md); all eight make the organisation ACA.
    aca_criteria = forms.MultipleChoiceField(
        label=gettext_lazy("Criteria of independent community action (ACA) met"),
        choices=Organization.AcaCriterion.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=gettext_lazy("Community organisations only. With all eight, the organisation is ACA."),
    )

    class Meta:
        model = Organization
        fields = [
            "name", "sector", "neq", "rls", "territories", "mission", "founded_year",
            "email", "phone", "address", "postal_code", "website", "is_public", "aca_criteria", "aca_verified_on",
        ]  # fmt: skip
        widgets = {
            "mission": forms.Textarea(attrs={"rows": 4}),
            "territories": forms.CheckboxSelectMultiple,
            "aca_verified_on": DateInput(),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("aca_criteria", self.instance.aca_criteria)
        scope = perms.scope_for(user)
        rls = Territory.objects.filter(kind=Territory.Kind.RLS)
        if not scope.is_admin:
            allowed = set(scope.coordinated_rls)
            if self.instance.pk:
                allowed.add(self.instance.rls_id)
            rls = rls.filter(pk__in=allowed)
        self.fields["rls"].queryset = rls
        if rls.count() == 1 and not self.instance.pk:
            self.fields["rls"].initial = rls.first()
        territories = Territory.objects.all()
        if not scope.is_admin:
            territories = territories.filter(perms.under_paths(rls.values_list("path", flat=True)))
            if self.instance.pk:
                territories = territories | Territory.objects.filter(pk__in=self.instance.territories.all())
        self.fields["territories"].queryset = territories.order_by("path")
        self.fields["territories"].label_from_instance = lambda t: f"{t.name} ({t.get_kind_display()})"
        self.fields["neq"].help_text = gettext_lazy("10 digits, as on the enterprise register. Optional.")

    def clean_neq(self) -> str:
        return (self.cleaned_data.get("neq") or "").replace(" ", "")


def _model_field(model, name: str) -> forms.Field:
    return model._meta.get_field(name).formfield()


class FundingVisibilityForm(forms.Form):
    funding_visibility = forms.ChoiceField(
        label=gettext_lazy("Who sees the detail of the funding lines"),
        choices=Organization.FundingVisibility.choices,
        widget=forms.RadioSelect,
    )


class RefuseChangeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FundingLineForm(forms.Form):
    """Not a ModelForm: the model's checks (a year in range, an amount not negative) are the action's, said in the
    same words for the page and the API."""

    year = _model_field(FundingLine, "year")
    source = _model_field(FundingLine, "source")
    amount = _model_field(FundingLine, "amount")
    funder = _model_field(FundingLine, "funder")


class PersonForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["first_name", "last_name", "email", "phone", "position", "decision_level"]


class NewPersonForm(PersonForm):
    """Creating a person also records whom they are affiliated with (the person is visible through it)."""

    organization = forms.ModelChoiceField(queryset=Organization.objects.none(), label=gettext_lazy("Organisation"))
    title = forms.CharField(label=gettext_lazy("Title in this organisation"), required=False, max_length=200)
    start_date = forms.DateField(label=gettext_lazy("Since"), widget=DateInput(), initial=datetime.date.today)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = perms.editable_organizations_for(user).active()


class AffiliationForm(ShapingModelForm):
    class Meta:
        model = Affiliation
        fields = ["organization", "title", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        labels = {"organization": gettext_lazy("Organisation")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = perms.editable_organizations_for(user).active()


class EndAffiliationForm(forms.Form):
    end_date = forms.DateField(label=gettext_lazy("End date"), widget=DateInput())


class TerritoryForm(forms.ModelForm):
    year = forms.IntegerField(label=gettext_lazy("Year of the figures"), required=False, min_value=1900, max_value=2100)
    population = forms.IntegerField(label=gettext_lazy("Population"), required=False, min_value=0)
    population_65_plus = forms.IntegerField(label=gettext_lazy("Population aged 65+"), required=False, min_value=0)

    class Meta:
        model = Territory
        fields = ["name", "kind", "parent", "code", "description", "grouped_municipalities"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "grouped_municipalities": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        editable = perms.editable_territories_for(user)
        parents = editable.exclude(kind=Territory.Kind.COMMUNITY)
        if self.instance.pk:
            parents = parents.exclude(path__startswith=self.instance.path)
            if self.instance.parent_id:
                # Keeping the current parent is always allowed (a coordinator updates the figures of their RLS).
                parents = parents | Territory.objects.filter(pk=self.instance.parent_id)
            figure = self.instance.latest_population()
            if figure:
                self.initial.update(
                    year=figure.year, population=figure.population, population_65_plus=figure.population_65_plus
                )
        self.fields["parent"].queryset = parents.order_by("path")
        grouped = editable.filter(kind=Territory.Kind.MUNICIPALITY)
        if self.instance.pk:
            grouped = grouped | Territory.objects.filter(pk__in=self.instance.grouped_municipalities.all())
        self.fields["grouped_municipalities"].queryset = grouped
        self.fields["grouped_municipalities"].help_text = gettext_lazy(
            "For a territory of belonging: the municipalities the partners grouped together."
        )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("First row: column names. At most 5 MB."),
    )
