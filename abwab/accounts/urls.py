from django.contrib.auth import views as auth_views
from django.urls import path

from abwab.accounts import views, views_tokens

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("confirm/", views.reauthenticate, name="reauthenticate"),
    path("tokens/", views_tokens.tokens, name="tokens"),
]
