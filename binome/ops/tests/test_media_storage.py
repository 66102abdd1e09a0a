"""Uploaded files on the local disk by default, or in an S3-compatible store when S3_BUCKET is
set: tested against a real S3 server running here (moto's, which speaks the S3 protocol)."""

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from binome.duos.services.agreement import agreement_record_paper

ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent
PDF = b"%PDF-1.4\n% scan kept in S3\n"
KEYS = {"access_key": "binome-test", "secret_key": "binome-test-secret"}


def storages_for(**environment: str) -> dict:
    """The STORAGES a server process builds from this environment."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    env.update(environment, SECRET_KEY="x", DJANGO_SETTINGS_MODULE="config.settings")
    script = "from django.conf import settings; import json; print(json.dumps(settings.STORAGES))"
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_files_go_to_the_local_disk_unless_a_bucket_is_named():
    assert storages_for()["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    chosen = storages_for(
        S3_BUCKET="binome-media",
        S3_ENDPOINT_URL="https://s3.example.org",
        S3_REGION="fr-par",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
    )["default"]
    assert chosen["BACKEND"] == "storages.backends.s3.S3Storage"
    options = chosen["OPTIONS"]
    assert options["bucket_name"] == "binome-media"
    assert options["endpoint_url"] == "https://s3.example.org"
    assert (options["region_name"], options["access_key"]) == ("fr-par", "key")
    # Private: the scans are served by Binôme to staff only, never by the bucket.
    assert options["default_acl"] == "private" and options["querystring_auth"] is True


@pytest.fixture(scope="module")
def s3_server():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None and time.monotonic() < deadline, "no S3 server"
            time.sleep(0.2)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture
def s3_storage(s3_server, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="us-east-1",
        aws_access_key_id=KEYS["access_key"],
        aws_secret_access_key=KEYS["secret_key"],
    )
    bucket = f"binome-{time.monotonic_ns()}"
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": s3_server,
                "region_name": "us-east-1",
                "default_acl": "private",
                "querystring_auth": True,
                "file_overwrite": False,
                **KEYS,
            },
        },
    }
    return client, bucket


def test_a_signature_scan_is_kept_in_the_bucket_and_served_from_it(
    cast, duo, client_as, s3_storage, settings
):
    client, bucket = s3_storage
    signature = agreement_record_paper(
        duo=duo,
        party="mentee",
        actor=cast.carla,
        signer_name="Amina Haddad",
        signed_on=timezone.localdate(),
        scan=SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf"),
    )
    keys = [item["Key"] for item in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [signature.scan.name]
    assert client.get_object(Bucket=bucket, Key=keys[0])["Body"].read() == PDF
    assert not Path(settings.MEDIA_ROOT).exists()  # nothing on the local disk

    with translation.override("en"):
        url = reverse("duos:signature_scan", args=[duo.pk, signature.pk])
    response = client_as(cast.carla).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client_as(cast.amina).get(url).status_code == 404
