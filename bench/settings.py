"""Settings for the benchmarks: LEV's own settings, with the benchmark URLconf on top.

`bench.urls` adds the bare baseline view to LEV's URLs, so the baseline never ships in the
product's URLconf. Everything else (middleware, sessions in the database, persistent connections,
DEBUG off, the production password hasher) stays as in production.
"""

import os
import secrets
import warnings

# The benchmark database holds only generated data; a key per run is enough.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))

from lev.settings import *  # noqa: E402,F403
from lev.settings import ALLOWED_HOSTS  # noqa: E402

ROOT_URLCONF = "bench.urls"
# Django's test client sends requests for the host "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
# WhiteNoise warns when `collectstatic` has not run; the benchmarks serve no static files.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
