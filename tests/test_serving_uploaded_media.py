import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "prisoners").mkdir()
    (tmp_path / "prisoners" / "roza.png").write_bytes(b"\x89PNG\r\n\x1a\n fake but served as is")
    return tmp_path


def test_an_uploaded_photo_is_served_with_a_sandboxing_policy_and_a_day_of_caching(client, media_root):
    response = client.get("/media/prisoners/roza.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert response["Content-Type"] == "image/png"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_missing_file_a_folder_or_a_way_out_of_the_media_folder_is_refused(client, media_root, settings):
    (media_root.parent / "secret.txt").write_text("not for the public")
    for url in ("/media/prisoners/nobody.png", "/media/prisoners/"):
        assert client.get(url).status_code == 404, url
    for url in ("/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/prisoners/../../secret.txt"):
        response = client.get(url)
        assert response.status_code in {400, 404}, url
        assert b"not for the public" not in b"".join(getattr(response, "streaming_content", [response.content]))


def test_media_are_only_read_never_posted_to(client, media_root):
    assert client.post("/media/prisoners/roza.png").status_code == 405


def storage_with(**aws):
    """The default storage's class, a photo's URL and the CSP's img-src, in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        DJANGO_SETTINGS_MODULE="campaign.settings",
        AWS_QUERYSTRING_AUTH="0",
        AWS_ACCESS_KEY_ID="test-key",
        AWS_SECRET_ACCESS_KEY="test-secret",
        **aws,
    )
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "from django.core.files.storage import storages\n"
        "print(type(storages['default']).__name__)\n"
        "print(storages['default'].url('prisoners/roza.png'))\n"
        "print(' '.join(settings.CONTENT_SECURITY_POLICY['img-src']))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-3:]


def test_with_a_bucket_configured_photos_go_to_s3_compatible_storage_and_the_policy_allows_it():
    backend, url, img_src = storage_with(
        AWS_STORAGE_BUCKET_NAME="campaign-photos",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        AWS_S3_REGION_NAME="eu-central-1",
    )
    assert backend == "S3Storage"
    assert url == "https://s3.example.org/campaign-photos/prisoners/roza.png"
    assert img_src == "'self' data: https://s3.example.org"


def test_on_amazons_own_s3_the_policy_allows_the_buckets_host():
    backend, url, img_src = storage_with(AWS_STORAGE_BUCKET_NAME="campaign-photos")
    assert backend == "S3Storage"
    assert url == "https://campaign-photos.s3.amazonaws.com/prisoners/roza.png"
    assert img_src == "'self' data: https://campaign-photos.s3.amazonaws.com"


def test_without_a_bucket_photos_stay_on_the_local_volume(settings):
    from django.core.files.storage import default_storage

    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert default_storage.url("prisoners/roza.png") == "/media/prisoners/roza.png"
