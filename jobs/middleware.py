from jobs.services import job_notices_take
from jobs.views import tell_how_it_ended


class JobNoticeMiddleware:
    """Tells people, on the next page they open, that a job they started has finished, so
    they hear of it even if they left its page. Job pages say it themselves."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if (
            request.method == "GET"
            and not request.htmx
            and request.user.is_authenticated
            and view_func.__module__ != "jobs.views"
        ):
            for job in job_notices_take(user=request.user):
                tell_how_it_ended(request, job, link=True)
