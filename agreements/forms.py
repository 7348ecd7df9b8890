"""Forms of the agreement pages. They hand cleaned data to agreements.actions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements.models import Agreement, Attachment, FundingAmount, Party, PartyContact, Payment, Report, SectionCode
from concertation.models import ActionPlan, Instance
from concertation.rules import instances_for
from core.forms import DatedForm, DateInput
from registry import rules as registry_rules
from registry.models import Organization, Person, Territory


def rls_choices(user):
    scope = registry_rules.scope_for(user)
    rls = Territory.objects.filter(kind=Territory.Kind.RLS).order_by("name")
    if scope.is_admin:
        return rls
    represented = Organization.objects.filter(pk__in=scope.represented_orgs).values("rls_id")
    return rls.filter(pk__in=scope.coordinated_rls) | rls.filter(pk__in=represented)


class AgreementForm(DatedForm):
    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"), queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two organisations: usually the institution and one or more partners."),
    )  # fmt: skip

    class Meta:
        model = Agreement
        fields = [
            "title", "kind", "rls", "parties", "summary", "start_date", "end_date", "renewal_terms",
            "joint_committee", "instances", "action_plans", "reminder_days", "is_public",
        ]  # fmt: skip
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "renewal_terms": forms.Textarea(attrs={"rows": 2}),
            "instances": forms.CheckboxSelectMultiple,
            "action_plans": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "kind": _(
                "Service agreement: the institution has the organisation provide services on its behalf and stays "
                "responsible. Collaboration agreement: the partner acts under its own mission; its autonomy is "
                "respected."
            ),
            "joint_committee": _("The concertation instance that follows the agreement, if any."),
            "reminder_days": _("The respondents are reminded by e-mail this many days before the end date."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["rls"].queryset = rls_choices(user)
        if self.fields["rls"].queryset.count() == 1:
            self.fields["rls"].initial = self.fields["rls"].queryset.first()
        # Parties may come from the whole health region: regional organisations sign local agreements.
        orgs = Organization.objects.active().order_by("name")
        scope = registry_rules.scope_for(user)
        if not scope.is_admin:
            regions = Territory.objects.filter(pk__in=self.fields["rls"].queryset).values("parent_id")
            orgs = orgs.filter(rls__parent_id__in=regions)
        self.fields["parties"].queryset = orgs
        visible = instances_for(user).order_by("name")
        self.fields["joint_committee"].queryset = visible.filter(kind=Instance.Kind.JOINT_COMMITTEE)
        self.fields["instances"].queryset = visible
        self.fields["instances"].required = False
        self.fields["action_plans"].queryset = ActionPlan.objects.filter(instance__in=visible).order_by("title")
        self.fields["action_plans"].required = False
        if self.instance.pk:
            del self.fields["parties"]
            self.fields["rls"].disabled = True

    def clean_parties(self):
        parties = self.cleaned_data["parties"]
        if len(parties) < 2:
            raise forms.ValidationError(_("An agreement needs at least two parties."))
        scope = registry_rules.scope_for(self.user)
        if not scope.is_admin and not scope.coordinated_rls and not {p.pk for p in parties} & scope.represented_orgs:
            raise forms.ValidationError(_("Your organisation must be one of the parties."))
        return parties


class SectionsForm(forms.Form):
    """Every section of the agreement on one page; the required ones say so."""

    def __init__(self, *args, agreement: Agreement, required: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        bodies = dict(agreement.sections.values_list("code", "body"))
        codes = [c for c in SectionCode.values if c in required or c in bodies]
        codes += [c for c in SectionCode.values if c not in codes]
        for code in codes:
            self.fields[code] = forms.CharField(
                label=SectionCode(code).label, required=False, initial=bodies.get(code, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
                help_text=_("Required to sign.") if code in required else _("Optional for this kind of agreement."),
            )  # fmt: skip


class PartyForm(forms.ModelForm):
    class Meta:
        model = Party
        fields = ["organization", "role"]
        help_texts = {"role": _("For example: institution, service provider, funder.")}

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        taken = agreement.parties.values("organization_id")
        region = agreement.rls.parent_id
        self.fields["organization"].queryset = (
            Organization.objects.active().filter(rls__parent_id=region).exclude(pk__in=taken).order_by("name")
        )

    def validate_unique(self):
        pass


class ContactForm(forms.ModelForm):
    class Meta:
        model = PartyContact
        fields = ["person", "role", "signed_on"]
        widgets = {"signed_on": DateInput()}
        help_texts = {"person": _("A person affiliated with the organisation.")}

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            Person.objects.active()
            .filter(affiliations__organization=party.organization)
            .distinct()
            .order_by("last_name", "first_name")
        )

    def validate_unique(self):
        pass


class TransitionForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"), choices=Agreement.Status.choices)
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to terminate an agreement."),
    )  # fmt: skip


class AmendmentForm(forms.Form):
    note = forms.CharField(label=_("What the amendment changes and why"), widget=forms.Textarea(attrs={"rows": 3}))
    end_date = forms.DateField(label=_("End date"), required=False, widget=DateInput())

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["end_date"].initial = agreement.end_date
        bodies = dict(agreement.sections.values_list("code", "body"))
        for code in SectionCode.values:
            if code in bodies:
                self.fields[f"section_{code}"] = forms.CharField(
                    label=SectionCode(code).label, required=False, initial=bodies[code],
                    widget=forms.Textarea(attrs={"rows": 5}),
                )  # fmt: skip

    def to_data(self) -> dict:
        data = self.cleaned_data
        return {
            "note": data["note"],
            "end_date": data.get("end_date"),
            "sections": {k.removeprefix("section_"): v for k, v in data.items() if k.startswith("section_")},
        }


class NegotiationIssueForm(forms.Form):
    subject = forms.CharField(label=_("Issue negotiated"), max_length=250)
    compromise = forms.CharField(
        label=_("Compromise reached"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A reasonable arrangement that leaves every party better off than the status quo."),
    )  # fmt: skip
    settled_on = forms.DateField(label=_("Settled on"), required=False, widget=DateInput())

    def __init__(self, *args, agreement: Agreement, issue=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parties = list(agreement.parties.select_related("organization"))
        positions = {p.party_id: p for p in issue.positions.all()} if issue else {}
        if issue:
            self.fields["subject"].initial = issue.subject
            self.fields["compromise"].initial = issue.compromise
            self.fields["settled_on"].initial = issue.settled_on
        for party in self.parties:
            known = positions.get(party.pk)
            self.fields[f"initial_{party.pk}"] = forms.CharField(
                label=_("Initial position of %(party)s") % {"party": party.organization}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), initial=known.initial_position if known else "",
            )  # fmt: skip
            self.fields[f"concession_{party.pk}"] = forms.CharField(
                label=_("What %(party)s conceded") % {"party": party.organization}, required=False,
                widget=forms.Textarea(attrs={"rows": 2}), initial=known.concession if known else "",
            )  # fmt: skip

    def to_data(self) -> dict:
        data = self.cleaned_data
        positions = {p: (data.get(f"initial_{p.pk}", ""), data.get(f"concession_{p.pk}", "")) for p in self.parties}
        return {**{k: data.get(k) for k in ("subject", "compromise", "settled_on")}, "positions": positions}


class FundingForm(forms.ModelForm):
    class Meta:
        model = FundingAmount
        fields = ["year", "amount", "funder"]

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = agreement.parties.select_related("organization")
        self.fields["year"].initial = timezone.localdate().year

    def validate_unique(self):
        pass

    def validate_constraints(self, exclude=None):
        pass


class PaymentForm(forms.ModelForm):
    class Meta:
        model = Payment
        fields = ["due_on", "amount", "paid_on"]
        widgets = {"due_on": DateInput(), "paid_on": DateInput()}


class ReportForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["title", "due_on"]
        widgets = {"due_on": DateInput()}
        help_texts = {"title": _("For example: annual activity report 2026-2027.")}


# Say the same as uploads.MAX_SIZE.
FILE_HELP = _("PDF, PNG, JPEG, DOCX or XLSX, 10 MB at most.")


class SubmitReportForm(forms.Form):
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Report file"), required=False, help_text=FILE_HELP)


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices, initial=Attachment.Kind.ANNEX)
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)
