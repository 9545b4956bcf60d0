"""Upload checks shared by every file field: size from settings, type by name and by content."""

import codecs
import re
import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _

# What the first bytes of a file may be recognised as, per extension. Office Open XML and
# OpenDocument files are zip archives, and whether filetype sees past the zip header depends
# on where the archive stores its manifest, so a plain zip is accepted for them too.
_OLE = frozenset({"doc", "xls", "ppt"})
_CONTENT = {
    "pdf": frozenset({"pdf"}),
    "doc": _OLE,
    "xls": _OLE,
    "ppt": _OLE,
    "docx": frozenset({"docx", "zip"}),
    "xlsx": frozenset({"xlsx", "zip"}),
    "pptx": frozenset({"pptx", "zip"}),
    "odt": frozenset({"odt", "zip"}),
    "ods": frozenset({"ods", "zip"}),
    "odp": frozenset({"odp", "zip"}),
    "rtf": frozenset({"rtf"}),
    "png": frozenset({"png"}),
    "jpg": frozenset({"jpg"}),
    "jpeg": frozenset({"jpg"}),
    "gif": frozenset({"gif"}),
    "webp": frozenset({"webp"}),
    "zip": frozenset({"zip"}),
}
# Plain text has no signature: it must decode as UTF-8 and hold no NUL bytes.
_TEXT = frozenset({"txt", "csv", "md"})

DOCUMENTS = ("pdf", "doc", "docx", "ppt", "pptx", "xls", "xlsx", "odt", "odp", "ods", "rtf")
TEXT = tuple(sorted(_TEXT))
IMAGES = ("png", "jpg", "jpeg", "gif", "webp")
ANY_DOCUMENT = DOCUMENTS + TEXT + IMAGES

_SNIFF_BYTES = 8192
_SCAN_CHUNK = 1024 * 1024

# Archives whose contents are unpacked by whoever opens them (Office Open XML, OpenDocument).
_ARCHIVES = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp", "zip"})

# A browser that is told, or guesses, that a file is a web page runs what it holds. A
# document or image with markup in it is a polyglot (a PDF that is also a page, a GIF
# carrying a script), and a declared type of a page or script is never one of ours.
_MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|svg|object|embed)\b|<!doctype\s+html", re.IGNORECASE
)
_ACTIVE_TYPE = re.compile(
    r"(?:text|application)/(?:html|xhtml\+xml|xml|(?:x-)?javascript|ecmascript)|image/svg\+xml",
    re.IGNORECASE,
)


@deconstructible
class UploadValidator:
    """Reject a file that is too large, has a name outside `extensions`, or whose content
    does not match its name. The messages are written for the person uploading."""

    def __init__(self, extensions=ANY_DOCUMENT, max_bytes=None):
        unknown = set(extensions) - set(_CONTENT) - _TEXT
        if unknown:
            raise ValueError(f"No content check is known for: {', '.join(sorted(unknown))}")
        self.extensions = tuple(extensions)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        name = PurePath(upload.name).name
        limit = self.max_bytes or settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("“%(name)s” is %(size)s; files can be at most %(limit)s."),
                code="file_too_large",
                params={
                    "name": name,
                    "size": filesizeformat(upload.size),
                    "limit": filesizeformat(limit),
                },
            )
        if upload.size == 0:
            raise ValidationError(
                _("“%(name)s” is empty."), code="file_empty", params={"name": name}
            )
        extension = PurePath(name).suffix.lower().lstrip(".")
        if extension not in self.extensions:
            raise ValidationError(
                _(
                    "“%(name)s” is not a type of file that can be uploaded here. "
                    "Allowed: %(allowed)s."
                ),
                code="file_type",
                params={"name": name, "allowed": ", ".join(e.upper() for e in self.extensions)},
            )
        head = _read_head(upload)
        declared = getattr(upload, "content_type", None) or ""
        if (
            not _content_matches(extension, head)
            or _ACTIVE_TYPE.search(declared)
            or (extension not in _TEXT and _holds_markup(upload))
        ):
            raise ValidationError(
                _(
                    "The contents of “%(name)s” are not a %(kind)s file. Check that you chose "
                    "the right file, or save it again as %(kind)s."
                ),
                code="file_content",
                params={"name": name, "kind": extension.upper()},
            )
        if extension in _ARCHIVES:
            unpacked_limit = settings.UPLOAD_MAX_UNPACKED_BYTES
            if not _unpacks_within(upload, unpacked_limit):
                raise ValidationError(
                    _(
                        "“%(name)s” unpacks to more than %(limit)s, or is damaged. Save it "
                        "again, or split it into smaller files."
                    ),
                    code="file_unpacked_too_large",
                    params={"name": name, "limit": filesizeformat(unpacked_limit)},
                )

    def __eq__(self, other):
        return (
            isinstance(other, UploadValidator)
            and self.extensions == other.extensions
            and self.max_bytes == other.max_bytes
        )


def _read_head(upload) -> bytes:
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(position)
    return head


def _chunks(upload):
    upload.seek(0)
    while chunk := upload.read(_SCAN_CHUNK):
        yield chunk
    upload.seek(0)


def _holds_markup(upload) -> bool:
    tail = b""
    for chunk in _chunks(upload):
        # Overlap the chunks so a tag split across two of them is still seen.
        if _MARKUP.search(tail + chunk):
            upload.seek(0)
            return True
        tail = chunk[-32:]
    return False


def _unpacks_within(upload, limit: int) -> bool:
    """Whether the archive unpacks to at most `limit` bytes: counted by unpacking it, since
    the sizes an archive declares for its members can lie."""
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            unpacked = 0
            for member in archive.infolist():
                with archive.open(member) as content:
                    while block := content.read(_SCAN_CHUNK):
                        unpacked += len(block)
                        if unpacked > limit:
                            return False
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        return False
    finally:
        upload.seek(0)
    return True


def _content_matches(extension: str, head: bytes) -> bool:
    guessed = filetype.guess(head)
    if extension in _TEXT:
        if guessed is not None or b"\x00" in head:
            return False
        try:
            # A full sniffed block may end inside a multi-byte character that the rest of the
            # file completes; a shorter one is the whole file and must decode completely.
            codecs.getincrementaldecoder("utf-8")().decode(head, final=len(head) < _SNIFF_BYTES)
        except UnicodeDecodeError:
            return False
        return True
    return guessed is not None and guessed.extension in _CONTENT[extension]
