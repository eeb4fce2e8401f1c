"""The read replica: public views read from it, everything else from the primary."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from sharaka.accounts.models import User
from sharaka.config import replica
from sharaka.config.replica import ReplicaRouter, is_public_view, public_reads
from sharaka.config.storage import media_storage
from sharaka.partnerships.models import Partnership

SCENARIO = Path(__file__).with_name("replica_scenario.py")


def _views(
    patterns: list[URLPattern | URLResolver] | None = None, namespaces: tuple[str, ...] = ()
) -> list[tuple[str | None, tuple[str, ...]]]:
    found: list[tuple[str | None, tuple[str, ...]]] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = (*namespaces, entry.namespace) if entry.namespace else namespaces
            found += _views(entry.url_patterns, inner)
        else:
            found.append((entry.name, namespaces))
    return found


def test_the_public_views_are_the_portal() -> None:
    public = {
        f"{':'.join(spaces)}:{name}"
        for name, spaces in _views()
        if is_public_view(name, list(spaces))
    }
    assert public == {
        "partnerships:public_list", "partnerships:public_detail",
        "meetings:public_minutes", "meetings:public_minutes_detail",
        # the portal's feeds (ADR 0036); the public forms (information requests, calls for
        # applications) write, so their names do not start with "public_"
        "transparency:public_decisions_rss", "transparency:public_decisions_atom",
        "transparency:public_meetings_ics",
    } | {
        f"opendata:{name}" for name in (
            "public_catalogue", "public_catalogue_jsonld", "public_datapackage",
            "public_dataset", "public_popolo_index", "public_popolo", "public_iati",
            "public_iati_partnership", "public_convention",
        )
    }  # fmt: skip
    assert is_public_view("dataset", ["opendata"])
    assert not is_public_view(None, [])


def test_router_sends_public_reads_to_the_replica_and_the_rest_to_the_primary() -> None:
    router = ReplicaRouter()
    assert router.db_for_read(Partnership) is None  # outside a public view: the default
    with public_reads():
        assert router.db_for_read(Partnership) == replica.REPLICA
        assert router.db_for_read(User) is None  # who is signed in never lags
        assert router.db_for_write(Partnership) == "default"
    assert router.db_for_read(Partnership) is None
    assert router.allow_migrate("default", "partnerships")
    assert not router.allow_migrate(replica.REPLICA, "partnerships")
    assert router.allow_relation(object(), object())


def test_replica_database_mirrors_the_primary_in_tests() -> None:
    config = replica.database("postgres://u:p@replica.internal:5432/sharaka", conn_max_age=60)
    assert config["HOST"] == "replica.internal" and config["NAME"] == "sharaka"
    assert config["CONN_MAX_AGE"] == 60
    assert config["TEST"] == {"MIRROR": "default"}


def test_two_sqlite_databases_portal_reads_the_replica(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DATABASE_REPLICA_URL"}}
    env.update(
        SHARAKA_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'primary.sqlite3'}",
        DATABASE_REPLICA_URL=f"sqlite:///{tmp_path / 'replica.sqlite3'}",
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(SCENARIO)], capture_output=True, text=True, env=env,
        timeout=600, check=False, cwd=SCENARIO.parents[2],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "portal": True,
        "detail": True,
        "internal_primary": True,
        "portal_signed_in": True,
        "primary_title": "Stade rénové",
        "replica_title": "Stade municipal (replica)",
        "routers": ["sharaka.config.replica.ReplicaRouter"],
    }


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, {"BACKEND": "django.core.files.storage.FileSystemStorage"}),
        (
            {
                "SHARAKA_S3_BUCKET": "sharaka-media",
                "SHARAKA_S3_ENDPOINT_URL": "https://s3.example.org",
                "SHARAKA_S3_REGION": "fr-par",
                "SHARAKA_S3_ACCESS_KEY_ID": "AKIA",
                "SHARAKA_S3_SECRET_ACCESS_KEY": "secret",
                "SHARAKA_S3_ADDRESSING_STYLE": "path",
            },
            {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "sharaka-media", "location": "media",
                    "file_overwrite": False, "default_acl": None, "querystring_auth": True,
                    "endpoint_url": "https://s3.example.org", "region_name": "fr-par",
                    "access_key": "AKIA", "secret_key": "secret", "addressing_style": "path",
                },
            },
        ),
        (
            {"SHARAKA_S3_BUCKET": "b", "SHARAKA_S3_PREFIX": "/commune/"},
            {
                "BACKEND": "storages.backends.s3.S3Storage",
                "OPTIONS": {
                    "bucket_name": "b", "location": "commune", "file_overwrite": False,
                    "default_acl": None, "querystring_auth": True,
                },
            },
        ),
    ],
)  # fmt: skip
def test_media_storage_is_built_from_the_environment(
    env: dict[str, str], expected: dict[str, object]
) -> None:
    assert media_storage(env) == expected


def test_settings_use_s3_when_the_bucket_is_set(tmp_path: Path) -> None:
    """The real settings module, read by a new process with the variables set, and the
    storage class django-storages gives for it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHARAKA_S3_")}
    env.update(
        SHARAKA_VAR_DIR=str(tmp_path), SHARAKA_S3_BUCKET="sharaka-media",
        SHARAKA_S3_ENDPOINT_URL="http://127.0.0.1:9",
        DJANGO_SETTINGS_MODULE="sharaka.config.settings",
    )  # fmt: skip
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "media = storages['default']\n"
        "print(type(media).__name__, media.bucket_name, media.endpoint_url)\n"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["S3Storage", "sharaka-media", "http://127.0.0.1:9"]
