from __future__ import annotations

from django.urls import path

from sharaka.directory import views

app_name = "directory"
urlpatterns = [
    path("organisations/", views.organization_list, name="organization_list"),
    path("organisations/nouvelle/", views.organization_create, name="organization_create"),
    path("organisations/<int:pk>/", views.organization_detail, name="organization_detail"),
    path("organisations/<int:pk>/modifier/", views.organization_edit, name="organization_edit"),
    path(
        "organisations/<int:pk>/historique/",
        views.organization_history,
        name="organization_history",
    ),
    path("personnes/", views.person_list, name="person_list"),
    path("personnes/nouvelle/", views.person_create, name="person_create"),
    path("personnes/<int:pk>/", views.person_detail, name="person_detail"),
    path("personnes/<int:pk>/modifier/", views.person_edit, name="person_edit"),
    path("personnes/<int:pk>/historique/", views.person_history, name="person_history"),
]
