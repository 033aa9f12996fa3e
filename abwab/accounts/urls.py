from django.contrib.auth import views as auth_views
from django.urls import path

from abwab.accounts import views, views_reset, views_tokens

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("confirm/", views.reauthenticate, name="reauthenticate"),
    path("tokens/", views_tokens.tokens, name="tokens"),
    path("password/", views_reset.PasswordChangeView.as_view(), name="password_change"),
    path("password/reset/", views_reset.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password/reset/sent/",
        views_reset.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/done/",
        views_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]
