from django.db import transaction


def delete_files_on_commit(files) -> None:
    """Remove stored files once the transaction that stops using them has committed."""
    # Before the commit the rows still point at the files; after a rollback they still do.
    names = [(f.storage, f.name) for f in files if f]
    if names:
        transaction.on_commit(
            lambda: [storage.delete(name) for storage, name in names], robust=True
        )
