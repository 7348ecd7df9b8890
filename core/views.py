"""Pages that belong to no domain: home, profile (language, API tokens), errors."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import audit
from core.forms import ApiTokenForm
from core.models import ApiToken, AuditEvent


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; for a signed-in user the choice is saved on the profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            request.user.language = language
            request.user.save(update_fields=["language"])
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm()
    new_key = request.session.pop("new_api_token", None)
    return render(
        request,
        "core/profile.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key},
    )


@login_required
@require_POST
def create_token(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return render(request, "core/profile.html", {"form": form, "tokens": request.user.api_tokens.all()}, status=400)
    token, key = ApiToken.issue(request.user, form.cleaned_data["name"])
    audit.record(request.user, AuditEvent.Action.TOKEN, request.user, {"created": [None, str(token)]}, request)
    # Shown once, on the next page, then forgotten: only the digest is stored.
    request.session["new_api_token"] = key
    messages.success(request, _("Token created. Copy it now: it will not be shown again."))
    return redirect("profile")


@login_required
@require_POST
def revoke_token(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(request.user, AuditEvent.Action.TOKEN, request.user, {"revoked": [str(token), None]}, request)
    messages.success(request, _("Token revoked."))
    return redirect("profile")


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
