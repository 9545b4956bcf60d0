import logging
from functools import cache

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from config.celery_app import app as celery_app
from config.selectors import home_page

logger = logging.getLogger(__name__)

# Seconds a health check waits for the database or broker before calling it down.
HEALTH_TIMEOUT = 0.5


def home(request):
    return render(request, "home.html", {"page": home_page(request.user)})


@login_not_required
@never_cache
@require_safe
def health(request):
    """For load balancers and the compose file: 200 when the database and broker answer.

    Anyone may ask, so strangers learn only "ok" or "error" per part; platform admins see
    the error itself. Each check gives up within a second, so a broker that is down makes
    this answer 503 quickly instead of holding a worker."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    healthy = all(error is None for error in checks.values() if error != "in-process")
    detailed = request.user.is_authenticated and request.user.is_staff
    for part, error in checks.items():
        if error not in (None, "in-process"):
            logger.warning("Health check: %s: %s", part, error)
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            **{part: _shown(error, detailed) for part, error in checks.items()},
        },
        status=200 if healthy else 503,
    )


def _shown(error: str | None, detailed: bool) -> str:
    if error is None:
        return "ok"
    if error == "in-process":
        return error
    return f"error: {error}" if detailed else "error"


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return str(error)
    return None


@cache
def _broker_pool() -> redis.ConnectionPool:
    # One pool per process: a check reuses a connection instead of opening one per call.
    return redis.ConnectionPool.from_url(
        settings.REDIS_URL,
        socket_connect_timeout=HEALTH_TIMEOUT,
        socket_timeout=HEALTH_TIMEOUT,
        max_connections=4,
    )


def _check_broker() -> str | None:
    if celery_app.conf.task_always_eager:
        return "in-process"
    try:
        redis.Redis(connection_pool=_broker_pool(), retry=None).ping()
    except (redis.RedisError, OSError) as error:
        return str(error)
    return None
