from __future__ import annotations

from django.urls import path

from sharaka.audit import views

app_name = "audit"
_P = "partenariats/<slug:slug>/finances/controles/"
urlpatterns = [
    path(_P, views.checks, name="checks"),
    path(f"{_P}lancer/", views.run, name="run"),
]
