"""Forms of the concertation pages (instances, memberships, delegations)."""

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from concertation.models import Instance, Membership
from concertation.models.instances import BourqueType
from core.forms import DateInput
from registry import rules as registry_rules
from registry.models import Affiliation, Organization, Person, Territory


class InstanceForm(forms.ModelForm):
    class Meta:
        model = Instance
        fields = [
            "name", "kind", "basis", "theme", "level", "rls", "territory", "parent", "mandate",
            "support_organization", "secretariat_organization", "is_public", "opened_on", "closed_on",
        ]  # fmt: skip
        widgets = {"mandate": forms.Textarea(attrs={"rows": 4}), "opened_on": DateInput(), "closed_on": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        scope = registry_rules.scope_for(user)
        rls = Territory.objects.filter(kind=Territory.Kind.RLS)
        if not scope.is_admin:
            allowed = set(scope.coordinated_rls) | ({self.instance.rls_id} if self.instance.pk else set())
            rls = rls.filter(pk__in=allowed)
        self.fields["rls"].queryset = rls
        if not self.instance.pk and rls.count() == 1:
            self.fields["rls"].initial = rls.first()
        paths = rls.values_list("path", flat=True)
        self.fields["territory"].queryset = Territory.objects.filter(registry_rules.under_paths(paths)).order_by("path")
        parents = Instance.objects.filter(rls__in=rls)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        orgs = Organization.objects.active().filter(rls__in=rls)
        self.fields["support_organization"].queryset = orgs
        self.fields["secretariat_organization"].queryset = orgs

    def clean(self):
        cleaned = super().clean()
        opened, closed = cleaned.get("opened_on"), cleaned.get("closed_on")
        if opened and closed and closed < opened:
            self.add_error("closed_on", _("The closing date cannot be before the opening date."))
        if cleaned.get("basis") == Instance.Basis.TERRITORIAL and not cleaned.get("territory"):
            self.add_error("territory", _("A territorial instance needs its territory."))
        parent = cleaned.get("parent")
        if parent and cleaned.get("rls") and parent.rls_id != cleaned["rls"].pk:
            self.add_error("parent", _("The parent instance must belong to the same RLS."))
        return cleaned

    def validate_constraints(self, exclude=None):
        pass


class BourqueOverrideForm(forms.Form):
    bourque_type = forms.ChoiceField(
        label=_("Bourque type"),
        choices=[("", _("Derived automatically"))] + list(BourqueType.choices),
        required=False,
    )
    reason = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("bourque_type") and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Justify the chosen Bourque type."))
        return cleaned


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["organization", "person", "role", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args, instance_obj: Instance, **kwargs):
        super().__init__(*args, **kwargs)
        # Organisations of the health region (regional organisations sit on local tables too).
        region_orgs = Organization.objects.active().filter(rls__parent_id=instance_obj.rls.parent_id)
        self.fields["organization"].queryset = region_orgs.order_by("name")
        affiliated = Affiliation.objects.filter(
            person=OuterRef("pk"), organization__rls__parent_id=instance_obj.rls.parent_id
        )
        self.fields["person"].queryset = (
            Person.objects.active().filter(Exists(affiliated)).order_by("last_name", "first_name")
        )
        self.fields["person"].help_text = _("Optional: the person who represents the organisation.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        person, org = cleaned.get("person"), cleaned.get("organization")
        if person and org and not person.affiliations.filter(organization=org).exists():
            self.add_error("person", _("This person is not affiliated with the organisation."))
        return cleaned

    def validate_constraints(self, exclude=None):
        pass


class DelegationForm(forms.Form):
    to_instance = forms.ModelChoiceField(label=_("Seat in the instance"), queryset=Instance.objects.none())
    start_date = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, source: Membership, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        # Same-RLS instances come first; the action refuses any other with a clear message.
        self.fields["to_instance"].queryset = choices.exclude(pk=source.instance_id).order_by("name")
