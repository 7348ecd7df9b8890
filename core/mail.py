"""Mail helpers shared by every module: links that work outside the site, the recipient's language, sending
only once the transaction has committed."""

from contextvars import ContextVar
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction

# The address the current request came to (scheme and host), set by core.middleware.AuditContextMiddleware; a
# command or a task has none and uses SITE_URL.
site_root: ContextVar[str | None] = ContextVar("site_root", default=None)


def absolute_url(path: str) -> str:
    root = site_root.get() or str(getattr(settings, "SITE_URL", ""))
    return root.rstrip("/") + path


def recipient_language(person) -> str:
    """The language of the person's account if they have one, else French (the platform's first language)."""
    account = person.account if person.account_id else None
    language = getattr(account, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _send(messages: list[EmailMessage]) -> None:
    get_connection().send_messages(messages)


def send_after_commit(messages: list[EmailMessage]) -> int:
    """Queue the messages to leave once the transaction commits; a mail server failure is logged (robust), the
    write stands and can be retried by the user."""
    if messages:
        transaction.on_commit(partial(_send, messages), robust=True)
    return len(messages)
