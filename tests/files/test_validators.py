"""What people may upload: size, type by name and type by content."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from files.validators import UploadValidator
from tests.files.samples import PDF, docx, gif, png, zip_of
from tests.filesapp.models import Document


def check(name: str, content: bytes) -> None:
    UploadValidator()(SimpleUploadedFile(name, content))


def rejection(name: str, content: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        check(name, content)
    (message,) = caught.value.messages
    return message


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("plan.pdf", PDF),
        ("plan.docx", docx()),
        ("logo.png", png()),
        ("notes.txt", "Meeting notes — café at 10:00 ✓\n".encode()),
        ("budget.csv", "item,amount\nWorkshop,1200\nRéunion,80\n".encode()),
    ],
)
def test_real_files_of_allowed_types_are_accepted(name, content):
    check(name, content)  # raises if rejected


def test_text_longer_than_the_sniffed_block_may_be_cut_inside_a_character():
    # 8191 ASCII bytes then "é" (two bytes): the first 8192 bytes end mid-character.
    check("long.txt", b"a" * 8191 + "é and more\n".encode())


def test_long_text_with_an_invalid_byte_at_the_end_of_the_sniffed_block_is_rejected():
    message = rejection("long.txt", b"a" * 8191 + b"\xff and more\n")

    assert message.startswith("The contents of “long.txt” are not a TXT file.")


def test_a_file_over_the_limit_is_rejected_naming_both_sizes(settings):
    settings.UPLOAD_MAX_BYTES = 1024

    message = rejection("minutes.txt", b"x" * 2048)

    assert "minutes.txt" in message
    assert "2.0\xa0KB" in message
    assert "at most 1.0\xa0KB" in message


def test_a_file_at_the_limit_is_accepted(settings):
    settings.UPLOAD_MAX_BYTES = 1024

    check("minutes.txt", b"x" * 1024)


def test_an_empty_file_is_rejected():
    assert rejection("empty.pdf", b"") == "“empty.pdf” is empty."


@pytest.mark.parametrize("name", ["setup.exe", "script.sh", "archive.tar", "no-extension"])
def test_a_disallowed_type_is_rejected_listing_the_allowed_types(name):
    message = rejection(name, b"MZ\x90\x00 some program")

    assert f"“{name}” is not a type of file that can be uploaded here" in message
    for allowed in ("PDF", "DOCX", "XLSX", "PNG", "JPG", "TXT", "CSV"):
        assert allowed in message
    assert "EXE" not in message


def test_a_pdf_whose_contents_are_text_is_rejected():
    message = rejection("report.pdf", b"This is just a text file renamed to .pdf\n")

    assert message.startswith("The contents of “report.pdf” are not a PDF file.")


def test_a_png_that_is_really_a_pdf_is_rejected():
    message = rejection("photo.png", PDF)

    assert message.startswith("The contents of “photo.png” are not a PNG file.")


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"line one\x00line two\n", id="nul-byte"),
        pytest.param("café au lait\n".encode("latin-1"), id="latin-1-mid-file"),
        pytest.param("Café".encode("latin-1"), id="latin-1-at-end"),
        pytest.param(b"ends badly\xff", id="invalid-last-byte"),
        pytest.param(b"\xff\xfeh\x00i\x00", id="utf-16"),
    ],
)
def test_a_text_file_that_is_not_utf8_text_is_rejected(content):
    message = rejection("notes.txt", content)

    assert message.startswith("The contents of “notes.txt” are not a TXT file.")


def test_a_csv_that_is_really_a_png_is_rejected():
    assert rejection("data.csv", png()).startswith("The contents of “data.csv” are not a CSV file.")


class DocumentForm(forms.ModelForm):
    class Meta:
        model = Document
        fields = ["file"]


def submit(name: str, content: bytes) -> DocumentForm:
    return DocumentForm(data={}, files={"file": SimpleUploadedFile(name, content)})


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("setup.exe", b"MZ\x90\x00", "is not a type of file that can be uploaded here"),
        ("report.pdf", b"plain text\n", "are not a PDF file"),
        ("notes.txt", b"a\x00b", "are not a TXT file"),
    ],
)
def test_the_upload_form_shows_the_error_on_the_file_field_and_saves_nothing(
    user, name, content, expected
):
    before = Document.objects.count()

    form = submit(name, content)

    assert not form.is_valid()
    assert list(form.errors) == ["file"]
    (message,) = form.errors["file"]
    assert name in message
    assert expected in message
    assert Document.objects.count() == before


@pytest.mark.django_db
def test_the_upload_form_rejects_a_file_over_the_limit(user, settings):
    settings.UPLOAD_MAX_BYTES = 100

    form = submit("plan.pdf", PDF)

    assert not form.is_valid()
    assert "files can be at most 100\xa0bytes" in form.errors["file"][0]
    assert not Document.objects.exists()


@pytest.mark.django_db
def test_the_upload_form_saves_an_allowed_file(user):
    form = submit("plan.pdf", PDF)

    assert form.is_valid(), form.errors
    document = form.save(commit=False)
    document.owner = user
    document.save()

    document.refresh_from_db()
    assert document.file.name.endswith("/plan.pdf")
    with document.file.open("rb") as stored:
        assert stored.read() == PDF


# Files that are something else as well


def uploaded(name: str, content: bytes, content_type: str = "") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        # A PDF that a browser would also render as a page.
        ("report.pdf", PDF.replace(b"%%EOF", b"<html><body><script>alert(1)</script>%%EOF")),
        # A GIF carrying a script in its comment block.
        ("photo.gif", gif()[:-1] + b"!\xfe\x1f<SCRIPT src=//evil.example/x.js></script>\x00;"),
        # Markup far past the first block is found too.
        ("plan.pdf", PDF + b" " * 3_000_000 + b"<iframe src=x>"),
        ("plan.docx", docx() + b"<!DOCTYPE html><p>"),
    ],
)
def test_a_document_or_image_that_is_also_a_web_page_is_rejected(name, content):
    with pytest.raises(ValidationError, match="are not a"):
        UploadValidator()(uploaded(name, content))


@pytest.mark.parametrize("declared", ["text/html", "image/svg+xml", "application/javascript"])
def test_a_file_declared_as_a_page_or_script_is_rejected(declared):
    with pytest.raises(ValidationError, match="are not a PDF file"):
        UploadValidator()(uploaded("plan.pdf", PDF, declared))


@pytest.mark.parametrize(
    ("name", "content", "declared"),
    [
        ("plan.pdf", PDF, "application/pdf"),
        ("plan.pdf", PDF, "application/octet-stream"),
        (
            "plan.docx",
            docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.csv", b"a,b\n<b>bold</b>,1\n", "application/vnd.ms-excel"),
        ("photo.gif", gif(), "image/gif"),
    ],
)
def test_files_declared_with_their_usual_types_are_accepted(name, content, declared):
    UploadValidator()(uploaded(name, content, declared))


def test_an_office_file_that_unpacks_to_more_than_the_limit_is_rejected(settings):
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    bomb = zip_of({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"\0" * 3_000_000})
    assert len(bomb) < 10_000
    with pytest.raises(ValidationError) as caught:
        UploadValidator()(uploaded("plan.docx", bomb))
    assert "“plan.docx” unpacks to more than 1.0\xa0MB" in caught.value.messages[0]
    settings.UPLOAD_MAX_UNPACKED_BYTES = 4 * 1024 * 1024
    UploadValidator()(uploaded("plan.docx", bomb))


def test_a_damaged_office_file_is_rejected():
    damaged = docx()[:-40]
    with pytest.raises(ValidationError):
        UploadValidator()(uploaded("plan.docx", damaged))
