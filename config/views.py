from celery.exceptions import CeleryError
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from kombu.exceptions import KombuError

from config.celery_app import app as celery_app
from config.selectors import home_page


def home(request):
    return render(request, "home.html", {"page": home_page(request.user)})


@login_not_required
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
