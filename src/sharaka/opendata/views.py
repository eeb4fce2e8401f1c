"""The open data, without login: the catalogue page, the CSV datasets (streamed), the Data
Package descriptor, DCAT metadata, Popolo JSON per public partnership, IATI XML; and the
portal's PDF of a public partnership's convention in force.

Every URL name starts with ``public_`` and sits in the ``opendata`` namespace: its reads go
to the read replica when there is one (``config/replica.py``)."""

from __future__ import annotations

import json
from collections.abc import Iterator

from django.http import (
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from sharaka.conventions import renderers
from sharaka.conventions.selectors import version_in_force_get
from sharaka.core.errors import NotFound
from sharaka.opendata import catalogue, datasets, iati, popolo, selectors

JSON_LD = "application/ld+json"


@require_GET
def public_catalogue(request: HttpRequest) -> HttpResponse:
    view = catalogue.catalogue_view_get()
    metadata = catalogue.dcat(view, request.build_absolute_uri)
    return render(
        request,
        "opendata/pages/catalogue.html",
        {
            "catalogue": view,
            "jsonld": json.dumps(metadata, ensure_ascii=False).replace("<", "\\u003c"),
        },
    )


@require_GET
def public_catalogue_jsonld(request: HttpRequest) -> HttpResponse:
    metadata = catalogue.dcat(catalogue.catalogue_view_get(), request.build_absolute_uri)
    return JsonResponse(metadata, content_type=JSON_LD, json_dumps_params={"ensure_ascii": False})


@require_GET
def public_datapackage(request: HttpRequest) -> HttpResponse:
    return JsonResponse(datasets.datapackage(), json_dumps_params={"ensure_ascii": False})


@require_GET
def public_dataset(request: HttpRequest, filename: str) -> StreamingHttpResponse:
    name, _dot, extension = filename.rpartition(".")
    dataset = datasets.BY_NAME.get(name)
    if dataset is None or extension != "csv":
        raise NotFound()
    response = StreamingHttpResponse(
        datasets.csv_chunks(dataset), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{dataset.filename}"'
    return response


def _index_chunks() -> Iterator[bytes]:
    yield b"["
    rows = selectors.public_partnerships().order_by("slug", "pk").values_list("slug", "title")
    for n, (slug, title) in enumerate(rows.iterator(chunk_size=datasets.CHUNK)):
        item = {"slug": slug, "title": title, "popolo": f"{slug}.json"}
        yield (b"," if n else b"") + json.dumps(item, ensure_ascii=False).encode("utf-8")
    yield b"]"


@require_GET
def public_popolo_index(request: HttpRequest) -> StreamingHttpResponse:
    return StreamingHttpResponse(_index_chunks(), content_type="application/json")


@require_GET
def public_popolo(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = selectors.public_partnership_get(slug=slug)
    document = popolo.partnership_popolo(partnership=partnership)
    return JsonResponse(document, json_dumps_params={"ensure_ascii": False})


@require_GET
def public_iati(request: HttpRequest, slug: str | None = None) -> HttpResponse:
    publications = selectors.iati_publications(slug=slug)
    if not publications.exists():  # the schema wants at least one activity
        raise NotFound()
    return HttpResponse(
        iati.activities(publications), content_type="application/xml; charset=utf-8"
    )


@require_GET
def public_convention(request: HttpRequest, slug: str) -> HttpResponse:
    """The text of the convention in force of a published partnership, as a PDF rendered
    from its signed version (never an uploaded document); 404 when none is in force."""
    partnership = selectors.public_partnership_get(slug=slug)
    version = version_in_force_get(partnership=partnership, at=timezone.localdate())
    if version is None:
        raise NotFound()
    lang = request.GET.get("lang", translation.get_language() or "fr")[:2]
    if lang not in renderers.LANGS:
        lang = "fr"
    data = renderers.render_version(version, "pdf", lang)
    response = HttpResponse(data, content_type=renderers.FORMATS["pdf"])
    name = renderers.filename(version, "pdf", lang)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response
