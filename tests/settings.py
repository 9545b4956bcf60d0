"""Settings for the test suite: the project's own settings with test-only adjustments."""

import os

# A test run is a production-like run (DEBUG off), so it needs a key of its own.
os.environ.setdefault("SECRET_KEY", "test-secret-key-only-for-the-cairn-test-suite-0123456789")

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, STORAGES

INSTALLED_APPS = [*INSTALLED_APPS, "tests.filesapp"]

# live_server serves static files itself and does not know manifest names.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Browsers in tests talk plain HTTP to the live server.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# Tasks run in-process unless a test hands them to a real worker (tests/services).
CELERY_TASK_ALWAYS_EAGER = True
# The test run has no collected static files; serve them from the apps as in development.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
