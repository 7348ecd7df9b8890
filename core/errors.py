"""The exceptions every action raises, so pages and the API answer the same way.

- `django.core.exceptions.PermissionDenied`: the user may not do this (403).
- `django.core.exceptions.ValidationError`: the input is refused, by field (400).
- `Conflict`: the object's state refuses the change (a signature with empty sections, a meeting already held: 409).
- `django.http.Http404`: the object is outside the user's scope (404, and nothing about it is said).
"""

from typing import Any

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """A change the object's current state refuses; `extra` carries machine-readable details for the API."""

    def __init__(self, message: Any, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.extra = extra or {}


def error_dict(error: ValidationError, non_field_key: str = "non_field_errors") -> dict[str, list[str]]:
    """Field → messages, with the errors not tied to a field under `non_field_key`."""
    if hasattr(error, "error_dict"):
        return {(non_field_key if k == "__all__" else k): v for k, v in error.message_dict.items()}
    return {non_field_key: error.messages}
