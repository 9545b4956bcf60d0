"""Cairn settings, read from the environment.

With no variables set, Cairn runs embedded: SQLite, local files, email to the console and
Celery tasks in-process. DATABASE_URL, REDIS_URL, S3_BUCKET and SMTP_HOST each switch one
part to its production service, independently of the others.
"""

from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from config.env import env_bool, env_int, env_json, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CAIRN_VAR_DIR") or BASE_DIR / "var")

DEBUG = env_bool("DEBUG", default=False)

# Used only with DEBUG on; a run with DEBUG off refuses to start without a real key.
DEVELOPMENT_SECRET_KEY = "cairn-development-only-secret-key-never-use-in-production"
SECRET_KEY = env_str("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
# Django's own rule for a strong key (its deploy check): 50 characters or more, at least 5
# of them different, so "aaaa…" or a padded word is refused as well as a short key.
if not DEBUG and (
    SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50 or len(set(SECRET_KEY)) < 5
):
    raise ImproperlyConfigured(
        "Set SECRET_KEY to a long random value (50 characters or more, not one character "
        "repeated) before running with DEBUG off, or set DEBUG=true for local development. "
        'Generate one with: python -c "import secrets; print(secrets.token_urlsafe(50))"'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# Absolute links in emails point here.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # allauth's list of passkeys uses its filters.
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "crispy_forms",
    "crispy_bootstrap5",
    "bootstrap",
    "fontawesome",
    "simple_history",
    "common",
    "accounts",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "notifications",
    "files",
    "jobs",
    "bip",
    "milestones",
    "surveys",
    "progress",
    "programmes",
    "collaboration",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in person unless its view says @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserLocaleMiddleware",
    # Before any process_view reads the body (the CSRF check does).
    "files.middleware.RequestSizeLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Platform admins set up two-factor authentication before anything else.
    "accounts.middleware.MfaRequiredMiddleware",
    # Records who made each change kept in the history of milestones, attendance and reviews.
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # A line on the next page someone opens when a job they started has finished.
    "jobs.middleware.JobNoticeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.template.context_processors.tz",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bip.context_processors.navigation",
                "collaboration.context_processors.navigation",
            ],
        },
    },
]

# Database: SQLite in var/ unless DATABASE_URL names another.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60), conn_health_checks=True
        )
    }
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # WAL lets readers and a writer work at once; IMMEDIATE transactions take the
                # write lock up front and wait for it (timeout, in seconds) instead of failing
                # with "database is locked" when two requests write together.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache and Celery broker: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
# Two installations sharing one Redis keep apart by naming their own queue.
CELERY_TASK_DEFAULT_QUEUE = env_str("CELERY_QUEUE", "celery")
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Redis re-delivers an unacknowledged task after this many seconds, so no task may be
# scheduled further ahead than this (see NOTIFICATIONS_MAX_COUNTDOWN).
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    # A web request that queues an email must not wait for a broker that is down: one quick
    # attempt, then the row stays queued for the sweeper. Workers reconnect on their own
    # terms (broker_connection_retry).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
    "socket_connect_timeout": 1,
}
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE = {
    "notifications-sweep": {
        "task": "notifications.tasks.sweep_notifications",
        "schedule": 60.0,
    },
    "collaboration-settled-milestones": {
        "task": "collaboration.tasks.announce_settled_milestones",
        "schedule": 60.0,
    },
    "collaboration-chat-emails": {
        "task": "collaboration.tasks.send_chat_emails",
        "schedule": 60.0,
    },
    "collaboration-reminders": {
        "task": "collaboration.tasks.send_project_reminders",
        "schedule": 3600.0,
    },
    "milestones-settled-sessions": {
        "task": "milestones.tasks.announce_settled_sessions",
        "schedule": 60.0,
    },
    "milestones-session-reminders": {
        "task": "milestones.tasks.send_session_reminders",
        "schedule": 300.0,
    },
    "milestones-review-digests": {
        "task": "milestones.tasks.send_review_digests",
        "schedule": 3600.0,
    },
    "progress-nudges": {"task": "progress.tasks.send_nudges", "schedule": 3600.0},
    "progress-plan-digests": {"task": "progress.tasks.send_plan_digests", "schedule": 3600.0},
    "jobs-sweep": {"task": "jobs.tasks.sweep_jobs", "schedule": 60.0},
}

# Files: private, on the local disk unless S3_BUCKET is set.
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"
S3_BUCKET = env_str("S3_BUCKET")
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("S3_ENDPOINT_URL") or None,
            "region_name": env_str("S3_REGION") or None,
            "access_key": env_str("S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": env_int("S3_URL_EXPIRY_SECONDS", 60),
            "file_overwrite": False,
            "signature_version": "s3v4",
            "addressing_style": env_str("S3_ADDRESSING_STYLE", "path"),
        },
    }
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_MB", 20) * 1024 * 1024
# An Office document or zip may unpack to at most this much (a small file can unpack to GiBs).
UPLOAD_MAX_UNPACKED_BYTES = env_int("UPLOAD_MAX_UNPACKED_MB", 200) * 1024 * 1024
# A CSV export of up to this many cells (rows times columns) downloads at once; a bigger one
# is written in the background and offered on its job's page when it is ready.
CSV_INSTANT_CELLS = env_int("CSV_INSTANT_CELLS", 50_000)

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]

# Email: SMTP when SMTP_HOST is set, otherwise printed to the console (or written to
# EMAIL_DIR, one file per message batch).
SMTP_HOST = env_str("SMTP_HOST")
if SMTP_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": SMTP_HOST,
                "port": env_int("SMTP_PORT", 587),
                "username": env_str("SMTP_USER"),
                "password": env_str("SMTP_PASSWORD"),
                "use_tls": env_bool("SMTP_STARTTLS", default=False),
                "use_ssl": env_bool("SMTP_SSL", default=False),
                "timeout": env_int("SMTP_TIMEOUT", 20),
            },
        }
    }
elif env_str("EMAIL_DIR"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("EMAIL_DIR")},
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "notifications.backends.ReadableConsoleBackend"}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cairn <cairn@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
NOTIFICATIONS_MAX_ATTEMPTS = env_int("NOTIFICATIONS_MAX_ATTEMPTS", 8)
NOTIFICATIONS_MAX_COUNTDOWN = CELERY_VISIBILITY_TIMEOUT // 2

# Accounts: sign-in, password reset and change, email change, two-factor authentication and
# single sign-on by django-allauth. Accounts are made by invitation only.
AUTH_USER_MODEL = "accounts.User"
# allauth's backend alone: it extends Django's (permissions included), and a second backend
# would hash every failed password twice.
AUTHENTICATION_BACKENDS = ["allauth.account.auth_backends.AuthenticationBackend"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "optional"
# A new address takes over from the old one once its owner confirms it.
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
# Password reset and sign-in answer alike for known and unknown addresses (and reset takes
# as long: accounts.views.password_reset); an unknown address is sent nothing.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# Failed sign-ins count per address and network address together (one attacker cannot lock a
# colleague out from elsewhere) and per network address; both cool off.
ACCOUNT_RATE_LIMITS = {
    "login_failed": env_str("RATE_LIMIT_LOGIN_FAILED", "20/m/ip,5/15m/key"),
    "reset_password": env_str("RATE_LIMIT_PASSWORD_RESET", "10/m/ip,3/15m/key"),
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
# The client's address when Cairn runs behind this many proxies that each append to
# X-Forwarded-For (0: the connection's own address).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Cairn"
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
# Single sign-on: people with an account (or an invitation) log in through their
# organisation's identity provider, matched by verified email; it never creates accounts.
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_LOGIN_ON_GET = False
OIDC_PROVIDERS = env_json("OIDC_PROVIDERS", [])
SAML_PROVIDERS = env_json("SAML_PROVIDERS", [])
SOCIALACCOUNT_PROVIDERS = {
    # OIDC_PROVIDERS: [{"provider_id": "acme", "name": "Acme SSO", "client_id": "...",
    # "secret": "...", "settings": {"server_url": "https://id.acme.example"}}]
    "openid_connect": {"APPS": OIDC_PROVIDERS, "EMAIL_AUTHENTICATION": True},
    # SAML_PROVIDERS: allauth's SAML app settings, one per identity provider.
    "saml": {"APPS": SAML_PROVIDERS, "EMAIL_AUTHENTICATION": True},
}


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# Signing in through an identity provider posts a form that redirects there, which the
# Content Security Policy's form-action must allow; providers set up in the admin site are
# named in SSO_ORIGINS.
SSO_ORIGINS = sorted(
    {_origin(app["settings"]["server_url"]) for app in OIDC_PROVIDERS}
    | {
        _origin(app["settings"]["idp"].get("sso_url") or app["settings"]["idp"]["metadata_url"])
        for app in SAML_PROVIDERS
    }
    | set(env_list("SSO_ORIGINS", []))
)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24 * 3

LANGUAGE_CODE = "en-gb"
# Each person chooses one on their profile; before signing in, the browser's choice counts.
LANGUAGES = [("en-gb", "English"), ("de", "Deutsch")]
# Cairn's catalog, then its own wording for django-allauth's text (which outranks allauth's).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "third_party"]
# The named date formats the templates use (DAY_FORMAT, WEEKDAY_TIME_FORMAT, ...), per language.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF, *SSO_ORIGINS],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=False)
# Browsers are told to use HTTPS only (sent on HTTPS responses alone) once Cairn is served
# over TLS; a year by default, 0 turns it off.
_SERVED_OVER_TLS = env_bool("BEHIND_TLS_PROXY") or SECURE_SSL_REDIRECT
SECURE_HSTS_SECONDS = env_int("HSTS_SECONDS", 31_536_000 if _SERVED_OVER_TLS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
# Sessions are read from the cache (Redis in production) and kept in the database too, so
# a page does not start with a database query and a cache flush signs nobody out.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Client collaboration projects. The consultant is reminded when the milestones section has
# been open this many days without a milestone, then again every REPEAT days until one exists.
COLLABORATION_NO_MILESTONES_REMINDER_DAYS = env_int("COLLABORATION_NO_MILESTONES_REMINDER_DAYS", 2)
# How often an open project page asks whether the other person changed or wrote something.
COLLABORATION_POLL_SECONDS = env_int("COLLABORATION_POLL_SECONDS", 5)
COLLABORATION_NO_MILESTONES_REPEAT_DAYS = env_int("COLLABORATION_NO_MILESTONES_REPEAT_DAYS", 3)
# Both parties hear about a milestone this many days before it is due.
COLLABORATION_DUE_SOON_DAYS = env_int("COLLABORATION_DUE_SOON_DAYS", 2)
# Chat messages shown at once; older ones are a click away.
COLLABORATION_CHAT_PAGE_SIZE = env_int("COLLABORATION_CHAT_PAGE_SIZE", 50)
# A milestone's changes reach the client once it has been left alone this long: a tick and an
# untick inside it send nothing, and the page offers "Undo" until then.
COLLABORATION_SETTLING_SECONDS = env_int("COLLABORATION_SETTLING_SECONDS", 120)
# A chat message is emailed to the other side once the conversation has been quiet this long
# and they have not read it; a busy conversation holds the email back three times as long.
COLLABORATION_CHAT_EMAIL_SECONDS = env_int("COLLABORATION_CHAT_EMAIL_SECONDS", 300)

# Business Improvement Plans. Participants of a self-marked session may mark themselves
# present from this many minutes before each session day starts until it ends.
ATTENDANCE_SELF_MARKING_OPENS_MINUTES = env_int("ATTENDANCE_SELF_MARKING_OPENS_MINUTES", 15)
# A session's change is announced once it has been left alone this long, so a burst of edits
# (a typo fixed twice in a minute) reaches people as one email with the final state.
SESSION_CHANGE_SETTLING_SECONDS = env_int("SESSION_CHANGE_SETTLING_SECONDS", 60)
