"""Notes beside the diagnosis: annotating a placement (agree, contest, comment) and deleting a note.

The caller passes the placement it showed (the page) or read from the current diagnosis (the API); the action
checks who may annotate, that the dimension is one of the diagnosis', and the note itself, and says what is wrong
by field."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concertation.models import Instance
from core import audit, guard
from core.models import AuditEvent
from evaluation import rules as scope
from evaluation.diagnosis.rules import DIMENSIONS
from evaluation.models import PlacementNote
from evaluation.models.notes import NOTE_MAX_LENGTH, PLACEMENT_MAX_LENGTH
from registry.models import Territory

NOTE_FIELDS = ["dimension", "placement", "year", "stance", "text", "author_organization"]
FIRST_YEAR = 1900


def year_refusal(year: int | None) -> str | None:
    """Why a diagnosis cannot be read for this year (None when it can): a calendar year up to this one."""
    this_year = timezone.localdate().year
    if year is None or FIRST_YEAR <= year <= this_year:
        return None
    return _("Choose a year between %(first)s and %(last)s.") % {"first": FIRST_YEAR, "last": this_year}


def dimensions_of(kind: str) -> list[str]:
    """The dimensions a diagnosis of this kind ("instance" or "rls") places, in the engine's order."""
    return [code for code, dimension in DIMENSIONS.items() if kind in dimension.scopes]


def _check(kind: str, dimension: str, placement: str, stance: str, text: str, year: int | None) -> None:
    errors: dict[str, str] = {}
    refusal = year_refusal(year)
    if refusal:
        errors["year"] = refusal
    if dimension not in dimensions_of(kind):
        errors["dimension"] = _("Choose one of the dimensions of the diagnosis.")
    if stance not in PlacementNote.Stance.values:
        errors["stance"] = _("Say whether you agree, contest or comment.")
    if not text:
        errors["text"] = _("Write your note.")
    elif len(text) > NOTE_MAX_LENGTH:
        errors["text"] = _("A note holds at most %(max)s characters.") % {"max": NOTE_MAX_LENGTH}
    if not placement or len(placement) > PLACEMENT_MAX_LENGTH:
        errors.setdefault("dimension", _("This dimension has no placement to annotate."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def annotate_placement(
    acting_user, *, instance: Instance | None = None, rls: Territory | None = None, dimension: str, placement: str,
    stance: str, text: str, year: int | None = None,
) -> PlacementNote:  # fmt: skip
    """A note beside one dimension of an instance's diagnosis, or of an RLS's (`instance` None)."""
    if instance is not None:
        why = _("Only the coordinators and the members of the instance annotate its diagnosis.")
        guard.require(acting_user, "evaluation.annotate_instance_diagnosis", instance, why)
        rls = instance.rls
    elif rls is not None:
        why = _("Only the coordinators of the RLS and the representatives of its organisations annotate its diagnosis.")
        guard.require(acting_user, "evaluation.annotate_rls_diagnosis", rls, why)
    else:
        raise ValueError("Annotate the diagnosis of an instance or of an RLS.")
    text = (text or "").strip()
    _check("instance" if instance is not None else "rls", dimension, placement, stance, text, year)
    note = PlacementNote.objects.create(
        rls=rls, instance=instance, dimension=dimension, placement=placement, year=year, stance=stance, text=text,
        author=acting_user, author_organization=scope.speaks_for(acting_user, instance=instance, rls=rls),
    )  # fmt: skip
    audit.record(acting_user, AuditEvent.Action.CREATE, note, audit.diff({}, audit.snapshot(note, NOTE_FIELDS)))
    return note


@transaction.atomic
def delete_note(acting_user, note: PlacementNote) -> None:
    guard.require(
        acting_user, "evaluation.delete_placementnote", note, _("Only its author or a coordinator deletes a note.")
    )
    gone = {name: [value, None] for name, value in audit.snapshot(note, NOTE_FIELDS).items()}
    audit.record(acting_user, AuditEvent.Action.DELETE, note, gone)
    note.delete()
