from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from agreements.views import register as agreement_views
from core import views as core_views
from registry import views as registry_views

admin.site.site_header = _("Maillage administration")
admin.site.site_title = _("Maillage")

urlpatterns = [
    path("", registry_views.home, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", core_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("accounts/password/reset/", core_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        core_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/profile/", core_views.profile, name="profile"),
    path("accounts/tokens/", core_views.create_token, name="token_create"),
    path("accounts/tokens/<int:pk>/revoke/", core_views.revoke_token, name="token_revoke"),
    path("language/", core_views.set_language, name="set_language"),
    path("healthz", core_views.healthz, name="healthz"),
    path("public/organisations/<int:pk>/", registry_views.public_organization, name="public_organization"),
    path("registry/", include("registry.urls")),
    path("concertation/", include("concertation.urls")),
    path("agreements/", include("agreements.urls")),
    path("evaluation/", include("evaluation.urls")),
    path("public/agreements/<int:pk>/", agreement_views.public_agreement, name="public_agreement"),
    path("api/v1/", include("api.urls")),
    path("admin/", admin.site.urls),
]
