from __future__ import annotations

from django.http import HttpRequest


def navigation(request: HttpRequest) -> dict[str, str]:
    """Which top-level section the page belongs to, for the highlighted menu entry."""
    path = request.path
    section = ""
    for prefix, name in (
        ("/partenariats/", "partnerships"),
        ("/annuaire/", "directory"),
        ("/portail/", "portal"),
    ):
        if path.startswith(prefix):
            section = name
    return {"nav_section": section}
