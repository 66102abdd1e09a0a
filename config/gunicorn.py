"""Gunicorn's settings for Binôme: `gunicorn -c config/gunicorn.py config.wsgi`.

Every variable is declared once here with its default, as config/settings.py does for Django's.
"""

import environ

env = environ.Env(
    HOST=(str, "127.0.0.1"),
    PORT=(int, 8000),
    # Processes: about two per core. Each holds one database connection per thread.
    WEB_CONCURRENCY=(int, 2),
    # Threads per process: pages wait mostly on the database, so threads overlap that wait.
    WEB_THREADS=(int, 4),
    # A request running longer is ended and its process replaced (a matching run of a large
    # programme takes seconds; nothing should take a minute).
    WEB_TIMEOUT=(int, 60),
)

bind = f"{env('HOST')}:{env('PORT')}"
workers = env("WEB_CONCURRENCY")
threads = env("WEB_THREADS")
worker_class = "gthread"
timeout = env("WEB_TIMEOUT")
graceful_timeout = 30
keepalive = 5
# Each process is replaced after about a thousand requests, so that no slow leak builds up.
max_requests = 1000
max_requests_jitter = 100
# No access log of gunicorn's own: it would write query strings (searches carry names). Binôme
# logs one line per request itself, without them (binome/core/logs.py: RequestLog).
accesslog = None
errorlog = "-"
# Behind a reverse proxy the client's address is read by Binôme from X-Forwarded-For
# (TRUSTED_PROXY_COUNT) and HTTPS from X-Forwarded-Proto (BEHIND_TLS_PROXY).
