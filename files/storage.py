from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import PurePath

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction


def delete_files_on_commit(files) -> None:
    """Remove stored files once the transaction that stops using them has committed."""
    # Before the commit the rows still point at the files; after a rollback they still do.
    names = [(f.storage, f.name) for f in files if f]
    if names:
        transaction.on_commit(
            lambda: [storage.delete(name) for storage, name in names], robust=True
        )


def file_copy(source_name: str, *, storage=None, upload_to) -> str:
    """Store a copy of a stored file under a name `upload_to(None, filename)` gives, and
    return the copy's name. Each copy has its own name, so deleting the original (or another
    copy) never takes this one with it."""
    storage = storage or default_storage
    with storage.open(source_name, "rb") as content:
        return storage.save(upload_to(None, PurePath(source_name).name), File(content))


def delete_names_on_commit(names, *, storage=None) -> None:
    """delete_files_on_commit for files known only by their stored names."""
    storage = storage or default_storage
    names = [name for name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for name in names], robust=True)


@contextmanager
def removed_on_failure(storage=None) -> Iterator[list[str]]:
    """Collect the names of files stored inside the block; if the block fails, remove them,
    since the rows that would have used them were rolled back."""
    storage = storage or default_storage
    names: list[str] = []
    try:
        yield names
    except BaseException:
        for name in names:
            storage.delete(name)
        raise
