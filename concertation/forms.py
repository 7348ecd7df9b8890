"""Forms of the concertation pages (instances, memberships, delegations).

Forms shape the input and offer the choices the user may pick (concertation.rules); the actions hold the rules.
"""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from concertation import rules as scope
from concertation.models import ContextEvent, Instance, Membership
from concertation.models.instances import BourqueType
from core.forms import DateInput
from registry.models import Organization, Territory
from registry.rules import under_paths


class InputForm(forms.ModelForm):
    """A model form that only shapes input: its fields come from the model, but the object is validated by the
    action (full_clean and the rules), whose refusals the page shows next to the same fields."""

    def _post_clean(self):
        # ModelForm would validate the model here (its constraints included), saying a refusal twice.
        pass


def _kept(queryset, current_pk: int | None):
    """The choices, plus the current value even if it no longer is among them (an archived organisation)."""
    model = queryset.model
    return model.objects.filter(Q(pk__in=queryset.values("pk")) | Q(pk=current_pk)) if current_pk else queryset


class InstanceForm(InputForm):
    class Meta:
        model = Instance
        fields = [
            "name", "kind", "basis", "theme", "level", "rls", "territory", "parent", "mandate",
            "support_organization", "secretariat_organization", "is_public", "opened_on", "closed_on",
            "bourque_object",
        ]  # fmt: skip
        widgets = {"mandate": forms.Textarea(attrs={"rows": 4}), "opened_on": DateInput(), "closed_on": DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        rls = _kept(scope.rls_for(user), self.instance.rls_id)
        self.fields["rls"].queryset = rls
        if not self.instance.pk and rls.count() == 1:
            self.fields["rls"].initial = rls.first()
        paths = rls.values_list("path", flat=True)
        self.fields["territory"].queryset = Territory.objects.filter(under_paths(paths)).order_by("path")
        parents = scope.instances_for(user).filter(rls__in=rls)
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents
        for name in ("support_organization", "secretariat_organization"):
            orgs = Organization.objects.active().filter(rls__in=rls)
            self.fields[name].queryset = _kept(orgs, getattr(self.instance, f"{name}_id"))


class BourqueOverrideForm(forms.Form):
    bourque_type = forms.ChoiceField(
        label=_("Bourque type"),
        choices=[("", _("Derived automatically"))] + list(BourqueType.choices),
        required=False,
    )
    reason = forms.CharField(label=_("Justification"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class MembershipForm(InputForm):
    EXIT_FIELDS = ("exit_reason", "exit_note")

    class Meta:
        model = Membership
        fields = ["organization", "person", "role", "start_date", "end_date", "exit_reason", "exit_note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "exit_note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"exit_reason": _("When the membership ends: why the organisation left.")}

    def __init__(self, *args, instance_obj: Instance, with_exit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_exit:  # the short form of the instance page adds a current member
            for name in self.EXIT_FIELDS:
                del self.fields[name]
        # The instance draws on its RLS's registry; the person must be affiliated with the chosen organisation.
        orgs = _kept(
            scope.organizations_of(instance_obj).filter(archived_at__isnull=True), self.instance.organization_id
        )
        self.fields["organization"].queryset = orgs.order_by("name")
        people = _kept(scope.people_of(instance_obj).filter(archived_at__isnull=True), self.instance.person_id)
        self.fields["person"].queryset = people.order_by("last_name", "first_name")
        self.fields["person"].help_text = _("Optional: the person who represents the organisation.")


class DelegationForm(forms.Form):
    to_instance = forms.ModelChoiceField(label=_("Seat in the instance"), queryset=Instance.objects.none())
    start_date = forms.DateField(label=_("From"), widget=DateInput())

    def __init__(self, *args, source: Membership, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.source = source
        choices = scope.instances_for(user).filter(rls_id=source.instance.rls_id).exclude(pk=source.instance_id)
        self.fields["to_instance"].queryset = choices.order_by("name")


class ContextEventForm(InputForm):
    whole_rls = forms.BooleanField(
        label=_("An event of the whole RLS"), required=False,
        help_text=_("It then shows on every instance of the RLS. Leave unticked for an event of this instance only."),
    )  # fmt: skip

    class Meta:
        model = ContextEvent
        fields = ["date", "kind", "title", "description", "whole_rls"]
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, whole_rls_allowed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        # Offered to the RLS's coordinators only; an event, once recorded, stays where it is.
        if self.instance.pk or not whole_rls_allowed:
            del self.fields["whole_rls"]
