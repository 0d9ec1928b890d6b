"""gunicorn for the production layout: `gunicorn -c prefecture/deploy/gunicorn.conf.py prefecture.wsgi`.

Sized from the CPU count; every value can be overridden from the environment.
gthread workers: each process runs a few requests at once (the admission
limit, prefecture/admission.py) and keeps many more connections waiting on a
thread, each for a bounded time, instead of in the kernel's listen backlog
where nobody can answer them. See docs/deployment.md for the figures.
"""

import os

from gunicorn.http import wsgi as _gunicorn_wsgi

_cores = os.cpu_count() or 1

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
wsgi_app = "prefecture.wsgi:application"
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", str(2 * _cores)))
# Threads mostly wait: for their turn (bounded), for PostgreSQL, for the client.
threads = int(os.environ.get("GUNICORN_THREADS", "32"))
worker_connections = int(os.environ.get("GUNICORN_WORKER_CONNECTIONS", "1000"))
backlog = int(os.environ.get("GUNICORN_BACKLOG", "2048"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Longer than nginx's upstream keepalive_timeout, so nginx always closes first.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "75"))
# A worker is replaced after this many requests (0: never), against slow memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
limit_request_line = 4094

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
logger_class = "prefecture.deploy.access_log.MaskedTokensLogger"
access_log_format = '%(h)s - - %(t)s "%(r)s" %(s)s %(b)s %(M)sms "%(f)s" "%(a)s"'
proc_name = "prefecture-web"


# gunicorn has no setting to keep its name and version out of the answers: drop the header.
_default_headers = _gunicorn_wsgi.Response.default_headers


def _headers_without_server(self):
    return [line for line in _default_headers(self) if not line.startswith("Server:")]


_gunicorn_wsgi.Response.default_headers = _headers_without_server
