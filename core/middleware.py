from collections.abc import Callable
from contextvars import ContextVar

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse

from core import audit, mail


class UserLanguageMiddleware:
    """Signed-in users get the language saved on their profile, so the switch follows them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated and user.language:
            request.COOKIES[settings.LANGUAGE_COOKIE_NAME] = user.language
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Pages seen by a signed-in user may show personal information: never cache them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.headers.get("Authorization"):
            response["Cache-Control"] = "no-store, private"
        return response


class QueryCountHeaderMiddleware:
    """Benchmark aid (enabled by MAILLAGE_QUERY_COUNT_HEADER=1): X-Query-Count on every response."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        response["X-Query-Count"] = str(count)
        return response


# What a read request computes once and reuses (e.g. evaluation's data stamp); None outside a read request, so
# a write never reads a value from before it.
read_memo: ContextVar[dict | None] = ContextVar("read_memo", default=None)


class AuditContextMiddleware:
    """Makes the client address (for the audit log) and the site address (for links in e-mail) known to actions
    for the length of the request, and gives a read request its memo."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        address = audit.client_address.set(audit.client_ip(request))
        root = mail.site_root.set(request.build_absolute_uri("/"))
        memo = read_memo.set({} if request.method in ("GET", "HEAD") else None)
        try:
            return self.get_response(request)
        finally:
            audit.client_address.reset(address)
            mail.site_root.reset(root)
            read_memo.reset(memo)
