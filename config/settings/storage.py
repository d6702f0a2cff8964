"""Where the portal keeps its files (applicants' uploads, supplements, results and their signed PDFs, the blank
forms of procedures): the local disk, or a bucket of an S3-compatible object store (SeaweedFS, MinIO, AWS S3) that
every web node and worker shares. base.py reads the environment through `file_storage`; the tests call
`s3_storage` for their own SeaweedFS (tests/storage)."""

import os

from botocore.config import Config
from django.core.exceptions import ImproperlyConfigured

LOCAL_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}


def s3_storage(*, endpoint_url: str, bucket: str, access_key: str, secret_key: str, region: str = "us-east-1") -> dict:
    """django-storages' S3 backend on one private bucket. Objects are never public (no ACL, no public URL: the
    portal streams each file after its permission check); an existing name is never overwritten (a new upload of
    the same name gets a suffix); a store that does not answer fails the request within seconds (503), not after
    botocore's default retries."""
    timeout = float(os.environ.get("S3_TIMEOUT_SECONDS", "5"))
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": endpoint_url,
            "bucket_name": bucket,
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": region,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "client_config": Config(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=timeout,
                read_timeout=timeout,
                retries={"mode": "standard", "max_attempts": 2},
            ),
        },
    }


def file_storage(environ=os.environ) -> dict:
    """STORAGES["default"] from the environment: STORAGE=local (the default: MEDIA_ROOT) or STORAGE=s3 with
    S3_ENDPOINT_URL, S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY (and S3_REGION)."""
    kind = environ.get("STORAGE", "local")
    if kind == "local":
        return LOCAL_STORAGE
    if kind != "s3":
        raise ImproperlyConfigured(f"STORAGE is {kind!r}: set it to 'local' (the default) or 's3'.")
    names = ("S3_ENDPOINT_URL", "S3_BUCKET", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY")
    missing = [name for name in names if not environ.get(name)]
    if missing:
        raise ImproperlyConfigured(f"STORAGE=s3: set {', '.join(missing)}.")
    return s3_storage(
        endpoint_url=environ["S3_ENDPOINT_URL"],
        bucket=environ["S3_BUCKET"],
        access_key=environ["S3_ACCESS_KEY_ID"],
        secret_key=environ["S3_SECRET_ACCESS_KEY"],
        region=environ.get("S3_REGION", "us-east-1"),
    )
