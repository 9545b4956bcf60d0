"""Downloading a private file: only its owner gets the bytes, from the disk or from S3."""

import os
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlsplit

import factory
import pytest
from django.conf import settings
from django.http import FileResponse
from django.urls import reverse

from tests.factories import UserFactory
from tests.files.samples import PDF
from tests.filesapp.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.filesapp.urls")]


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    owner = factory.SubFactory(UserFactory)
    file = factory.django.FileField(filename="q3-progress-report.pdf", data=PDF)


def download_url(document) -> str:
    return reverse("document_download", args=[document.pk])


def body(response) -> bytes:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    response.close()
    return content


@pytest.fixture
def local_storage(settings, tmp_path):
    """Files on the local disk, as in the default mode, even when the suite runs on S3."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "media"},
        },
    }


@pytest.fixture
def document(local_storage, user):
    return DocumentFactory(owner=user)


def test_owner_downloads_the_exact_bytes_as_an_attachment(client, user, document):
    client.force_login(user)

    response = client.get(download_url(document))

    assert response.status_code == 200
    assert isinstance(response, FileResponse)
    assert response["Content-Disposition"] == 'attachment; filename="q3-progress-report.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "application/pdf"
    assert body(response) == PDF


def test_another_signed_in_user_gets_not_found(client, other_user, document):
    client.force_login(other_user)

    response = client.get(download_url(document))

    assert response.status_code == 404
    assert PDF not in body(response)


def test_an_anonymous_visitor_is_sent_to_sign_in_and_gets_no_file(client, document):
    url = download_url(document)

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={url}"
    assert "Content-Disposition" not in response
    assert PDF not in body(response)


def test_a_document_whose_file_has_gone_from_the_disk_is_not_found(client, user, document):
    document.file.storage.delete(document.file.name)
    client.force_login(user)

    response = client.get(download_url(document))

    assert response.status_code == 404


def test_an_unknown_document_is_not_found(client, user):
    client.force_login(user)

    assert client.get(reverse("document_download", args=[987654])).status_code == 404


def test_a_non_ascii_filename_survives_the_download(client, local_storage, user):
    document = DocumentFactory(owner=user, file__filename="Rapport-été.pdf")
    client.force_login(user)

    response = client.get(download_url(document))

    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == "attachment; filename*=utf-8''Rapport-%C3%A9t%C3%A9.pdf"
    )
    assert body(response) == PDF


@pytest.mark.services
def test_on_s3_the_owner_is_redirected_to_a_short_lived_signed_url(
    client, user, other_user, _s3_endpoint
):
    s3 = _s3_endpoint
    endpoint = os.environ["S3_ENDPOINT_URL"].rstrip("/")
    bucket = settings.S3_BUCKET

    document = DocumentFactory(owner=user)
    key = document.file.name

    # The upload is in the bucket, byte for byte, and nobody else may read it.
    stored = s3.get_object(Bucket=bucket, Key=key)
    assert stored["Body"].read() == PDF
    grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(f"{endpoint}/{bucket}/{key}", timeout=10)
    assert unsigned.value.code == 403
    unsigned.value.close()

    # The owner is sent to a signed URL on the store, valid for a minute.
    client.force_login(user)
    response = client.get(download_url(document))
    assert response.status_code == 302
    assert response["Cache-Control"] == "private, no-store"
    signed_url = response["Location"]
    parts = urlsplit(signed_url)
    assert f"{parts.scheme}://{parts.netloc}" == endpoint
    assert parts.path == f"/{bucket}/{key}"
    query = parse_qs(parts.query)
    assert "X-Amz-Signature" in query
    assert query["X-Amz-Expires"] == ["60"]

    # Following it gives the exact bytes, named as the file.
    with urllib.request.urlopen(signed_url, timeout=10) as fetched:
        assert fetched.status == 200
        assert fetched.read() == PDF
        disposition = fetched.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "q3-progress-report.pdf" in disposition

    # Nobody else is sent anywhere near it.
    client.force_login(other_user)
    foreign = client.get(download_url(document))
    assert foreign.status_code == 404
    assert "Location" not in foreign

    client.logout()
    anonymous = client.get(download_url(document))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    assert bucket not in anonymous["Location"]
