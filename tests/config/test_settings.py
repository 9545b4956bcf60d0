"""How Cairn configures itself from the environment: each started in a fresh process with
nothing but the variables under test."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LONG_KEY = "Zq8vN3tRm-xL5wKp_2HcYe7JbUd4GsAf9oQi1TnEr6WlMk0PyV"  # 50 characters
DEVELOPMENT_KEY = "cairn-development-only-secret-key-never-use-in-production"

REPORT = """
import json
import django
from django.conf import settings
django.setup()
database = settings.DATABASES["default"]
storage = settings.STORAGES["default"]
print(json.dumps({
    "debug": settings.DEBUG,
    "database_engine": database["ENGINE"],
    "database_name": str(database["NAME"]),
    "database_options": database.get("OPTIONS", {}),
    "storage_backend": storage["BACKEND"],
    "storage_options": storage.get("OPTIONS", {}),
    "mailer": settings.MAILERS["default"],
    "broker": settings.CELERY_BROKER_URL,
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "cache": settings.CACHES["default"],
}, default=str))
"""


def start(tmp_path, code: str = REPORT, **variables: str) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # Keep the embedded database out of the project's own var/ folder.
        "CAIRN_VAR_DIR": str(tmp_path / "var"),
        **variables,
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def configuration(tmp_path, **variables: str) -> dict:
    result = start(tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def refuses(result: subprocess.CompletedProcess, name: str) -> bool:
    return (
        result.returncode != 0
        and "ImproperlyConfigured" in result.stderr
        and name in result.stderr
        and not result.stdout
    )


# Secret key and DEBUG


def test_without_debug_or_a_secret_key_it_refuses_to_start(tmp_path):
    assert refuses(start(tmp_path), "SECRET_KEY")


def test_with_debug_off_a_short_secret_key_is_refused(tmp_path):
    assert refuses(start(tmp_path, SECRET_KEY="too-short-a-key"), "SECRET_KEY")


@pytest.mark.parametrize("key", ["a" * 60, "abab" * 20, "abcd" * 15])
def test_with_debug_off_a_long_key_of_few_characters_is_refused(tmp_path, key):
    assert refuses(start(tmp_path, SECRET_KEY=key), "SECRET_KEY")


HEADERS = """
import django
django.setup()
from django.test import Client
response = Client().get("/health/", secure=True, headers={"host": "cairn.example"})
print(response.headers.get("Strict-Transport-Security", ""))
print(response.headers.get("Content-Security-Policy", ""))
"""


def test_behind_tls_browsers_are_told_to_keep_to_https_for_a_year(tmp_path):
    result = start(
        tmp_path,
        code=HEADERS,
        SECRET_KEY=LONG_KEY,
        ALLOWED_HOSTS="cairn.example",
        BEHIND_TLS_PROXY="true",
        HSTS_INCLUDE_SUBDOMAINS="true",
    )
    hsts, csp = result.stdout.splitlines()
    assert hsts == "max-age=31536000; includeSubDomains"
    for directive in ["frame-ancestors 'none'", "base-uri 'none'", "form-action 'self'"]:
        assert directive in csp
    assert "unsafe-inline" not in csp


def test_without_tls_no_hsts_is_sent(tmp_path):
    result = start(tmp_path, code=HEADERS, SECRET_KEY=LONG_KEY, ALLOWED_HOSTS="cairn.example")
    assert result.stdout.splitlines()[0] == ""


def test_with_debug_off_the_development_key_is_refused_even_when_given_explicitly(tmp_path):
    result = start(tmp_path, DEBUG="false", SECRET_KEY=DEVELOPMENT_KEY)

    assert refuses(result, "SECRET_KEY")


def test_with_debug_on_it_starts_without_a_secret_key(tmp_path):
    assert configuration(tmp_path, DEBUG="true")["debug"] is True


def test_with_debug_off_a_long_secret_key_lets_it_start(tmp_path):
    assert configuration(tmp_path, SECRET_KEY=LONG_KEY)["debug"] is False


@pytest.mark.parametrize("value", ["maybe", "2", "enabled"])
def test_a_value_for_debug_that_is_not_a_boolean_fails_loudly(tmp_path, value):
    result = start(tmp_path, DEBUG=value, SECRET_KEY=LONG_KEY)

    assert refuses(result, f"DEBUG must be true or false, not '{value}'")


# Embedded by default, one service at a time


@pytest.fixture
def embedded(tmp_path):
    return configuration(tmp_path, SECRET_KEY=LONG_KEY)


def assert_embedded_database(config, tmp_path):
    assert config["database_engine"] == "django.db.backends.sqlite3"
    assert config["database_name"] == str(tmp_path / "var" / "db.sqlite3")
    assert "PRAGMA journal_mode=WAL" in config["database_options"]["init_command"]
    assert config["database_options"]["transaction_mode"] == "IMMEDIATE"


def assert_embedded_storage(config, tmp_path):
    assert config["storage_backend"] == "django.core.files.storage.FileSystemStorage"
    assert config["storage_options"] == {"location": str(tmp_path / "var" / "media")}


def assert_embedded_mail(config):
    assert config["mailer"] == {"BACKEND": "notifications.backends.ReadableConsoleBackend"}


def assert_embedded_tasks_and_cache(config):
    assert config["eager"] is True
    assert config["broker"] == "memory://localhost/"
    assert config["cache"] == {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}


def test_with_no_service_variables_everything_is_embedded(embedded, tmp_path):
    assert_embedded_database(embedded, tmp_path)
    assert_embedded_storage(embedded, tmp_path)
    assert_embedded_mail(embedded)
    assert_embedded_tasks_and_cache(embedded)


def test_database_url_switches_only_the_database_to_postgresql(tmp_path):
    config = configuration(tmp_path, SECRET_KEY=LONG_KEY, DATABASE_URL="postgres://u:p@db:5432/x")

    assert config["database_engine"] == "django.db.backends.postgresql"
    assert config["database_name"] == "x"
    assert_embedded_storage(config, tmp_path)
    assert_embedded_mail(config)
    assert_embedded_tasks_and_cache(config)


def test_redis_url_switches_only_the_broker_and_cache_to_redis(tmp_path):
    config = configuration(tmp_path, SECRET_KEY=LONG_KEY, REDIS_URL="redis://cache:6379/2")

    assert config["broker"] == "redis://cache:6379/2"
    assert config["eager"] is False
    assert config["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache:6379/2",
    }
    assert_embedded_database(config, tmp_path)
    assert_embedded_storage(config, tmp_path)
    assert_embedded_mail(config)


def test_s3_bucket_switches_only_file_storage_to_private_s3(tmp_path):
    config = configuration(tmp_path, SECRET_KEY=LONG_KEY, S3_BUCKET="cairn-files")

    assert config["storage_backend"] == "storages.backends.s3.S3Storage"
    options = config["storage_options"]
    assert options["bucket_name"] == "cairn-files"
    assert options["default_acl"] == "private"
    assert options["querystring_auth"] is True
    assert options["querystring_expire"] == 60
    assert options["file_overwrite"] is False
    assert_embedded_database(config, tmp_path)
    assert_embedded_mail(config)
    assert_embedded_tasks_and_cache(config)


def test_smtp_host_switches_only_email_to_smtp(tmp_path):
    config = configuration(tmp_path, SECRET_KEY=LONG_KEY, SMTP_HOST="mail.example.com")

    assert config["mailer"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert config["mailer"]["OPTIONS"]["host"] == "mail.example.com"
    assert config["mailer"]["OPTIONS"]["port"] == 587
    assert_embedded_database(config, tmp_path)
    assert_embedded_storage(config, tmp_path)
    assert_embedded_tasks_and_cache(config)


def test_smtp_port_is_taken_from_the_environment(tmp_path):
    config = configuration(
        tmp_path, SECRET_KEY=LONG_KEY, SMTP_HOST="mail.example.com", SMTP_PORT="2525"
    )

    assert config["mailer"]["OPTIONS"]["port"] == 2525


def test_a_port_that_is_not_a_number_fails_loudly(tmp_path):
    result = start(tmp_path, SECRET_KEY=LONG_KEY, SMTP_HOST="mail.example.com", SMTP_PORT="smtp")

    assert refuses(result, "SMTP_PORT must be a whole number, not 'smtp'")


def test_the_embedded_database_really_runs_in_wal_mode(tmp_path):
    code = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
"""
    result = start(tmp_path, code, DEBUG="true")

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal"
    # WAL is recorded in the file itself: a plain connection, without Cairn's options, sees it.
    plain = sqlite3.connect(tmp_path / "var" / "db.sqlite3")
    try:
        assert plain.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        plain.close()


SSO = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "apps": {name: conf["APPS"] for name, conf in settings.SOCIALACCOUNT_PROVIDERS.items()},
    "form_action": settings.SECURE_CSP["form-action"],
}))
"""


def test_identity_providers_come_from_the_environment_and_may_receive_the_sign_in_form(tmp_path):
    oidc = [
        {
            "provider_id": "acme",
            "name": "Acme SSO",
            "client_id": "cairn",
            "secret": "s",
            "settings": {"server_url": "https://id.acme.example/realms/staff"},
        }
    ]
    saml = [
        {
            "provider_id": "globex",
            "name": "Globex",
            "client_id": "globex",
            "settings": {
                "idp": {
                    "entity_id": "https://sso.globex.example/",
                    "metadata_url": "https://sso.globex.example/metadata",
                }
            },
        }
    ]
    result = start(
        tmp_path,
        code=SSO,
        DEBUG="true",
        OIDC_PROVIDERS=json.dumps(oidc),
        SAML_PROVIDERS=json.dumps(saml),
        SSO_ORIGINS="https://login.initech.example",
    )
    config = json.loads(result.stdout)
    assert config["apps"]["openid_connect"] == oidc
    assert config["apps"]["saml"] == saml
    assert config["form_action"] == [
        "'self'",
        "https://id.acme.example",
        "https://login.initech.example",
        "https://sso.globex.example",
    ]


def test_identity_providers_that_are_not_json_fail_loudly(tmp_path):
    result = start(tmp_path, DEBUG="true", OIDC_PROVIDERS="[{not json")
    assert refuses(result, "OIDC_PROVIDERS")
