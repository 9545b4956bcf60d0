"""Form widgets for private files."""

from pathlib import PurePath

from django import forms


class PrivateFileInput(forms.ClearableFileInput):
    """A file input that names the file already stored by its own name and links it to the
    download view that checks who asks. Django's widget shows the storage path and links to
    the storage URL, which for private files is a 404 (or worse, a public address).

    A form sets `download_url` (and `filename` where the original name is kept apart from
    the stored one) once it knows its instance."""

    template_name = "files/widgets/private_file_input.html"

    def __init__(self, attrs=None, *, download_url: str = "", filename: str = ""):
        super().__init__(attrs)
        self.download_url = download_url
        self.filename = filename

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        initial = self.is_initial(value)
        context["widget"].update(
            filename=(self.filename or PurePath(value.name).name) if initial else "",
            download_url=self.download_url if initial else "",
        )
        return context
