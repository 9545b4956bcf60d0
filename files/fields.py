"""The model field for files people upload."""

from pathlib import PurePath

from django.core.exceptions import SuspiciousFileOperation
from django.db import models
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.text import get_valid_filename

from files.widgets import PrivateFileInput

# Bytes of the uploader's file name kept in the stored one: well inside the 255 bytes a file
# system allows per name, with room for the suffix storage adds to keep names unique.
STORED_NAME_BYTES = 120


def stored_name(filename: str) -> str:
    """A safe, short file name made from the uploader's: shortened (whole characters) when
    long, odd characters replaced, the extension kept in lower case."""
    path = PurePath(filename)
    suffix = path.suffix.lower() if len(path.suffix) <= 10 else ""
    try:
        stem = get_valid_filename(path.stem if suffix else path.name)
    except SuspiciousFileOperation:
        stem = "file"
    budget = STORED_NAME_BYTES - len(suffix.encode())
    stem = stem.encode()[:budget].decode(errors="ignore").rstrip("._-") or "file"
    return stem + suffix


@deconstructible
class UploadTo:
    """Store under `folder/<year>/<month>/` with the name from stored_name()."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        return f"{self.folder}/{timezone.now():%Y/%m}/{stored_name(filename)}"

    def __eq__(self, other):
        return isinstance(other, UploadTo) and self.folder == other.folder


class UploadedFileField(models.FileField):
    """A file someone uploads. A name of any length is accepted: the stored name is made
    short and safe by UploadTo, so the form does not refuse a long one."""

    def formfield(self, **kwargs):
        return super().formfield(**{"max_length": None, "widget": PrivateFileInput, **kwargs})
