"""Where uploaded files live: the local ``MEDIA_ROOT`` by default, an S3-compatible bucket
through django-storages when ``SHARAKA_S3_BUCKET`` is set (docs/deploy.md).

Uploaded documents are private (receipts, signed copies, board papers): they are served by
Sharaka's own views after an access check, never by a public URL, so the bucket stays
private and nothing here makes an object public.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

S3_BACKEND = "storages.backends.s3.S3Storage"
FILE_SYSTEM_BACKEND = "django.core.files.storage.FileSystemStorage"


def media_storage(env: Mapping[str, str]) -> dict[str, Any]:
    """The ``default`` entry of ``STORAGES`` from the environment."""
    bucket = env.get("SHARAKA_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": FILE_SYSTEM_BACKEND}
    options: dict[str, Any] = {
        "bucket_name": bucket,
        "location": env.get("SHARAKA_S3_PREFIX", "media").strip("/"),
        "file_overwrite": False,  # two uploads with one name never replace each other
        "default_acl": None,  # the bucket's own policy: keep it private
        "querystring_auth": True,
    }
    for variable, option in (
        ("SHARAKA_S3_ENDPOINT_URL", "endpoint_url"),  # MinIO, Garage, Ceph, Scaleway...
        ("SHARAKA_S3_REGION", "region_name"),
        ("SHARAKA_S3_ACCESS_KEY_ID", "access_key"),
        ("SHARAKA_S3_SECRET_ACCESS_KEY", "secret_key"),
        ("SHARAKA_S3_ADDRESSING_STYLE", "addressing_style"),  # "path" for most self-hosted
    ):
        value = env.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
