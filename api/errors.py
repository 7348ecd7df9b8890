"""One translation of the actions' exceptions into HTTP answers, for every endpoint.

ValidationError → 400 (field → messages, in the caller's language), PermissionDenied → 403, Http404 → 404,
core.errors.Conflict → 409 (with its machine-readable details). The schema documents the same bodies.
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import resolve
from django.views.decorators.csrf import csrf_exempt
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
    elif isinstance(exc, Http404):
        # Django's message names the model ("No Organization matches…"), in English: say "not found", translated.
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, list):
        # `raise serializers.ValidationError("…")` outside a field: the same shape as every other refusal.
        response.data = {api_settings.NON_FIELD_ERRORS_KEY: response.data}
    return response


@csrf_exempt  # token-authenticated clients send no CSRF cookie; this view writes nothing
def not_found(request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """Any other address under /api/v1/ (`/people/1.5/`): the API's 404 body rather than the site's HTML page."""
    with_slash = request.path_info + "/"
    if not request.path_info.endswith("/") and resolve(with_slash).func is not not_found:
        # What CommonMiddleware's APPEND_SLASH did before this catch-all matched everything (`/api/v1/docs`).
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    body = {"detail": str(exceptions.NotFound.default_detail)}
    return JsonResponse(body, status=status.HTTP_404_NOT_FOUND, json_dumps_params={"ensure_ascii": False})


class DetailError(serializers.Serializer):
    detail = serializers.CharField(help_text="Why the request was refused, in the caller's language.")


# Field → messages; `non_field_errors` for errors not tied to one field. Nested inputs (a list of affiliations)
# answer, for their field, one such object per item (a list, or an object keyed by the item's position), hence the
# open value type. Extra keys carry machine-readable details (`missing_sections` of a refused signature). A body
# that cannot be read at all (malformed JSON) answers `detail` alone.
FIELD_ERRORS = {
    "type": "object",
    "description": "Each refused field (or `non_field_errors`) with its messages, in the caller's language.",
    "properties": {"detail": {"type": "string", "description": "Why the request body could not be read."}},
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
}
