"""Writes to a user's own credentials: API tokens. Audited; the profile page, the administration and the
`create_api_token` command all go through here."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from core import audit
from core.models import ApiToken, AuditEvent, User


@transaction.atomic
def create_api_token(acting_user: User, name: str) -> tuple[ApiToken, str]:
    """A new token for the acting user, with their own permissions. Returns it and its clear key (shown once)."""
    if not acting_user.is_authenticated or not acting_user.is_active:
        raise PermissionDenied
    # The same messages as the form's (required, at most 100 characters), on the same field.
    ApiToken(user=acting_user, name=name).full_clean(exclude=["digest", "prefix"], validate_unique=False)
    token, key = ApiToken.issue(acting_user, name)
    audit.record(acting_user, AuditEvent.Action.TOKEN, acting_user, {"created": [None, str(token)]})
    return token, key


@transaction.atomic
def revoke_api_token(acting_user: User, token: ApiToken) -> None:
    """Revoke a token of the acting user's own (an administrator may revoke anyone's, e.g. a leaked one).
    Revoking a revoked token changes nothing and records nothing."""
    if not acting_user.is_authenticated or (token.user_id != acting_user.pk and not acting_user.is_superuser):
        raise PermissionDenied
    # One conditional UPDATE: two concurrent revocations record one event.
    now = timezone.now()
    if ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now):
        token.revoked_at = now
        audit.record(acting_user, AuditEvent.Action.TOKEN, token.user, {"revoked": [str(token), None]})
