from django import forms
from django.utils.translation import gettext_lazy as _

END_BEFORE_START = _("The end date cannot be before the start date.")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DatedForm(forms.ModelForm):
    """End date on or after start date, said next to the end date; the action checks it again."""

    def clean(self):
        super().clean()
        start, end = self.cleaned_data.get("start_date"), self.cleaned_data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", END_BEFORE_START)
        return self.cleaned_data

    def validate_constraints(self, exclude=None):
        # The database constraints are checked by the action (full_clean) with the same message.
        pass


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=100, help_text=_("What the token is for, e.g. “Power BI report”.")
    )
