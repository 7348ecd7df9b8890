from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit, get_lockout_parameters
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Sum


class LockoutBackend(AxesStandaloneBackend, ModelBackend):
    """The one authentication backend: django-axes refuses locked-out logins, then the password is checked.
    It also loads session users, so `login()` and the test client's `force_login()` can name it."""

    def authenticate(self, request, username=None, password=None, **credentials):
        AxesStandaloneBackend.authenticate(self, request, username, password, **credentials)  # raises when locked out
        return ModelBackend.authenticate(self, request, username, password, **credentials)

    # Permissions come from django-rules (and is_superuser), not from Django's groups and permission
    # tables: answering here would cost two queries per request for nothing.
    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()


class LockoutHandler(AxesDatabaseHandler):
    """django-axes with two limits instead of one: AXES_FAILURE_LIMIT failures for one username from one address
    (someone mistyping, or guessing one account's password), and LOGIN_FAILURE_LIMIT_PER_CLIENT failures from one
    address whatever the usernames (one password sprayed across many accounts). Axes applies a single limit to the
    largest count of its AXES_LOCKOUT_PARAMETERS; here the "ip_address" entry's count is measured against its own,
    higher limit, the others against AXES_FAILURE_LIMIT. Both counts cover the cool-off period (AXES_COOLOFF_TIME)."""

    def get_failures(self, request, credentials: dict | None = None) -> int:
        counts = {
            str(parameter): attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for parameter, attempts in zip(
                get_lockout_parameters(request, credentials), self.get_user_attempts(request, credentials), strict=True
            )
        }
        per_client = counts.pop("ip_address", 0)
        per_account = max(counts.values(), default=0)
        if per_client >= settings.LOGIN_FAILURE_LIMIT_PER_CLIENT:
            # Locked for every username: answer a count the single limit refuses.
            return max(per_account, get_failure_limit(request, credentials))
        return per_account
