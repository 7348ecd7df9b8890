"""Forms of the priority exercise pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from concertation import rules as scope
from concertation.forms import InputForm
from concertation.models import Candidate, PriorityExercise, Workshop
from registry.models import Person


class ExerciseForm(InputForm):
    class Meta:
        model = PriorityExercise
        fields = ["title", "description", "method", "points_per_voter", "threshold", "secret"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def candidate_proposers(exercise: PriorityExercise):
    """Whom a coordinator may name as proposer: the instance's member organisations and the RLS's other
    instances (local committees bring priorities to the assembly)."""
    instance = exercise.instance
    members = instance.memberships.values("organization")
    organizations = scope.organizations_of(instance).filter(pk__in=members).order_by("name")
    return organizations, scope.instances_of(instance).exclude(pk=instance.pk).order_by("name")


class CandidateForm(InputForm):
    class Meta:
        model = Candidate
        fields = ["title", "description", "origin", "proposed_by", "proposed_by_instance"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, exercise: PriorityExercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposed_by"].queryset, self.fields["proposed_by_instance"].queryset = candidate_proposers(
            exercise
        )


class ProposalForm(InputForm):
    """A member's proposal: on behalf of an organisation they represent or a committee they coordinate."""

    class Meta:
        model = Candidate
        fields = ["title", "description", "origin", "proposed_by", "proposed_by_instance"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, organizations, committees, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].initial = Candidate.Origin.LOCAL_ACTORS
        self.fields["proposed_by"].queryset = organizations
        self.fields["proposed_by_instance"].queryset = committees
        if not committees.exists():
            del self.fields["proposed_by_instance"]
        if not organizations.exists():
            del self.fields["proposed_by"]


class WorkshopForm(InputForm):
    class Meta:
        model = Workshop
        fields = ["name", "participants"]
        widgets = {"participants": forms.CheckboxSelectMultiple}

    def __init__(self, *args, voters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["participants"].queryset = voters.order_by("last_name", "first_name")


class SelectionForm(forms.Form):
    candidates = forms.ModelMultipleChoiceField(
        label=_("Priorities chosen by the team"), queryset=Candidate.objects.none(),
        widget=forms.CheckboxSelectMultiple, required=False,
    )  # fmt: skip

    def __init__(self, *args, exercise: PriorityExercise, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidates"].queryset = exercise.candidates.order_by("pk")


class BallotForm(forms.Form):
    """Approval: a box per priority. Points: a number per priority, at most the allowance in total."""

    voter = forms.ModelChoiceField(label=_("Participant"), queryset=Person.objects.none())

    def __init__(self, *args, exercise: PriorityExercise, candidates, voters, fixed_voter: Person | None = None, **kw):
        super().__init__(*args, **kw)
        self.exercise = exercise
        self.fields["voter"].queryset = voters.order_by("last_name", "first_name")
        if fixed_voter is not None:
            self.fields["voter"].initial = fixed_voter.pk
            self.fields["voter"].widget = forms.HiddenInput()
        self.candidates = list(candidates)
        for candidate in self.candidates:
            name = f"c{candidate.pk}"
            if exercise.method == PriorityExercise.Method.APPROVAL:
                self.fields[name] = forms.BooleanField(label=candidate.title, required=False)
            else:
                self.fields[name] = forms.IntegerField(
                    label=candidate.title, required=False, min_value=0, max_value=exercise.points_per_voter
                )

    def choices(self) -> dict[int, int]:
        values = {c.pk: self.cleaned_data.get(f"c{c.pk}") for c in self.candidates}
        return {pk: int(v) for pk, v in values.items() if v}
