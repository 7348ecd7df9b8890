"""Every sign-in success, failure and sign-out goes to the audit log."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from core import audit
from core.models import AuditEvent


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    audit.record(user, AuditEvent.Action.LOGIN, user, request=request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        audit.record(user, AuditEvent.Action.LOGOUT, user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Only the attempted username is kept, never the password.
    audit.record(
        None, AuditEvent.Action.LOGIN_FAILED, request=request, label=str(credentials.get("username", ""))[:150]
    )
