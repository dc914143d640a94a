"""coursesite's own settings, with three knobs the benchmarks need.

``coursesite.settings`` fixes ``STATIC_ROOT`` to ``<repo>/staticfiles``; the bench
collects static files into a temporary folder instead, so it never writes into the
work tree. Everything else (DEBUG, SECRET_KEY, DATABASE_URL, REDIS_URL, ...) comes
from the environment exactly as in production.

BENCH_STATIC_ROOT     where ``collectstatic`` writes and WhiteNoise reads
BENCH_PLAIN_STATIC=1  plain ``StaticFilesStorage`` (no manifest, so no collectstatic):
                      for in-process measurements that render pages but serve no
                      static files
BENCH_COUNT_QUERIES=1 every answer carries its SQL query count in a header
                      (``bench/query_count.py``; set for the bench server)
"""

import os

from coursesite.settings import *  # noqa: F403

if os.environ.get("BENCH_STATIC_ROOT"):
    STATIC_ROOT = os.environ["BENCH_STATIC_ROOT"]
if os.environ.get("BENCH_PLAIN_STATIC") == "1":
    STORAGES["staticfiles"] = {  # noqa: F405
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
    }
if os.environ.get("BENCH_COUNT_QUERIES") == "1":
    # bench/query_count.py: each answer says how many SQL queries it took.
    MIDDLEWARE = ["bench.query_count.QueryCountMiddleware", *MIDDLEWARE]  # noqa: F405
