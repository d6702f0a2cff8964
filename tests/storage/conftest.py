"""The storage tests run against a real S3 server, SeaweedFS (bench/drills/seaweedfs.py): the one `make test`
started for the suite (TEST_S3_ENDPOINT_URL and its keys in the environment), else one of this test process's own.
Each test process has a bucket of its own; `s3_files` points the portal's file storage at it for one test."""

import os

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.files.storage import default_storage

from bench.drills.seaweedfs import ThrowawaySeaweed
from config.settings.storage import s3_storage


@pytest.fixture(scope="session")
def s3_server():
    """(endpoint URL, access key, secret key) of the suite's SeaweedFS."""
    if os.environ.get("TEST_S3_ENDPOINT_URL"):
        yield (
            os.environ["TEST_S3_ENDPOINT_URL"],
            os.environ["TEST_S3_ACCESS_KEY_ID"],
            os.environ["TEST_S3_SECRET_ACCESS_KEY"],
        )
        return
    server = ThrowawaySeaweed()
    server.start()
    try:
        yield server.endpoint_url, server.access_key, server.secret_key
    finally:
        server.remove()


@pytest.fixture(scope="session")
def s3_bucket(s3_server):
    """This test process's bucket (the suite's Redis key prefix names the run and the xdist worker)."""
    endpoint_url, access_key, secret_key = s3_server
    name = django_settings.TEST_REDIS_KEY_PREFIX.replace(":", "-").lower()
    client = boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name="us-east-1",
    )
    ThrowawaySeaweed.create_bucket_with(client, name)
    return client, name


@pytest.fixture
def s3_files(settings, s3_server, s3_bucket):
    """The portal's files in this process's bucket for the test; yields (boto3 client, bucket name) to look at
    the bucket behind the portal's back."""
    endpoint_url, access_key, secret_key = s3_server
    client, bucket = s3_bucket
    settings.STORAGES = {
        **settings.STORAGES,
        "default": s3_storage(endpoint_url=endpoint_url, bucket=bucket, access_key=access_key, secret_key=secret_key),
    }
    assert default_storage.bucket_name == bucket
    yield client, bucket
