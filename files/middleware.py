from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat

# Room for the form's other fields around the largest file.
FORM_MARGIN_BYTES = 1024 * 1024


class RequestSizeLimitMiddleware:
    """Refuse a request whose body is larger than any upload may be, before it is read.

    Its __call__ runs before any view or middleware's process_view reads the body (the CSRF
    check reads the form), so the bytes are never taken in.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_BYTES + FORM_MARGIN_BYTES
        if length > limit:
            return render(
                request,
                "files/request_too_large.html",
                {"limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
                status=413,
            )
        return self.get_response(request)
