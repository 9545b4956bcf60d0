"""The German catalog is complete, compiled and in step with the text the code marks."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CATALOGS = sorted(LOCALE.glob("**/LC_MESSAGES/django.po"))


def _po(path: Path):
    with path.open("rb") as file:
        return read_po(file)


def _plain(value):
    # A plural's forms are a tuple read from a .po file and a list read from a .mo file.
    return tuple(value) if isinstance(value, list | tuple) else value


def _translated(catalog) -> dict:
    return {
        (message.context, _plain(message.id)): _plain(message.string)
        for message in catalog
        if message.id
        and message.string
        and not message.fuzzy
        and (not isinstance(message.string, tuple) or all(message.string))
    }


def test_german_is_one_of_the_catalogs():
    assert LOCALE / "de" / "LC_MESSAGES" / "django.po" in CATALOGS


@pytest.mark.parametrize(
    "path", CATALOGS, ids=lambda path: str(path.relative_to(LOCALE).parent.parent)
)
def test_compiled_catalog_matches_its_source(path):
    with path.with_suffix(".mo").open("rb") as file:
        compiled = read_mo(file)
    assert _translated(compiled) == _translated(_po(path)), "run `make messages`"


def test_every_german_message_is_translated():
    catalog = _po(LOCALE / "de" / "LC_MESSAGES" / "django.po")
    missing = [
        message.id
        for message in catalog
        if message.id
        and (
            message.fuzzy
            or not message.string
            or (isinstance(message.string, tuple) and not all(message.string))
        )
    ]
    assert missing == []


def test_german_keeps_every_placeholder():
    catalog = _po(LOCALE / "de" / "LC_MESSAGES" / "django.po")
    broken = [
        message.id
        for message in catalog
        if message.id and message.python_format and message.check()
    ]
    assert broken == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_german_catalog_holds_all_the_marked_text(tmp_path):
    """Collects the text afresh from a copy of the source and finds nothing the catalog
    lacks: a string marked since the last `make messages` fails here."""
    root = Path(settings.BASE_DIR)
    copy = tmp_path / "src"
    shutil.copytree(
        root,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "var", "test-artifacts", "tests", "bench", "locale"
        ),
    )
    (copy / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-location"],
        cwd=copy,
        env={"DEBUG": "true", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=True,
        capture_output=True,
    )
    fresh = _po(copy / "locale" / "de" / "LC_MESSAGES" / "django.po")
    committed = _po(LOCALE / "de" / "LC_MESSAGES" / "django.po")
    known = {(message.context, message.id) for message in committed}
    assert [
        message.id for message in fresh if message.id and (message.context, message.id) not in known
    ] == []
