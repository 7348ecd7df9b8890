"""Forms of the registry pages. They validate; the actions in actions.py write."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Length
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import DateInput
from registry import rules as perms
from registry.models import Affiliation, FundingLine, Organization, Person, Territory

KIND_RANK = {
    Territory.Kind.PROVINCE: 0,
    Territory.Kind.HEALTH_REGION: 1,
    Territory.Kind.RLS: 2,
    Territory.Kind.MRC: 3,
    Territory.Kind.CLSC: 3,
    Territory.Kind.MUNICIPALITY: 4,
    Territory.Kind.COMMUNITY: 5,
}


def duplicate_name_error(name: str, rls: Territory | None, exclude_pk: int | None) -> str | None:
    if not name or rls is None:
        return None
    wanted = name.strip()
    # Compared in Python: SQLite ignores case for ASCII letters only, and French names have accents (É, À).
    same_length = Organization.objects.filter(rls=rls).alias(length=Length("name")).filter(length=len(wanted))
    if exclude_pk:
        same_length = same_length.exclude(pk=exclude_pk)
    if any(other.casefold() == wanted.casefold() for other in same_length.values_list("name", flat=True)):
        return _(
            "An organisation named “%(name)s” already exists in %(rls)s. "
            "Choose another name, or edit the existing organisation."
        ) % {
            "name": name,
            "rls": rls,
        }
    return None


def organization_rules(cleaned: dict, instance_pk: int | None) -> dict[str, str]:
    """Cross-field rules shared by the form, the API and the import."""
    errors: dict[str, str] = {}
    if cleaned.get("is_aca") and cleaned.get("sector") != Organization.Sector.COMMUNITY:
        errors["is_aca"] = _("Only community organisations can be recognised as ACA; untick it or change the sector.")
    message = duplicate_name_error(cleaned.get("name", ""), cleaned.get("rls"), instance_pk)
    if message:
        errors["name"] = message
    return errors


class OrganizationForm(forms.ModelForm):
    # Longer than the 10 digits so that "1234 567 890" reaches clean_neq; the model then checks the digits.
    neq = forms.CharField(label=Organization._meta.get_field("neq").verbose_name, required=False, max_length=14)

    class Meta:
        model = Organization
        fields = [
            "name", "sector", "is_aca", "neq", "rls", "territories", "mission", "founded_year",
            "email", "phone", "address", "postal_code", "website", "is_public",
        ]  # fmt: skip
        widgets = {"mission": forms.Textarea(attrs={"rows": 4}), "territories": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
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
        self.fields["territories"].queryset = territories.order_by("path")
        self.fields["territories"].label_from_instance = lambda t: f"{t.name} ({t.get_kind_display()})"
        self.fields["neq"].help_text = gettext_lazy("10 digits, as on the enterprise register. Optional.")

    def clean_neq(self) -> str:
        return (self.cleaned_data.get("neq") or "").replace(" ", "")

    def clean(self):
        cleaned = super().clean()
        for field, message in organization_rules(cleaned, self.instance.pk).items():
            self.add_error(field, message)
        return cleaned

    def validate_constraints(self, exclude=None):
        # Rules are checked with clearer messages in clean(); skip the generic constraint messages.
        pass


class FundingLineForm(forms.ModelForm):
    class Meta:
        model = FundingLine
        fields = ["year", "source", "amount", "funder"]

    def clean_amount(self):
        amount = self.cleaned_data["amount"]
        if amount is not None and amount < 0:
            raise ValidationError(_("The amount cannot be negative."))
        return amount


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


class AffiliationForm(forms.ModelForm):
    class Meta:
        model = Affiliation
        fields = ["organization", "title", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        labels = {"organization": gettext_lazy("Organisation")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = perms.editable_organizations_for(user).active()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return cleaned

    def validate_constraints(self, exclude=None):
        pass


class EndAffiliationForm(forms.Form):
    end_date = forms.DateField(label=gettext_lazy("End date"), widget=DateInput())

    def __init__(self, *args, affiliation: Affiliation, **kwargs):
        super().__init__(*args, **kwargs)
        self.affiliation = affiliation

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end < self.affiliation.start_date:
            raise ValidationError(_("The end date cannot be before the start date."))
        return end


def territory_rules(cleaned: dict, instance: Territory | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind, parent = cleaned.get("kind"), cleaned.get("parent")
    if kind == Territory.Kind.PROVINCE:
        if parent is not None:
            errors["parent"] = _("A province has no parent territory.")
    elif kind and parent is None:
        errors["parent"] = _("Choose the territory this one belongs to.")
    elif kind and parent is not None:
        if instance is not None and instance.pk and (parent.pk == instance.pk or parent.path.startswith(instance.path)):
            errors["parent"] = _("A territory cannot be placed under itself or one of its descendants.")
        elif KIND_RANK[parent.kind] >= KIND_RANK[kind]:
            errors["parent"] = _(
                "A territory of kind “%(kind)s” cannot be placed under one of kind “%(parent_kind)s”."
            ) % {
                "kind": Territory.Kind(kind).label,
                "parent_kind": parent.get_kind_display(),
            }
    population, older = cleaned.get("population"), cleaned.get("population_65_plus")
    if population is not None and older is not None and older > population:
        errors["population_65_plus"] = _("The population aged 65+ cannot exceed the total population.")
    if (population is not None or older is not None) and not cleaned.get("year"):
        errors["year"] = _("Give the year of the population figures.")
    return errors


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
        if not perms.scope_for(user).is_admin:
            # Only the platform administrator adds a territory at the top of the tree, outside every RLS.
            self.fields["parent"].required = True
        self.fields["grouped_municipalities"].queryset = editable.filter(kind=Territory.Kind.MUNICIPALITY)
        self.fields["grouped_municipalities"].help_text = gettext_lazy(
            "For a territory of belonging: the municipalities the partners grouped together."
        )

    def clean(self):
        cleaned = super().clean()
        for field, message in territory_rules(cleaned, self.instance).items():
            self.add_error(field, message)
        return cleaned


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"),
        help_text=gettext_lazy("First row: column names. At most 5 MB."),
    )
