# Cairn application image: the web process (gunicorn) by default; the same image runs the
# Celery worker and beat with a different command (see docker-compose.yml and docs/docker.md).
FROM python:3.13.9-slim

# WEB_CONCURRENCY is gunicorn's default worker count (3 suits a small host; override it at
# run time rather than editing the command).
ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    CAIRN_VAR_DIR=/app/var \
    WEB_CONCURRENCY=3

WORKDIR /app

# Runtime dependencies only (no dev tools), in their own layer so code changes reuse it.
COPY requirements/base.txt requirements/base.txt
RUN pip install -r requirements/base.txt

COPY . .

# Static files are baked into the image and served by WhiteNoise. Settings refuse to load
# with DEBUG off and no real key, so this one step gets a throwaway key that never reaches
# the image's environment; the running container must be given its own SECRET_KEY.
RUN env SECRET_KEY=docker-build-only-collectstatic-key-not-a-secret-0123456789 \
        python manage.py collectstatic --no-input

# Code and collected static files stay root-owned, read-only to the app. Only var/ itself
# (SQLite when DATABASE_URL is unset) and var/media (uploads when S3_BUCKET is unset) are
# writable.
RUN groupadd --system --gid 10001 cairn \
    && useradd --system --uid 10001 --gid cairn --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin cairn \
    && mkdir -p /app/var/media \
    && chown cairn:cairn /app/var /app/var/media
USER cairn

EXPOSE 8000

# /health/ answers 200 only when the database and the broker respond. slim has no curl.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health/', timeout=4)"]

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-"]
