"""Forms of the agreement pages. They hand cleaned data to agreements.actions."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from agreements import rules
from agreements.actions import legal_bases
from agreements.models import (
    Agreement,
    Attachment,
    FundingAmount,
    LegalBasis,
    Party,
    PartyContact,
    Payment,
    Report,
    SectionCode,
)
from concertation.models import ActionPlan, Instance
from concertation.rules import instances_for
from core.forms import DateInput
from registry.models import Organization, Territory


class InputForm(forms.ModelForm):
    """A model form that only shapes input: the action validates the object (its full_clean and rules) and says
    what is wrong on which field, so the page and the API refuse the same input the same way."""

    def _post_clean(self):
        pass


class AgreementForm(InputForm):
    """Offers the RLS where the user drafts and their organisations, and the instances the user sees there; the
    action decides (parties of the chosen RLS, the representative's own organisation among them, dates…)."""

    parties = forms.ModelMultipleChoiceField(
        label=_("Parties"), queryset=Organization.objects.none(), widget=forms.CheckboxSelectMultiple,
        help_text=_("At least two organisations of the RLS: usually the institution and one or more partners."),
    )  # fmt: skip

    class Meta:
        model = Agreement
        fields = [
            "title", "kind", "rls", "parties", "drafted_on", "legal_basis", "summary", "start_date", "end_date",
            "renewal_terms", "joint_committee", "instances", "action_plans", "reminder_days", "is_public",
            "shares_personal_information", "financial_resources_not_applicable", "financial_resources_reason",
        ]  # fmt: skip
        widgets = {
            "drafted_on": DateInput(),
            "financial_resources_reason": forms.Textarea(attrs={"rows": 2}),
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
            "drafted_on": _(
                "The agreement rests on the law in force on this day. Give an earlier day only for an agreement "
                "drafted before it is recorded here."
            ),
            "legal_basis": _("The basis of this kind in force on the drafting date or on the signing date."),
            "financial_resources_not_applicable": _(
                "Only when the agreement records no amount: the financial resources section is then not required."
            ),
            "financial_resources_reason": _("Required when the financial resources are without object."),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            rls = Territory.objects.filter(pk=self.instance.rls_id)
            del self.fields["parties"]
            del self.fields["drafted_on"]
            self.fields["rls"].disabled = True
            # The action accepts these: the kind's basis in force on the drafting or signing date.
            allowed = [basis.pk for basis in legal_bases.allowed_bases(self.instance)]
            if allowed:
                self.fields["legal_basis"].queryset = LegalBasis.objects.filter(pk__in=allowed)
                self.fields["legal_basis"].required = False
                self.fields["legal_basis"].empty_label = None
            else:  # a kind without a basis (a protocol): nothing to choose
                del self.fields["legal_basis"]
        else:
            del self.fields["legal_basis"]
            self.fields["drafted_on"].required = False
            self.fields["drafted_on"].initial = timezone.localdate
            rls = rules.drafting_rls_for(user)
            self.fields["parties"].queryset = Organization.objects.active().filter(rls__in=rls).order_by("name")
        self.fields["rls"].queryset = rls
        if len(rls) == 1:
            self.fields["rls"].initial = rls[0]
        visible = instances_for(user).filter(rls__in=rls).order_by("name")
        self.fields["joint_committee"].queryset = visible.filter(kind=Instance.Kind.JOINT_COMMITTEE)
        self.fields["instances"].queryset = visible
        self.fields["instances"].required = False
        self.fields["action_plans"].queryset = ActionPlan.objects.filter(instance__in=visible).order_by("title")
        self.fields["action_plans"].required = False


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


class PartyForm(InputForm):
    class Meta:
        model = Party
        fields = ["organization", "role"]
        help_texts = {"role": _("For example: institution, service provider, funder.")}

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        taken = agreement.parties.values("organization_id")
        self.fields["organization"].queryset = rules.organizations_of(agreement.rls_id).exclude(pk__in=taken)


class ContactForm(InputForm):
    evidence = forms.FileField(
        label=_("Signed page"), required=False,
        help_text=_(
            "Required when you record the signature of an organisation you do not represent. PDF, PNG, JPEG, DOCX "
            "or XLSX, 10 MB at most."
        ),
    )  # fmt: skip

    class Meta:
        model = PartyContact
        fields = ["person", "role", "signed_on"]
        widgets = {"signed_on": DateInput()}
        help_texts = {"person": _("A person currently affiliated with the organisation.")}

    def __init__(self, *args, party: Party, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = rules.people_of(party.organization_id)


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


class FundingForm(InputForm):
    class Meta:
        model = FundingAmount
        fields = ["year", "amount", "funder"]

    def __init__(self, *args, agreement: Agreement, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = agreement.parties.select_related("organization")
        self.fields["year"].initial = timezone.localdate().year


class PaymentForm(InputForm):
    class Meta:
        model = Payment
        fields = ["due_on", "amount", "paid_on"]
        widgets = {"due_on": DateInput(), "paid_on": DateInput()}


class ReportForm(InputForm):
    class Meta:
        model = Report
        fields = ["title", "due_on"]
        widgets = {"due_on": DateInput()}
        help_texts = {"title": _("For example: annual activity report 2026-2027.")}


# Say the same as uploads.MAX_SIZE.
FILE_HELP = _("PDF, PNG, JPEG, DOCX or XLSX, 10 MB at most.")
CONFIDENTIAL_HELP = _(
    "Only the parties, the RLS coordinators and the administrators will see it: not the other readers of the "
    "agreement (analysts, members of the concertation reading a public body's signed agreement)."
)


def confidential_field() -> forms.BooleanField:
    return forms.BooleanField(label=_("Confidential"), required=False, help_text=CONFIDENTIAL_HELP)


class SubmitReportForm(forms.Form):
    submitted_on = forms.DateField(label=_("Submitted on"), widget=DateInput(), initial=timezone.localdate)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("Report file"), required=False, help_text=FILE_HELP)
    confidential = confidential_field()


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Attachment.Kind.choices, initial=Attachment.Kind.ANNEX)
    file = forms.FileField(label=_("File"), help_text=FILE_HELP)
    confidential = confidential_field()
