"""Bench-only middleware: the SQL queries a request ran, in a response header.

Enabled by ``BENCH_COUNT_QUERIES=1`` (``bench/settings.py`` puts it first in
``MIDDLEWARE``; ``bench/server.py`` sets it for the bench server), so the count
takes in everything a request does: session and user lookups, the view, the
session save. ``bench/journey.py`` reads ``X-Bench-Queries`` from each answer.
It counts through a database execute wrapper, which costs a function call per
query, and is never part of the production settings.
"""

from django.db import connections

HEADER = "X-Bench-Queries"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = [0]

        def counting(execute, sql, params, many, context):
            count[0] += 1
            return execute(sql, params, many, context)

        wrapped = [connections[alias] for alias in connections]
        for connection in wrapped:
            connection.execute_wrappers.append(counting)
        try:
            response = self.get_response(request)
        finally:
            for connection in wrapped:
                connection.execute_wrappers.remove(counting)
        response[HEADER] = str(count[0])
        return response
