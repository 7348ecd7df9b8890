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
    """An organisation's seat, or a citizen seat: a person who sits as themself (chosen among the people the
    instance may name, or entered here when they are not yet in the registry)."""

    EXIT_FIELDS = ("exit_reason", "exit_note")
    ORGANIZATION_SEAT, CITIZEN_SEAT = "organization", "citizen"
    # Optional, as the API's: without it, a seat with no organisation is a citizen's.
    seat = forms.ChoiceField(
        label=_("Seat"), widget=forms.RadioSelect, initial="organization", required=False,
        choices=[("organization", _("An organisation's seat")),
                 ("citizen", _("A citizen seat: a person who sits as themself, for no organisation"))],
    )  # fmt: skip
    citizen_first_name = forms.CharField(label=_("New citizen: first name"), max_length=100, required=False)
    citizen_last_name = forms.CharField(label=_("New citizen: last name"), max_length=100, required=False)
    citizen_email = forms.EmailField(label=_("New citizen: e-mail"), required=False)
    citizen_phone = forms.CharField(label=_("New citizen: phone"), max_length=30, required=False)
    CITIZEN_FIELDS = ("citizen_first_name", "citizen_last_name", "citizen_email", "citizen_phone")
    field_order = ["seat", "organization", "person", *CITIZEN_FIELDS]

    class Meta:
        model = Membership
        fields = ["organization", "person", "role", "start_date", "end_date", "exit_reason", "exit_note"]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "exit_note": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"exit_reason": _("When the membership ends: why the member left.")}

    def __init__(self, *args, instance_obj: Instance, with_exit: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not with_exit:  # the short form of the instance page adds a current member
            for name in self.EXIT_FIELDS:
                del self.fields[name]
        if self.instance.pk:
            # A seat keeps its kind; a citizen is entered when the seat is added.
            self.fields["seat"].initial = self.CITIZEN_SEAT if self.instance.is_citizen_seat else self.ORGANIZATION_SEAT
            for name in self.CITIZEN_FIELDS:
                del self.fields[name]
        # The instance draws on its RLS's registry; the person must be affiliated with the chosen organisation.
        orgs = _kept(
            scope.organizations_of(instance_obj).filter(archived_at__isnull=True), self.instance.organization_id
        )
        self.fields["organization"].queryset = orgs.order_by("name")
        self.fields["organization"].help_text = _("For an organisation's seat.")
        people = _kept(scope.people_of(instance_obj).filter(archived_at__isnull=True), self.instance.person_id)
        self.fields["person"].queryset = people.order_by("last_name", "first_name")
        self.fields["person"].help_text = _(
            "For an organisation's seat, optional: the person who represents it. For a citizen seat: the citizen, "
            "unless you enter a new one below."
        )
        self.fields["role"].help_text = _("A citizen seat takes the citizen role unless it chairs, observes, holds "
                                          "the secretariat or a delegate's seat.")  # fmt: skip

    def clean(self):
        data = super().clean()
        seat = data.get("seat") or (self.ORGANIZATION_SEAT if data.get("organization") else self.CITIZEN_SEAT)
        if seat == self.CITIZEN_SEAT:
            data["organization"] = None
            entered = {name: (data.get(name) or "").strip() for name in self.CITIZEN_FIELDS if name in self.fields}
            if any(entered.values()):
                if data.get("person"):
                    raise forms.ValidationError(
                        _("Choose the citizen in the list or enter a new one, not both."), code="citizen_twice"
                    )
                data["new_citizen"] = {name.removeprefix("citizen_"): value for name, value in entered.items()}
        elif (
            data.get("seat") == self.ORGANIZATION_SEAT
            and not data.get("organization")
            and ("organization" not in self.errors)
        ):
            self.add_error("organization", _("Choose the organisation, or choose a citizen seat."))
        for name in self.CITIZEN_FIELDS:
            data.pop(name, None)
        data.pop("seat", None)
        return data


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
