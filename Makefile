# `make run` and `make test` work on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export DJANGO_SETTINGS_MODULE := campaign.settings

.PHONY: run test test-browser install install-dev migrate demo lint messages translations clean vendor-axe

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable

demo: migrate
	$(BIN)/python manage.py load_embassies
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py create_local_organiser

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Everything but the real-browser tests, spread over the machine's cores (pytest-xdist):
# a couple of minutes on two cores. PYTEST_ARGS='-n 0' runs them in one process (to use
# a debugger, or -x). A module that starts a live server of its own on a fixed port marks its
# tests with one xdist_group: they run in one worker, the server started once.
test: install-dev
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest -m "not browser" -n auto --dist loadgroup $(PYTEST_ARGS)
	@echo "(the real-browser tests are not part of this run: make test-browser)"

# Only the real-browser tests, with Debian's Chromium, over the cores as well (a browser and a
# live server per worker). Without it they skip, except with
# CI=true, where they fail: see tests/browser/conftest.py.
test-browser: install-dev
	$(BIN)/pytest -m browser -n auto $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# New and changed strings into locale/{ru,kk}/LC_MESSAGES/django.po (needs GNU gettext:
# apt-get install gettext), then the .mo files, which are committed. See docs/translation.md.
messages: install
	$(BIN)/python manage.py makemessages -l ru -l kk --ignore=.venv --ignore=staticfiles --ignore=tests --no-obsolete
	$(BIN)/python manage.py compile_translations

# Only the .mo files, from the .po files (after editing a translation by hand or taking a
# catalogue downloaded from the admin's translation pages): Python only, no gettext.
translations: install
	$(BIN)/python manage.py compile_translations

# axe-core for the accessibility tests, from the npm registry (test-only, vendored).
AXE_CORE_VERSION := 4.14.1
vendor-axe:
	rm -rf .axe-pack && mkdir .axe-pack
	cd .axe-pack && npm pack --silent axe-core@$(AXE_CORE_VERSION) && tar xzf axe-core-$(AXE_CORE_VERSION).tgz
	cp .axe-pack/package/axe.min.js .axe-pack/package/LICENSE .axe-pack/package/LICENSE-3RD-PARTY.txt tests/vendor/axe-core/
	rm -rf .axe-pack

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
