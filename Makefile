# Kampung KB Monitor — `make run` serves the Tanah Laut demo, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# PostgreSQL for the second test pass; the test database is created as test_<name>.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/kampungkb
# The PostgreSQL pass also runs on Redis (cache and cached_db sessions), as several app hosts
# would; each run takes its own key prefix so parallel runs never share sessions.
REDIS_TEST_URL ?= redis://127.0.0.1:6379/0
# Either one not answering at its (local) URL is started for the pass alone and stopped after it.
WITH_SERVICES = PG_TEST_URL=$(PG_TEST_URL) REDIS_TEST_URL=$(REDIS_TEST_URL) .ci/with-services
CHROMIUM ?= /usr/bin/chromium

.PHONY: setup run demo test test-sqlite test-postgres browser static messages lint check-deploy bench layout clean

$(BIN)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(BIN)/.installed

## The demo on SQLite with demo users, served by Django's development server.
demo: setup messages
	DEBUG=1 $(BIN)/python manage.py migrate --noinput
	DEBUG=1 $(BIN)/python manage.py load_demo

run: demo
	DEBUG=1 $(BIN)/python manage.py runserver $(HOST):$(PORT)

## Tests read the same hashed static manifest production does.
static: setup messages
	SECRET_KEY=collectstatic-only $(BIN)/python manage.py collectstatic --noinput --verbosity 0

## Compiled translation catalogs (locale/*/LC_MESSAGES/django.mo, git-ignored) from the committed
## .po files; compilemessages needs GNU gettext's msgfmt (installed with apt-get when run as root).
messages: setup
	@command -v msgfmt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gettext; \
	  else echo "Translations need GNU gettext: sudo apt-get install gettext" >&2; exit 1; fi; }
	SECRET_KEY=messages-only $(BIN)/python manage.py compilemessages --verbosity 0 \
	  --ignore '.*' --ignore staticfiles --ignore node_modules --ignore media

browser:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's Chromium: sudo apt-get install chromium" >&2; exit 1; fi; }

test: test-sqlite test-postgres

test-sqlite: setup messages static browser
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: setup messages static browser
	$(WITH_SERVICES) env DATABASE_URL=$(PG_TEST_URL) REDIS_URL=$(REDIS_TEST_URL) \
	  CACHE_KEY_PREFIX=kkb-test-$$$$ $(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	SECRET_KEY=lint-only $(BIN)/mypy
	SECRET_KEY=lint-only $(BIN)/python manage.py check
	SECRET_KEY=lint-only $(BIN)/python manage.py makemigrations --check --dry-run

## The deployment checklist under production-like settings must raise nothing. It reads
## DATABASE_URL but never connects (check runs no database checks without --database).
check-deploy: setup
	DEBUG=0 ALLOWED_HOSTS=kampungkb.example.id DATABASE_URL=$(PG_TEST_URL) \
	SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))') \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

## National-scale benchmark (not part of `make test`): builds BENCH_URL and a Tanah Laut-only
## BENCH_DISTRICT_URL (both dropped and recreated), then drives gunicorn on 127.0.0.1 with wrk.
BENCH_URL ?= postgres://postgres@127.0.0.1:5432/kkb_bench
BENCH_DISTRICT_URL ?= postgres://postgres@127.0.0.1:5432/kkb_bench_tl
BENCH_DURATION ?= 30
bench: setup static
	@command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; \
	  else echo "The benchmark needs Debian's wrk: sudo apt-get install wrk" >&2; exit 1; fi; }
	DATABASE_URL=$(BENCH_URL) $(BIN)/python -m bench.build
	DATABASE_URL=$(BENCH_DISTRICT_URL) $(BIN)/python -m bench.build --only 63.01
	DATABASE_URL=$(BENCH_URL) BENCH_DISTRICT_URL=$(BENCH_DISTRICT_URL) \
	  $(BIN)/python -m bench.run --duration $(BENCH_DURATION)

## The app's packages and modules, each with the first line of its docstring.
layout: setup
	DEBUG=1 $(BIN)/python manage.py layout

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 .pytest_cache
