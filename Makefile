# make run   — set up and serve the site on http://127.0.0.1:8000 (SQLite, tasks in-process by default)
# make test  — set up and run the whole suite on PostgreSQL and Redis
# make fuzz  — the fuzz test of every form and URL parameter, with many more examples than in make test
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

.PHONY: install run test test-clock fuzz lint bench chromium gettext fonts locales services messages translations clean prod-packages serve-prod

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

# The compiled catalogues (.mo) are built here, never committed: gettext's msgfmt compiles them.
gettext:
	@command -v msgfmt >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext >/dev/null)

messages: install gettext
	$(PY) manage.py compilemessages --ignore=.venv -v0

# After changing a visible string: extract the strings of every shipped language into its .po
# (locale/<lang>/LC_MESSAGES/django.po), then fill the new and fuzzy entries of each, then `make messages`.
# tests/test_translations.py fails while any entry of any language is missing, fuzzy or has other placeholders.
translations: install gettext
	$(PY) manage.py makemessages --all --no-obsolete --ignore=.venv -v0

# Fonts for the PDFs (convocation, certificate): DejaVu for Latin, Cyrillic and Arabic, WenQuanYi for Chinese.
fonts:
	@test -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf -a -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core fonts-wqy-microhei >/dev/null)

# Without SMTP settings, `make run` writes each e-mail (with its .ics and PDF) to a file here.
run: export EMAIL_FILE_PATH ?= var/sent-emails

run: install fonts messages
	@echo "E-mails are written to $(EMAIL_FILE_PATH)/ unless EMAIL_HOST is set"
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	@if [ -n "$$CELERY_BROKER_URL" ]; then \
	  echo "Starting a Celery worker and beat on $$CELERY_BROKER_URL"; \
	  $(VENV)/bin/celery -A prefecture worker --beat --loglevel=INFO --concurrency=2 & \
	fi
	$(PY) manage.py runserver 127.0.0.1:8000

# Debian's Chromium for the browser tests (Playwright cannot download its own here), gettext
# for the translation catalogue test, and faketime for `make test-clock`.
chromium:
	@command -v chromium >/dev/null && command -v xgettext >/dev/null && command -v faketime >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext faketime >/dev/null)

# A French locale, so that a test can have PostgreSQL answer in French (lc_messages) and show that database
# errors are recognised by their code, not their text. Compiled as a folder, not into the locale archive: a
# PostgreSQL server already running reads the archive it mapped at start, but finds a new folder at once.
locales:
	@test -d /usr/lib/locale/fr_FR.utf8 || { command -v localedef >/dev/null || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq locales >/dev/null); \
	  localedef --no-archive -i fr_FR -f UTF-8 fr_FR.UTF-8; }

prod-packages:
	@command -v nginx >/dev/null && command -v pgbouncer >/dev/null && command -v wrk >/dev/null \
	  && test -f /usr/lib/nginx/modules/ngx_http_headers_more_filter_module.so || \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(PROD_DEBS) >/dev/null)

# Production settings with a secret generated once into var/prod/; migrations and collectstatic first.
serve-prod: install fonts services messages prod-packages
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

test: install chromium fonts locales prod-packages services messages lint
	DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py makemigrations --check --dry-run
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_BROKER_URL=$(TEST_BROKER_URL) $(VENV)/bin/pytest

# The property-based fuzzing of every form and URL parameter (tests/test_fuzz.py) with a bigger budget than
# `make test` gives it, random each run: FUZZ_EXAMPLES examples per form (default 300).
fuzz: install services messages
	DATABASE_URL=$(TEST_DATABASE_URL) TEST_BROKER_URL=$(TEST_BROKER_URL) FUZZ_PROFILE=fuzz \
	  $(VENV)/bin/pytest -q -p no:cacheprovider tests/test_fuzz.py

# The suite must not depend on the day it runs: run it (browser tests aside) with the clock set,
# in Paris time, to days that broke date-dependent tests: the Wednesday before Easter Monday,
# Christmas Eve evening, and a Sunday 23:30 before two public-holiday Mondays (1 and 8 May 2028).
# Not part of `make test`: each date is another full run. The production layout's tests are left out: faketime
# starts each process's clock at the given date when the process starts, so nginx and gunicorn, started seconds
# apart, disagree on the time the load shedding measures (and those tests use no calendar date); so are the
# tests of timed waits between threads (marked timed_waits), which faketime breaks.
CLOCK_DATES ?= 2027-03-24 10:00:00|2026-12-24 21:00:00|2028-04-30 23:30:00

test-clock: install chromium fonts services messages
	@dates='$(CLOCK_DATES)'; IFS='|'; for when in $$dates; do \
	  echo "== pytest with the clock at $$when (Europe/Paris)"; \
	  TZ=Europe/Paris DATABASE_URL=$(TEST_DATABASE_URL) TEST_BROKER_URL=$(TEST_BROKER_URL) \
	    faketime -f "@$$when" $(VENV)/bin/pytest -q -p no:cacheprovider -m "not browser and not production and not timed_waits" || exit 1; \
	done

bench: install services messages prod-packages
	DATABASE_URL=$(BENCH_DATABASE_URL) CELERY_BROKER_URL=$(BENCH_BROKER_URL) $(PY) bench/run.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles
