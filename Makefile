# make run   — set up and serve the site on http://127.0.0.1:8000 (SQLite, tasks in-process by default)
# make test  — set up and run the whole suite on PostgreSQL and Redis
# make bench — benchmarks under bench/ against the production layout; figures in docs/benchmarks.md
# make serve-prod — the production layout on this machine (nginx, gunicorn, PgBouncer, Celery worker
#                   and beat, production settings) on http://127.0.0.1:8080, until Ctrl-C

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
STAMP := $(VENV)/.installed

TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/prefecture
TEST_BROKER_URL ?= redis://127.0.0.1:6379/15
PROD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/prefecture
PROD_BROKER_URL ?= redis://127.0.0.1:6379/0
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/prefecture_bench
BENCH_BROKER_URL ?= redis://127.0.0.1:6379/14
# The production layout's programs (Debian): the front, the pooler, and wrk for the read benchmark.
PROD_DEBS := nginx-light libnginx-mod-http-headers-more-filter pgbouncer wrk

.PHONY: install run test lint bench chromium services messages clean prod-packages serve-prod

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

messages: install
	@if [ -d locale ] && command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore=.venv -v0; fi

# Without SMTP settings, `make run` writes each e-mail (with its .ics and PDF) to a file here.
run: export EMAIL_FILE_PATH ?= var/sent-emails

run: install messages
	@echo "E-mails are written to $(EMAIL_FILE_PATH)/ unless EMAIL_HOST is set"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@if [ -n "$$CELERY_BROKER_URL" ]; then \
	  echo "Starting a Celery worker and beat on $$CELERY_BROKER_URL"; \
	  $(VENV)/bin/celery -A prefecture worker --beat --loglevel=INFO --concurrency=2 & \
	fi
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's Chromium for the browser tests (Playwright cannot download its own here), and
# gettext for the translation catalogue test.
chromium:
	@command -v chromium >/dev/null && command -v xgettext >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null)

prod-packages:
	@command -v nginx >/dev/null && command -v pgbouncer >/dev/null && command -v wrk >/dev/null \
	  && test -f /usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PROD_DEBS) >/dev/null)

# Production settings with a secret generated once into var/prod/; migrations and collectstatic first.
serve-prod: install services messages prod-packages
	DATABASE_URL=$(PROD_DATABASE_URL) CELERY_BROKER_URL=$(PROD_BROKER_URL) $(PY) -m prefecture.deploy.layout

# PostgreSQL and Redis are expected on 127.0.0.1; start them if this machine has them stopped.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
	@psql -h 127.0.0.1 -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'prefecture'" | grep -q 1 \
	  || createdb -h 127.0.0.1 -U postgres prefecture

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test: install chromium prod-packages services messages lint
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_BROKER_URL=$(TEST_BROKER_URL) $(VENV)/bin/pytest

bench: install services messages prod-packages
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) $(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
