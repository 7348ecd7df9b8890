"""The checks actions make before they write: the user's permission, and the scope of every object referenced.

Messages never name the refused object: a user must not learn, from an error, what lies outside their scope.
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext as _


def require(user, perm: str, obj: Model | None = None, why: str | Promise = "") -> None:
    """Raise PermissionDenied unless the user holds `perm` (on `obj` when given). `why` tells the user the rule they
    met (shown on the 403 page and in the API's `detail`); it must name nothing the user may not see."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied(why)


def within(allowed: QuerySet, objects: Iterable[Model | None] | Model | None, field: str) -> None:
    """Raise a ValidationError on `field` unless every given object is in `allowed` (the user's scope).

    None and empty lists pass: whether a field is required is the form's or the model's business."""
    if objects is None or isinstance(objects, Model):
        objects = [objects]
    wanted = {obj.pk for obj in objects if obj is not None}
    if not wanted:
        return
    found = set(allowed.filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - found:
        raise ValidationError({field: _("Choose among the options offered: this choice is not available to you.")})


def check_dates(start: datetime.date | None, end: datetime.date | None, field: str = "end_date") -> None:
    """The end on or after the start, said on the end field (the database constraint behind it would say it above
    the form, with no field)."""
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})
