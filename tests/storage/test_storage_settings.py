"""STORAGE in the environment: the local disk by default, the S3 backend with STORAGE=s3 and its four variables
(production keeps WhiteNoise for static files either way), a clear refusal when one is missing or the kind is
unknown."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.portal.test_settings import production_settings

S3_ENV = {
    "STORAGE": "s3",
    "S3_ENDPOINT_URL": "http://10.0.0.22:8333",
    "S3_BUCKET": "portal",
    "S3_ACCESS_KEY_ID": "portal",
    "S3_SECRET_ACCESS_KEY": "not-a-real-secret",
}
WHITENOISE = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_files_stay_on_the_local_disk_unless_object_storage_is_asked_for():
    storages = production_settings().STORAGES
    assert storages["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storages["staticfiles"]["BACKEND"] == WHITENOISE


def test_storage_s3_keeps_every_file_in_the_private_bucket_named_by_the_environment():
    storages = production_settings(**S3_ENV).STORAGES
    default = storages["default"]
    assert default["BACKEND"] == "storages.backends.s3.S3Storage"
    options = default["OPTIONS"]
    assert (options["endpoint_url"], options["bucket_name"]) == ("http://10.0.0.22:8333", "portal")
    assert (options["access_key"], options["secret_key"]) == ("portal", "not-a-real-secret")
    assert options["default_acl"] is None  # no public object
    assert options["file_overwrite"] is False  # an upload never replaces another's file
    assert storages["staticfiles"]["BACKEND"] == WHITENOISE


def test_storage_s3_without_its_variables_refuses_to_start_and_names_them():
    env = {**S3_ENV, "S3_BUCKET": "", "S3_SECRET_ACCESS_KEY": ""}
    with pytest.raises(ImproperlyConfigured, match="STORAGE=s3: set S3_BUCKET, S3_SECRET_ACCESS_KEY."):
        production_settings(**env)


def test_an_unknown_storage_kind_is_refused():
    with pytest.raises(ImproperlyConfigured, match="STORAGE is 'ftp'"):
        production_settings(STORAGE="ftp")
