from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend, ModelBackend):
    """The one authentication backend: django-axes refuses locked-out logins, then the password is checked.
    It also loads session users, so `login()` and the test client's `force_login()` can name it."""

    def authenticate(self, request, **credentials):
        AxesStandaloneBackend.authenticate(self, request, **credentials)  # raises when locked out
        return ModelBackend.authenticate(self, request, **credentials)

    # Permissions come from django-rules (and is_superuser), not from Django's groups and permission
    # tables: answering here would cost two queries per request for nothing.
    def get_user_permissions(self, user_obj, obj=None) -> set:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set:
        return set()
