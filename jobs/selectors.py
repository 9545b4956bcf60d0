from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from jobs.models import Job
from jobs.signals import scopes_looked_after

# Enough to find a recent one; older jobs are in the admin site.
JOBS_LISTED = 50


def jobs_visible_to(user) -> QuerySet[Job]:
    """The jobs a person may see: those they started, those of the scopes they look after
    (a plan's admins see its imports and exports) and, for platform admins, every job."""
    if not user.is_authenticated:
        return Job.objects.none()
    if user.is_staff:
        return Job.objects.all()
    theirs = Q(started_by=user)
    for _receiver, scopes in scopes_looked_after.send(sender=Job, user=user):
        theirs |= Q(scope__in=scopes)
    return Job.objects.filter(theirs)


def get_job_for_user(user, pk) -> Job:
    """The job, if this person may see it; 404 otherwise, so nobody learns which jobs
    exist."""
    return get_object_or_404(jobs_visible_to(user).select_related("started_by"), pk=pk)


def jobs_started_by(user) -> list[Job]:
    """The person's latest jobs, newest first, without their reports."""
    return list(
        Job.objects.filter(started_by=user)
        .defer("report", "params")
        .order_by("-created_at", "-pk")[:JOBS_LISTED]
    )


def recent_jobs(*, scope: str, kind: str, limit: int = 5) -> list[Job]:
    """The latest jobs of a kind in a scope (a plan's member imports), with who started
    them and without their reports."""
    return list(
        Job.objects.filter(scope=scope, kind=kind)
        .select_related("started_by")
        .defer("report", "params")
        .order_by("-created_at", "-pk")[:limit]
    )
