from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from api.errors import FIELD_ERRORS, DetailError

WRITES = ("POST", "PUT", "PATCH", "DELETE")


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

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        errors = {"401": (DetailError, "Not signed in, or the token is invalid or revoked.")}
        errors["403"] = (DetailError, "The user may not do this.")
        if self.method in WRITES or self._get_filter_parameters() or self._get_pagination_parameters():
            errors["400"] = (FIELD_ERRORS, "Refused input (field or query parameter → messages).")
        if "{" in self.path or self._get_pagination_parameters():
            errors["404"] = (DetailError, "Not found, or outside what the user may see (a page number past the end).")
        for code, (body, description) in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(OpenApiResponse(body, description=description), code)
        return responses
