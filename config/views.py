from celery.exceptions import CeleryError
from django.contrib.auth.decorators import login_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu.exceptions import KombuError

from bip.selectors import memberships_for_user
from config.celery_app import app as celery_app
from milestones.selectors import milestones_run_by
from notifications.selectors import outbox_summary
from progress.participant import participant_overview


@login_required
def home(request):
    journeys = participant_overview(request.user)
    progress = {journey.plan.pk: journey.row for journey, _ in journeys}
    memberships = list(memberships_for_user(request.user))
    for membership in memberships:
        membership.progress = progress.get(membership.plan_id)
    context = {
        "memberships": memberships,
        "journeys": journeys,
        "sessions_run": list(milestones_run_by(request.user)),
    }
    if request.user.is_staff:
        context["outbox"] = outbox_summary()
    return render(request, "home.html", context)


@never_cache
@require_safe
def health(request):
    """For load balancers and the compose file: 200 when the database and broker answer."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(result in ("ok", "in-process") for result in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return f"error: {error}"
    return "ok"


def _check_broker() -> str:
    if celery_app.conf.task_always_eager:
        return "in-process"
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except (CeleryError, KombuError, OSError) as error:
        return f"error: {error}"
    return "ok"
