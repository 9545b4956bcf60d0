"""Names of any length and requests too large to take in."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from files.fields import stored_name
from milestones.models import ProgressUpload
from tests.files.samples import PDF


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Quarterly plan.PDF", "Quarterly_plan.pdf"),
        ("../../etc/passwd", "passwd"),
        ("...", "file"),
        ("é" * 200 + ".pdf", "é" * 58 + ".pdf"),
        ("a" * 400, "a" * 120),
    ],
)
def test_the_stored_name_is_short_and_safe(given, stored):
    assert stored_name(given) == stored
    assert len(stored_name(given).encode()) <= 120


def upload_url(milestone):
    milestone.upload_progress = "optional"
    milestone.save()
    return reverse("milestones:upload_create", args=[milestone.plan_id, milestone.pk])


def test_a_file_with_a_very_long_name_is_accepted_and_stored_under_a_short_one(
    participant_client, participant, milestone
):
    name = "Rapport d’étape très détaillé " * 12 + ".pdf"
    assert len(name.encode()) > 255
    response = participant_client.post(
        upload_url(milestone), {"file": SimpleUploadedFile(name, PDF, "application/pdf")}
    )
    assert response.status_code == 302
    upload = ProgressUpload.objects.get(participant=participant)
    assert upload.filename.startswith("Rapport_détape_très_détaillé")
    assert upload.filename.endswith(".pdf")
    assert len(upload.filename.encode()) <= 255
    with upload.file.open("rb") as stored:
        assert stored.read() == PDF


def test_a_request_larger_than_any_upload_is_refused_before_it_is_read(
    participant_client, participant, milestone, settings
):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    response = participant_client.post(
        upload_url(milestone),
        {"file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf")},
        CONTENT_LENGTH=str(150 * 1024 * 1024),
    )
    assert response.status_code == 413
    assert "Files can be at most 1.0\xa0MB. Nothing was saved" in response.text
    assert not ProgressUpload.objects.exists()
