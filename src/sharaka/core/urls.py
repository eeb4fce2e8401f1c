from __future__ import annotations

from django.urls import path

from sharaka.core import views

app_name = "core"

urlpatterns = [
    path("<slug:name>/", views.lookup, name="lookup"),
]
