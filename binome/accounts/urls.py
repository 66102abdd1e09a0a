from django.contrib.auth import views as auth_views
from django.urls import path

from binome.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("login/code/", views.two_factor_verify, name="two_factor_verify"),
    path("security/", views.security, name="security"),
    path("security/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "security/sessions/<int:session_id>/logout/",
        views.session_revoke,
        name="session_revoke",
    ),
    path(
        "security/sessions/logout-others/",
        views.sessions_revoke_others,
        name="sessions_revoke_others",
    ),
    path("security/two-step/set-up/", views.two_factor_enrol, name="two_factor_enrol"),
    path(
        "security/two-step/recovery-codes/",
        views.two_factor_recovery_codes,
        name="two_factor_recovery_codes",
    ),
    path("security/two-step/turn-off/", views.two_factor_disable, name="two_factor_disable"),
]
