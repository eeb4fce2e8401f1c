from __future__ import annotations

from django.urls import path

from sharaka.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.login, name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("double-authentification/", views.second_factor, name="second_factor"),
    path(
        "double-authentification/configurer/",
        views.second_factor_setup,
        name="second_factor_setup",
    ),
    path("profil/", views.profile, name="profile"),
    path("profil/jetons/<int:pk>/revoquer/", views.token_revoke, name="token_revoke"),
    path("mot-de-passe/", views.password_change, name="password_change"),
    path("mot-de-passe/change/", views.password_change_done, name="password_change_done"),
    path("mot-de-passe/oubli/", views.password_reset, name="password_reset"),
    path("mot-de-passe/oubli/envoye/", views.password_reset_done, name="password_reset_done"),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/fait/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
]
