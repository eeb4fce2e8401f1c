from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from sharaka.api import api

urlpatterns = [
    path("", include("sharaka.partnerships.urls")),
    path("", include("sharaka.governance.urls")),
    path("", include("sharaka.conventions.urls")),
    path("", include("sharaka.meetings.urls")),
    path("", include("sharaka.planning.urls")),
    path("", include("sharaka.structure.urls")),
    path("", include("sharaka.competences.urls")),
    path("", include("sharaka.closure.urls")),
    path("", include("sharaka.finance.urls")),
    path("", include("sharaka.partners.urls")),
    path("", include("sharaka.transparency.urls")),
    path("", include("sharaka.evaluation.urls")),
    path("", include("sharaka.opendata.urls")),
    path("", include("sharaka.audit.urls")),
    path("", include("sharaka.observatory.urls")),
    path("comptes/", include("sharaka.accounts.urls")),
    path("annuaire/", include("sharaka.directory.urls")),
    path("recherche/", include("sharaka.core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler400 = "sharaka.core.views.error_400"
handler403 = "sharaka.core.views.error_403"
handler404 = "sharaka.core.views.error_404"
handler500 = "sharaka.core.views.error_500"
