from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend


class LockoutBackend(AxesStandaloneBackend, ModelBackend):
    """django-axes must come first to refuse locked-out logins; it also loads session users, so that
    `login()` and the test client's `force_login()` can name it as the session's backend."""

    def authenticate(self, request, **credentials):
        return AxesStandaloneBackend.authenticate(self, request, **credentials)
