"""The benchmark database: which one, and creating it when it is not there yet.

The benchmarks write tens of thousands of generated rows, so they never run in the database that
DATABASE_URL names for development or tests: they use BENCH_DATABASE_URL when set, else the same
server with `_bench` added to the database name (`lev` -> `lev_bench`). A name that already
contains "bench" is used as it is.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import dj_database_url
import psycopg2
from psycopg2 import sql


class BenchSetupError(Exception):
    pass


def bench_database_url(environ: dict[str, str]) -> str:
    explicit = environ.get("BENCH_DATABASE_URL", "").strip()
    if explicit:
        return explicit
    url = environ.get("DATABASE_URL", "").strip()
    if not url:
        raise BenchSetupError(
            "The benchmarks run against PostgreSQL: set DATABASE_URL (or BENCH_DATABASE_URL), "
            "for example postgres://postgres@127.0.0.1:5432/lev."
        )
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres"):
        raise BenchSetupError("The benchmarks run against PostgreSQL only, not the embedded SQLite database.")
    name = parts.path.lstrip("/")
    if "bench" in name:
        return url
    return urlunsplit(parts._replace(path=f"/{name}_bench"))


def ensure_database(url: str) -> bool:
    """Create the database named in `url` when it does not exist. True when it was created."""
    config = dj_database_url.parse(url)
    name = config["NAME"]
    try:
        connection = psycopg2.connect(
            dbname="postgres",
            user=config.get("USER") or None,
            password=config.get("PASSWORD") or None,
            host=config.get("HOST") or None,
            port=config.get("PORT") or None,
        )
    except psycopg2.OperationalError as exc:
        raise BenchSetupError(f"PostgreSQL cannot be reached: {exc}".strip()) from exc
    try:
        connection.autocommit = True
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()
