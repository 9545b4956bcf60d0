from django.contrib import messages
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRefresh

from files.views import file_response
from jobs.models import Job
from jobs.selectors import get_job_for_user, jobs_started_by
from jobs.services import job_seen


def job_list(request):
    return render(request, "jobs/job_list.html", {"jobs": jobs_started_by(request.user)})


def job_detail(request, pk):
    job = get_job_for_user(request.user, pk)
    if request.htmx:
        if job.is_finished:
            # The page polled while the job ran; now it shows the outcome in full.
            return HttpResponseClientRefresh()
        return render(request, "jobs/job_detail.html#progress", {"job": job})
    if job.started_by_id == request.user.pk and job_seen(job=job):
        tell_how_it_ended(request, job)
    kind = job.kind_info
    report = kind.report(job) if job.is_finished and kind and kind.report else None
    return render(request, "jobs/job_detail.html", {"job": job, "kind": kind, "report": report})


def job_download(request, pk):
    job = get_job_for_user(request.user, pk)
    return file_response(job.file, filename=job.file_name)


def tell_how_it_ended(request, job: Job, *, link: bool = False) -> None:
    """A message saying how a job ended: on its own page, or (with a link to it) on the
    next page its starter opens elsewhere."""
    if job.state == Job.State.DONE:
        text = _("%(title)s is finished: %(outcome)s") % {
            "title": job.title,
            "outcome": job.outcome,
        }
        more, level = _("See the result"), messages.SUCCESS
    else:
        text = _("%(title)s did not finish.") % {"title": job.title}
        more, level = _("See what went wrong"), messages.ERROR
    if link:
        url = reverse("jobs:detail", args=[job.pk])
        text = format_html('{} <a class="alert-link" href="{}">{}</a>', text, url, more)
    messages.add_message(request, level, text)
