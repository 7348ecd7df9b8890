"""Pages that belong to no domain: profile (language, API tokens), passwords, health check."""

import hashlib

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core import actions, audit
from core.forms import ApiTokenForm
from core.models import ApiToken, AuditEvent, User
from core.pages import show_errors


class SignedInRequest(HttpRequest):
    """A request past @login_required (for the type checker)."""

    user: User


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
@require_safe
def profile(request: SignedInRequest) -> HttpResponse:
    form = ApiTokenForm()
    new_key = request.session.pop("new_api_token", None)
    return render(
        request,
        "core/profile.html",
        {"form": form, "tokens": request.user.api_tokens.all(), "new_key": new_key},
    )


@login_required
@require_POST
def create_token(request: SignedInRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            _token, key = actions.create_api_token(request.user, form.cleaned_data["name"])
        except ValidationError as error:
            show_errors(form, error)
        else:
            # Shown once, on the next page, then forgotten: only the digest is stored.
            request.session["new_api_token"] = key
            messages.success(request, _("Token created. Copy it now: it will not be shown again."))
            return redirect("profile")
    return render(request, "core/profile.html", {"form": form, "tokens": request.user.api_tokens.all()}, status=400)


@login_required
@require_POST
def revoke_token(request: SignedInRequest, pk: int) -> HttpResponse:
    # Someone else's token is not found (404): its existence is not revealed.
    actions.revoke_api_token(request.user, get_object_or_404(ApiToken, pk=pk, user=request.user))
    messages.success(request, _("Token revoked."))
    return redirect("profile")


# Passwords ---------------------------------------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    request: SignedInRequest

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(self.request.user, AuditEvent.Action.PASSWORD_CHANGE, self.request.user)
        return response


def over_limit(key: str, limit: int, window: int) -> bool:
    """Count one more hit on `key` in the cache (fixed window of `window` seconds); True past `limit`.
    Several server processes must share the cache (settings.CACHES) for the count to hold across them."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key) > limit
    except ValueError:  # expired between add and incr: this hit opens a new window
        cache.add(key, 1, timeout=window)
        return False


def _hashed(value: str) -> str:
    # Cache keys name no e-mail or IP address in clear (a shared cache may be read by other services).
    return hashlib.sha256(value.encode()).hexdigest()


class PasswordResetView(auth_views.PasswordResetView):
    """Throttled twice (settings.PASSWORD_RESET_LIMITS): per client address, an explicit 429; per e-mail address,
    silently — past the limit the page says the same as always but sends nothing, so no one learns whether the
    address has an account, nor floods its owner's mailbox."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        limit, window = settings.PASSWORD_RESET_LIMITS["client"]
        if over_limit(f"password-reset:client:{_hashed(audit.client_ip(request) or '')}", limit, window):
            form = self.get_form()
            form.is_valid()  # its own errors, if any, are shown too
            form.add_error(None, _("Too many requests from your network. Try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        email = form.cleaned_data["email"]
        limit, window = settings.PASSWORD_RESET_LIMITS["address"]
        if over_limit(f"password-reset:address:{_hashed(email.strip().lower())}", limit, window):
            return HttpResponseRedirect(self.get_success_url())
        for user in form.get_users(email):
            # On the account's history; the requester is unknown (not signed in), their address is kept.
            audit.record(None, AuditEvent.Action.PASSWORD_RESET_REQUEST, user)
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(form.user, AuditEvent.Action.PASSWORD_RESET, form.user)
        # Whoever proved they own the address may sign in again at once with the new password.
        axes_reset(username=form.user.get_username())
        return response


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
