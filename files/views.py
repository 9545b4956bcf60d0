"""Private files: served only through views that check who is asking."""

from pathlib import PurePath

from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views import View


def file_response(field_file, *, filename: str | None = None, as_attachment: bool = True):
    """Stream a file from local storage, or redirect to a short-lived signed URL on S3."""
    if not field_file:
        raise Http404("No file.")
    storage = field_file.storage
    download_name = filename or PurePath(field_file.name).name
    try:
        path = storage.path(field_file.name)
    except NotImplementedError:
        # Remote storage: the browser fetches the bytes from the store directly, with a
        # URL that expires within a minute (S3_URL_EXPIRY_SECONDS).
        disposition = content_disposition_header(as_attachment, download_name)
        url = storage.url(field_file.name, parameters={"ResponseContentDisposition": disposition})
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = open(path, "rb")  # noqa: SIM115 - FileResponse closes it
        except FileNotFoundError:
            raise Http404("The file is missing.") from None
        response = FileResponse(handle, as_attachment=as_attachment, filename=download_name)
    response["Cache-Control"] = "private, no-store"
    return response


class ProtectedFileView(View):
    """Download the file of one object that the signed-in person may see.

    A subclass names the file field and returns, from get_queryset(), only the objects the
    request's user may reach; any other id is a 404, never a hint that the file exists.
    """

    file_field = "file"
    as_attachment = True

    def get_queryset(self):
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_queryset().")

    def get_filename(self, obj) -> str | None:
        return None

    def get(self, request, *args, **kwargs):
        obj = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return file_response(
            getattr(obj, self.file_field),
            filename=self.get_filename(obj),
            as_attachment=self.as_attachment,
        )
