"""Helpers the concertation actions share."""

from typing import Any

from django.db.models import Model


def apply(obj: Model, fields: list[str], data: dict[str, Any]) -> None:
    for name in fields:
        if name in data:
            setattr(obj, name, data[name])
