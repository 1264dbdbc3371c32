"""MEDIA_BUCKET puts uploads in an S3-compatible bucket: photos get signed links at the
bucket's endpoint, dossier documents none. Checked in a fresh process, since settings
are read once (signing needs no network)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = """
import json, django
django.setup()
from django.core.files.storage import storages
public, private = storages["default"], storages["private"]
print(json.dumps({
    "public": type(public).__name__,
    "private": type(private).__name__,
    "url": public.url("products/mat-ong.jpg"),
    "private_url": private.url("dossiers/ho-so.pdf"),
}))
"""


def settle(**env):
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("MEDIA_", "AWS_"))}
    environ.update(DJANGO_SETTINGS_MODULE="ocophub.settings", **env)
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=environ, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_a_bucket_uploads_stay_on_disk():
    got = settle()
    assert got["public"] == "FileSystemStorage"
    assert got["private"] == "PrivateStorage"
    assert got["url"] == "/media/products/mat-ong.jpg"


def test_with_a_bucket_photos_get_signed_links_and_documents_none():
    got = settle(
        MEDIA_BUCKET="ocop-media",
        MEDIA_BUCKET_ENDPOINT="http://127.0.0.1:9000",
        MEDIA_BUCKET_REGION="ap-southeast-1",
        AWS_ACCESS_KEY_ID="ocop-test",
        AWS_SECRET_ACCESS_KEY="ocop-test-secret",
    )
    assert got["public"] == "S3Storage"
    assert got["private"] == "PrivateBucketStorage"
    assert got["url"].startswith("http://127.0.0.1:9000/ocop-media/media/products/mat-ong.jpg?")
    query = got["url"].split("?", 1)[1]
    assert {"AWSAccessKeyId=ocop-test", "Expires", "Signature"} <= {
        part if part.startswith("AWSAccessKeyId") else part.split("=")[0]
        for part in query.split("&")
    }
    assert got["private_url"] is None
