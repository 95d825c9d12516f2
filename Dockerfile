# LEV: one image for the web server (gunicorn), the Celery worker and Celery beat.
# Build:  docker compose build      (see docs/operator-guide.md)

# --- Stage 1: build wheels for every pinned dependency (psycopg2 compiles against libpq) -------
FROM python:3.11-slim AS build

RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential libpq-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /src
COPY pyproject.toml ./
COPY lev ./lev
RUN pip wheel --no-cache-dir --wheel-dir /wheels . \
    && rm -f /wheels/lev-*.whl

# --- Stage 2: the runtime image ----------------------------------------------------------------
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=lev.settings \
    LEV_DATA_DIR=/var/lib/lev \
    LEV_MEDIA_ROOT=/var/lib/lev/media \
    LEV_STATIC_ROOT=/app/staticfiles

# libpq5: PostgreSQL client library (psycopg2). Pango + HarfBuzz: WeasyPrint's Debian libraries.
# fonts-dejavu-core: a fallback font for PDFs. gettext: compilemessages below.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpq5 \
        libpango-1.0-0 \
        libpangoft2-1.0-0 \
        libharfbuzz0b \
        libharfbuzz-subset0 \
        fonts-dejavu-core \
        gettext \
    && rm -rf /var/lib/apt/lists/*

COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index /wheels/*.whl \
    && rm -rf /wheels

# A non-root user owns nothing but the data directory (uploaded files, letters).
RUN groupadd --system --gid 10001 lev \
    && useradd --system --uid 10001 --gid lev --home-dir /app --no-create-home --shell /usr/sbin/nologin lev \
    && mkdir -p /var/lib/lev/media \
    && chown -R lev:lev /var/lib/lev

WORKDIR /app
COPY manage.py ./
COPY lev ./lev
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# Translations and static files are part of the image. The secret given here exists only for
# these two commands (settings refuse to load without one); it is not kept in the image's
# environment. Without DATABASE_URL the settings fall back to SQLite, but neither command
# opens the database.
RUN DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py compilemessages --verbosity 0 \
    && DJANGO_SECRET_KEY=build-only-not-a-secret python manage.py collectstatic --no-input --verbosity 0 \
    && rm -f /var/lib/lev/lev.sqlite3*

USER lev
VOLUME ["/var/lib/lev"]
EXPOSE 8000

# docker-compose.yml gives each service its command; this default runs the web server.
CMD ["gunicorn", "lev.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--error-logfile", "-", \
     "--access-logformat", "{\"logger\": \"gunicorn.access\", \"at\": \"%(t)s\", \"method\": \"%(m)s\", \"path\": \"%(U)s\", \"status\": \"%(s)s\", \"bytes\": \"%(B)s\", \"ms\": \"%(M)s\"}"]
