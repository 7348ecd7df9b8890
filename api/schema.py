from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from api.errors import FIELD_ERRORS, DetailError

WRITES = ("POST", "PUT", "PATCH", "DELETE")
DIGITS = (r"^\d+$", "^[0-9]+$")
BIGINT_MAX = 2**63 - 1


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Personal token created on the profile page or with `manage.py create_api_token USERNAME`.",
        }


# Declared with @extend_schema(responses={..., **CONFLICT}) on the operations whose object's state can refuse them.
CONFLICT = {
    409: OpenApiResponse(FIELD_ERRORS, description="The object's current state refuses this change (field → messages).")
}


class MaillageAutoSchema(AutoSchema):
    """Every operation documents the error answers api.errors.exception_handler gives, with their bodies."""

    def get_operation(self, *args, **kwargs):
        operation = super().get_operation(*args, **kwargs)
        if operation is not None:
            self._type_integer_parameters(operation)
            self._add_error_responses(operation)
        return operation

    def _type_integer_parameters(self, operation: dict) -> None:
        for parameter in operation.get("parameters", []):
            schema = parameter["schema"]
            # `(?P<item_pk>\d+)` in a custom action's url_path reads as a string of digits; it is an object's id.
            if parameter.get("in") == "path" and schema.get("pattern") in DIGITS:
                schema = parameter["schema"] = {"type": "integer", "minimum": 0}
            # Ids and counts are 64-bit in the databases: a larger number in a path or a filter is refused (4xx).
            if schema.get("type") == "integer":
                schema.setdefault("maximum", BIGINT_MAX)

    def _add_error_responses(self, operation: dict) -> None:
        # Decided on the finished operation, so parameters declared with @extend_schema count as well.
        errors = {"401": (DetailError, "Not signed in, or the token is invalid or revoked.")}
        errors["403"] = (DetailError, "The user may not do this.")
        if self.method in WRITES or any(p.get("in") == "query" for p in operation.get("parameters", [])):
            errors["400"] = (FIELD_ERRORS, "Refused input (field or query parameter → messages).")
        if "{" in self.path or self._get_pagination_parameters():
            errors["404"] = (DetailError, "Not found, or outside what the user may see (a page number past the end).")
        if "requestBody" in operation:
            errors["415"] = (DetailError, "The body is not in one of the documented media types.")
        responses = operation["responses"]
        for code, (body, description) in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(OpenApiResponse(body, description=description), code)
