#!/usr/bin/env bash
# `make run`: LEV with demo data. Embedded default (SQLite + WAL, no Redis) unless DATABASE_URL /
# REDIS_URL are set.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
bash scripts/ensure-system-packages.sh runtime
mkdir -p var
if [ -z "${DJANGO_SECRET_KEY:-}" ] && [ -z "${DJANGO_SECRET_KEY_FILE:-}" ]; then
  [ -s var/secret_key ] || $PY -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
  export DJANGO_SECRET_KEY_FILE=var/secret_key
fi
export LEV_HTTPS="${LEV_HTTPS:-false}"
export LEV_DEMO="${LEV_DEMO:-true}"
PORT="${PORT:-8000}"
export DJANGO_ALLOWED_HOSTS="${DJANGO_ALLOWED_HOSTS:-localhost,127.0.0.1}"
export LEV_BASE_URL="${LEV_BASE_URL:-http://127.0.0.1:$PORT}"

$PY manage.py compilemessages --ignore=.venv --verbosity 0
$PY manage.py migrate --no-input --verbosity 0
$PY manage.py collectstatic --no-input --verbosity 0
$PY manage.py seed_demo --quiet
$PY manage.py demo_logins

if [ -z "${DATABASE_URL:-}" ]; then mode="embedded (SQLite: var/lev.sqlite3, no Redis)"; else mode="PostgreSQL/Redis"; fi
echo
echo "LEV runs at http://127.0.0.1:$PORT/  — mode: $mode"
echo "Stop with Ctrl+C."
pids=()
if $PY manage.py help run_jobs >/dev/null 2>&1; then
  $PY manage.py run_jobs & pids+=($!)
fi
trap 'kill "${pids[@]}" 2>/dev/null || true' EXIT
exec_cmd=(.venv/bin/gunicorn lev.wsgi:application --bind "127.0.0.1:$PORT" --workers 2 --access-logfile - --log-level warning)
"${exec_cmd[@]}"
