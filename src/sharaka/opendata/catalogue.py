"""The catalogue of the open data: every dataset with its formats, last update and licence,
as a page (view model) and as DCAT metadata in JSON-LD (``/open-data/catalog.jsonld``,
also embedded in the page)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from sharaka.opendata import selectors
from sharaka.opendata.datasets import DATASETS, LICENSE

CSV, JSON, XML = "text/csv", "application/json", "application/xml"

#: What the page says of each dataset, in the interface language (the metadata and the
#: files stay in English).
LABELS = {
    "partnerships": (_("Partenariats"), _("Les partenariats publics : intitulé, secteur, "
                     "statut, collectivité chef de file, dates.")),
    "parties": (_("Parties"), _("Les organisations de chaque partenariat et leur rôle.")),
    "board_mandates": (_("Conseils et mandats"), _("Les sièges des conseils et les mandats "
                       "(noms, genre, organisation représentée ; aucune coordonnée).")),
    "decisions": (_("Décisions du conseil"), _("Les décisions dont le procès-verbal est "
                  "publié, avec le décompte des votes.")),
    "budget": (_("Budget et exécution"), _("Le plan d'action en vigueur par activité, ligne "
               "et année : prévu et dépensé (dépenses approuvées ou payées).")),
    "contributions": (_("Contributions"), _("Ce que chaque partie a promis et versé, par "
                      "année, en numéraire ou en nature.")),
    "popolo": (_("Conseils et votes (Popolo)"), _("Par partenariat : le conseil, ses réunions, "
               "les motions et les votes (nominatifs pour les votes par appel nominal).")),
    "iati": (_("Activités IATI 2.03"), _("Les partenariats publiés selon la norme IATI : "
             "organisations, secteur, budgets, transactions.")),
}  # fmt: skip


@dataclass(frozen=True)
class Distribution:
    label: str  # a format (CSV, JSON, XML) or a partnership's title
    url: str
    media_type: str
    format: str


@dataclass(frozen=True)
class Entry:
    name: str
    title: str
    description: str
    modified: date | None
    distributions: tuple[Distribution, ...]
    schema_url: str = ""  # the Data Package describing its columns

    @property
    def label(self) -> str:
        return str(LABELS[self.name][0])

    @property
    def summary(self) -> str:
        return str(LABELS[self.name][1])


@dataclass(frozen=True)
class Catalogue:
    entries: tuple[Entry, ...]
    license: dict[str, str]
    datapackage_url: str
    jsonld_url: str


def catalogue_view_get() -> Catalogue:
    """The catalogue, in a fixed number of queries (one per dataset, two for Popolo and
    IATI) whatever the number of partnerships."""
    datapackage = reverse("opendata:public_datapackage")
    entries = [
        Entry(
            d.name,
            d.title,
            d.description,
            d.modified(),
            (
                Distribution(
                    "CSV", reverse("opendata:public_dataset", args=[d.filename]), CSV, "CSV"
                ),
            ),
            datapackage,
        )
        for d in DATASETS
    ]
    entries.append(
        Entry(
            "popolo",
            "Popolo JSON",
            "Per public partnership (/open-data/popolo/<slug>.json, listed in the index): "
            "its board (organizations, persons, posts, memberships with on_behalf_of), its "
            "meetings (events), motions and vote events with their counts and, for roll-call "
            "votes, each member's vote.",
            selectors.latest(selectors.public_partnerships(), "updated_at"),
            (Distribution("JSON", reverse("opendata:public_popolo_index"), JSON, "JSON"),),
        )
    )
    publications = selectors.iati_publications()
    modified = publications.aggregate(m=Max("partnership__updated_at"))["m"]
    if modified is not None:  # something is published as IATI
        entries.append(
            Entry(
                "iati",
                "IATI 2.03 activities",
                "The public partnerships published as IATI activities: participating "
                "organisations, sector, budgets and transactions.",
                _date(modified),
                (Distribution("XML", reverse("opendata:public_iati"), XML, "XML"),),
            )
        )
    return Catalogue(
        tuple(entries), LICENSE, datapackage, reverse("opendata:public_catalogue_jsonld")
    )


def _date(value: Any) -> date | None:
    return value.date() if hasattr(value, "date") else value


def dcat(catalogue: Catalogue, absolute: Callable[[str], str]) -> dict[str, Any]:
    """DCAT metadata of the catalogue in JSON-LD; ``absolute`` turns a path into a URL."""
    return {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": absolute(reverse("opendata:public_catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": "Sharaka open data",
        "dct:license": {"@id": catalogue.license["path"]},
        "dcat:dataset": [
            {
                "@id": absolute(reverse("opendata:public_catalogue")) + "#" + entry.name,
                "@type": "dcat:Dataset",
                "dct:identifier": entry.name,
                "dct:title": entry.title,
                "dct:description": entry.description,
                **(
                    {"dct:modified": {"@value": entry.modified.isoformat(), "@type": "xsd:date"}}
                    if entry.modified
                    else {}
                ),
                "dct:license": {"@id": catalogue.license["path"]},
                "dcat:distribution": [
                    {
                        "@type": "dcat:Distribution",
                        "dct:title": d.label,
                        "dcat:downloadURL": {"@id": absolute(d.url)},
                        "dcat:mediaType": d.media_type,
                        "dct:format": d.format,
                        "dct:license": {"@id": catalogue.license["path"]},
                        **(
                            {"dct:conformsTo": {"@id": absolute(entry.schema_url)}}
                            if entry.schema_url
                            else {}
                        ),
                    }
                    for d in entry.distributions
                ],
            }
            for entry in catalogue.entries
        ],
    }
