"""One translation of the actions' exceptions into HTTP answers, for every endpoint.

ValidationError → 400 (field → messages, in the caller's language), PermissionDenied → 403, Http404 → 404,
core.errors.Conflict → 409 (with its machine-readable details). The schema documents the same bodies.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import Conflict, error_dict


def exception_handler(exc, context):
    if isinstance(exc, Conflict):
        body = {**error_dict(exc, api_settings.NON_FIELD_ERRORS_KEY), **exc.extra}
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(error_dict(exc, api_settings.NON_FIELD_ERRORS_KEY))
    return drf_exception_handler(exc, context)


class DetailError(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused, in the caller's language.")


# Field → messages; `non_field_errors` for errors not tied to one field. Nested inputs (a list of affiliations)
# answer a list with one such object per item, hence the open item type. Extra keys carry machine-readable details
# (`missing_sections` of a refused signature).
FIELD_ERRORS = {
    "type": "object",
    "description": "Each refused field (or `non_field_errors`) with its messages, in the caller's language.",
    "additionalProperties": {"type": "array", "items": {}},
}
