"""Helpers the concertation actions share."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _


def apply(obj: Model, fields: list[str], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])


def check_dates(start: datetime.date | None, end: datetime.date | None, field: str = "end_date") -> None:
    """Said on the end field before full_clean, whose database constraint would say it above the form."""
    if start and end and end < start:
        raise ValidationError({field: _("The end date cannot be before the start date.")})
