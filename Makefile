# SaaS starter: Next.js + Clerk → nginx → one ASGI app (FastAPI under /api/v1, Django admin).
# `make` lists the targets. `make up` runs the app with Docker; `make dev` runs it without;
# `make check` is the one-minute loop while you edit; `make test` installs what it needs and runs
# every check CI runs.

SHELL := /bin/bash
.DEFAULT_GOAL := help

COMPOSE ?= docker compose
UV_VERSION := 0.13.9
BACKEND := backend
FRONTEND := frontend
RUN_BACKEND := cd $(BACKEND) && uv run
MANAGE := $(RUN_BACKEND) python manage.py
# The database the backend tests use: the local PostgreSQL server unless you name another
# (`make test-backend TEST_DATABASE_URL=postgres://…`, or in the environment). `make check` runs
# on the embedded SQLite unless you name one (see CHECK_DATABASE_URL).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres
# The frontend build the stack and browser tests run: a pk_live_ key for a test
# Frontend API host (a pk_test_ key would send every page to Clerk's unreachable handshake).
TEST_PUBLISHABLE_KEY := pk_live_$(shell printf 'clerk.example.test$$' | base64)
TEST_BUILD_ENV := NEXT_SKIP_ROOT_ENV=1 NEXT_DIST_DIR=.next-test NEXT_TELEMETRY_DISABLED=1 \
	NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY=$(TEST_PUBLISHABLE_KEY) CLERK_SECRET_KEY=sk_test_offline \
	NEXT_PUBLIC_CLERK_SIGN_IN_URL=/sign-in NEXT_PUBLIC_CLERK_SIGN_UP_URL=/sign-up \
	NEXT_PUBLIC_CLERK_SIGN_IN_FALLBACK_REDIRECT_URL=/dashboard NEXT_PUBLIC_CLERK_SIGN_UP_FALLBACK_REDIRECT_URL=/dashboard
EVENT ?= user.created
# The .env `make dev` reads and hands to its servers (the stack tests point it elsewhere).
ENV_FILE ?= $(CURDIR)/.env
# The frontend's API types, generated from the backend's OpenAPI schema (printed offline).
API_TYPES := $(FRONTEND)/src/lib/api/schema.ts
# The limits of its fields (lengths, bounds), which the types cannot carry.
API_LIMITS := $(FRONTEND)/src/lib/api/limits.ts
PRINT_API_LIMITS := node $(FRONTEND)/scripts/api-limits.mjs
PRINT_OPENAPI_SCHEMA := (cd $(BACKEND) && uv run python -m api.openapi_schema)
OPENAPI_TYPESCRIPT := $(FRONTEND)/node_modules/.bin/openapi-typescript

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --- with Docker ------------------------------------------------------------------------

.PHONY: up down logs tunnel
up: .env ## Run the whole app with Docker on http://localhost (compose)
	$(COMPOSE) up --build

down: ## Stop the compose stack (data stays in the pgdata volume)
	$(COMPOSE) --profile tunnel down

logs: ## Follow the compose logs
	$(COMPOSE) logs -f

# The tunnel publishes the app on the internet: Django's debug pages (settings, tracebacks)
# must not be there, whatever .env says.
tunnel: .env ## Run the app plus ngrok, for Clerk webhooks (needs NGROK_AUTHTOKEN in .env); debug off
	@grep -q '^NGROK_AUTHTOKEN=.\+' .env || { echo "Set NGROK_AUTHTOKEN in .env (https://dashboard.ngrok.com/get-started/your-authtoken)"; exit 1; }
	DJANGO_DEBUG=0 $(COMPOSE) --profile tunnel up --build

# .env.example with a random DJANGO_SECRET_KEY, readable by its owner only (`make dev` reads
# ENV_FILE, the same file unless told otherwise).
.env $(ENV_FILE):
	@python3 -c 'import pathlib, re, secrets; \
		text = pathlib.Path(".env.example").read_text(); \
		key = "DJANGO_SECRET_KEY=" + secrets.token_urlsafe(50); \
		env = pathlib.Path("$@"); env.touch(mode=0o600); \
		env.write_text(re.sub(r"(?m)^DJANGO_SECRET_KEY=.*$$", key, text))'
	@echo "Created $@ from .env.example with a random DJANGO_SECRET_KEY: paste your Clerk keys into it."

# --- without Docker ---------------------------------------------------------------------

.PHONY: install dev migrate makemigrations superuser sync webhook api-types
install: tools backend-deps frontend-deps ## Install backend (uv) and frontend (npm) dependencies

dev: $(ENV_FILE) install nginx ## Run the same stack natively with reload (uvicorn, next dev, nginx on :8080)
	$(RUN_BACKEND) python -m devstack dev --env-file "$(ENV_FILE)"

migrate: ## Apply database migrations
	$(MANAGE) migrate

makemigrations: ## Create migrations after changing models
	$(MANAGE) makemigrations

superuser: ## Create an admin account for /admin/
	$(MANAGE) createsuperuser

sync: ## Reconcile users, organizations and memberships with Clerk's Backend API
	$(MANAGE) clerk_sync

webhook: ## Send a signed sample Clerk event to the local backend (EVENT=user.created)
	$(MANAGE) clerk_webhook $(EVENT)

api-types: tools backend-deps frontend-deps ## Regenerate the frontend's API types and field limits from the backend's OpenAPI schema
	@schema=$$(mktemp --suffix=.json); trap 'rm -f "$$schema"' EXIT; \
	$(PRINT_OPENAPI_SCHEMA) > "$$schema" || exit 1; \
	$(OPENAPI_TYPESCRIPT) "$$schema" -o $(API_TYPES) || exit 1; \
	$(PRINT_API_LIMITS) "$$schema" > $(API_LIMITS)

# --- checks -----------------------------------------------------------------------------

.PHONY: check test lint fmt typecheck check-api-types check-backend test-backend test-frontend test-deploy test-stack test-browser test-compose frontend-build-test screenshots

# `make check`'s backend tests: on the embedded SQLite, or on the database TEST_DATABASE_URL names
# when you give it (on the command line or in the environment), never on its default.
CHECK_DATABASE_URL = $(if $(filter command environment,$(firstword $(origin TEST_DATABASE_URL))),$(TEST_DATABASE_URL))
# The backend tests that need no server beyond the database. The others: tests/stack and
# tests/compose start servers and containers; tests/infra and tests/deploy check the configuration
# and deployment files (compose, nginx, settings, Kubernetes, workflows, Terraform), no database.
BACKEND_TESTS := tests --ignore=tests/stack --ignore=tests/compose --ignore=tests/infra --ignore=tests/deploy
# The static checks and the tests of `make check` share the machine's cores; each one's output is
# printed in one piece when it ends (GNU make 4; macOS's make 3.81 interleaves it).
CORES := $(shell nproc 2>/dev/null || sysctl -n hw.ncpu 2>/dev/null || echo 2)
OUTPUT_SYNC := $(if $(filter 3.%,$(MAKE_VERSION)),,--output-sync=target)

check: ## The one-minute loop: lint, format check, types, API types, backend tests on SQLite (or TEST_DATABASE_URL), Vitest; prints its time
	@SECONDS=0; \
	if $(MAKE) --no-print-directory install \
		&& $(MAKE) --no-print-directory --jobs=$(CORES) $(OUTPUT_SYNC) \
			check-backend lint typecheck check-api-types test-frontend CHECK_DATABASE_URL='$(CHECK_DATABASE_URL)'; \
	then echo "make check passed in $$SECONDS s"; \
	else echo "make check failed after $$SECONDS s" >&2; exit 1; fi

# Everything CI runs, one layer after another: the GitHub workflow runs the same targets as
# parallel jobs. `make check` runs on SQLite here whatever TEST_DATABASE_URL says, and
# test-backend runs the backend tests again on PostgreSQL: between them, both databases.
test: CHECK_DATABASE_URL =
test: install check test-backend test-deploy frontend-build-test test-stack test-browser test-compose ## Run every check (what CI runs)
	@echo "All checks passed."

lint: tools backend-deps frontend-deps ## Ruff (lint + format check), deptry and ESLint
	cd $(BACKEND) && uv run ruff check . && uv run ruff format --check . && uv run deptry .
	cd $(FRONTEND) && npm run lint

fmt: tools backend-deps ## Format the backend with Ruff
	cd $(BACKEND) && uv run ruff check --fix . && uv run ruff format .

typecheck: tools backend-deps frontend-deps ## mypy and tsc
	cd $(BACKEND) && uv run mypy .
	cd $(FRONTEND) && npm run typecheck

check-api-types: tools backend-deps frontend-deps ## Check that the frontend's API types and field limits match the backend's OpenAPI schema
	@schema=$$(mktemp --suffix=.json); trap 'rm -f "$$schema"' EXIT; \
	$(PRINT_OPENAPI_SCHEMA) > "$$schema" || exit 1; \
	$(OPENAPI_TYPESCRIPT) "$$schema" -o $(API_TYPES) --check > /dev/null \
		|| { echo "$(API_TYPES) does not match the backend's OpenAPI schema: run 'make api-types' and commit it." >&2; exit 1; }; \
	$(PRINT_API_LIMITS) "$$schema" | cmp -s - $(API_LIMITS) \
		|| { echo "$(API_LIMITS) does not match the backend's OpenAPI schema: run 'make api-types' and commit it." >&2; exit 1; }

# make check's backend half: the migrations check (models against migrations, no database
# needed), then the tests on one pytest worker per core, each property with a tenth of its
# Hypothesis examples (the "quick" profile, tests/conftest.py). Not docs/extending.md's recipes
# (tests/docs: each carries out a recipe on a copy of the repository, minutes): test-backend's.
check-backend: tools backend-deps
	cd $(BACKEND) && DATABASE_URL=sqlite:///:memory: DJANGO_SECRET_KEY=ci DJANGO_ENV_FILE= uv run python manage.py makemigrations --check --dry-run
	cd $(BACKEND) && DATABASE_URL='$(CHECK_DATABASE_URL)' uv run pytest $(BACKEND_TESTS) --ignore=tests/docs -q -n auto --hypothesis-profile=quick

test-backend: tools backend-deps ## Backend tests on PostgreSQL, every Hypothesis example; migrations check
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) DJANGO_SECRET_KEY=ci DJANGO_ENV_FILE= uv run python manage.py makemigrations --check --dry-run
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) uv run pytest $(BACKEND_TESTS) -q -n auto

test-frontend: frontend-deps ## Frontend unit tests (Vitest)
	cd $(FRONTEND) && npm test

frontend-build-test: frontend-deps ## Offline production build of the frontend with the test keys (.next-test)
	cd $(FRONTEND) && $(TEST_BUILD_ENV) npm run build

test-deploy: tools backend-deps nginx ## The configuration and deployment files, offline: settings, compose, nginx, Kubernetes, workflows, Terraform
	cd $(BACKEND) && uv run pytest tests/infra tests/deploy -q -n auto

test-stack: tools bench-deps frontend-deps nginx wrk ## Stack tests: uvicorn + next start + nginx, make dev, database restart, the quick bench (needs frontend-build-test)
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) uv run pytest tests/stack -q

test-browser: tools backend-deps frontend-deps nginx chromium ## Browser tests: Debian's Chromium, Clerk's real UI and a fake Clerk, against the real stack (needs frontend-build-test)
	cd $(FRONTEND) && DATABASE_URL=$(TEST_DATABASE_URL) npm run test:e2e

screenshots: tools backend-deps frontend-deps nginx chromium frontend-build-test ## Retake the README's screenshots (docs/screenshots/*.png) with the browser tests
	cd $(FRONTEND) && DATABASE_URL=$(TEST_DATABASE_URL) SAVE_README_SCREENSHOTS=1 npm run test:e2e

# Installs Debian's docker.io and debootstrap when missing and runs its own dockerd (nothing of a
# Docker you run is touched); base images Docker Hub cannot serve are stood in (the README's
# "Production" section says which and why), cached under ~/.cache/saas-starter/.
# dockerd needs root: a non-root run goes through passwordless sudo where there is one (GitHub's
# runners); with neither, the tests are skipped with a message, or fail when CI=true.
test-compose: tools backend-deps ## Both compose files built and run in containers: the app through nginx, production, scale-out
	cd $(BACKEND) && if [ "$$(id -u)" != 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
		sudo -n --preserve-env=CI,HOME,XDG_CACHE_HOME .venv/bin/python -m pytest tests/compose -q -p no:cacheprovider; \
	else \
		uv run pytest tests/compose -q -p no:cacheprovider; \
	fi

# --- figures ----------------------------------------------------------------------------

.PHONY: bench
bench: tools bench-deps nginx wrk ## Performance figures side by side (docs/performance.md); about 8 minutes
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) uv run python -m bench

# --- installation -----------------------------------------------------------------------

.PHONY: tools backend-deps bench-deps frontend-deps nginx chromium wrk
tools:
	@command -v uv >/dev/null || python3 -m pip install --quiet "uv==$(UV_VERSION)"

# --inexact: what `make bench` added (the bench group) stays installed, not removed under it.
backend-deps: tools
	cd $(BACKEND) && uv sync --frozen --inexact --quiet

# The peers `make bench` measures against (Clerk's SDK, fastapi-clerk-auth): only the benchmark
# and the stack test that runs it need them.
bench-deps: tools
	cd $(BACKEND) && uv sync --frozen --inexact --group bench --quiet

frontend-deps: $(FRONTEND)/node_modules/.installed

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	touch $@

# A program from Debian's packages, installed with apt when missing (as root, or through sudo).
# Without apt (macOS, other distributions) it says what to install and stops.
# $(call system-package,<Debian package>,<shell test that it is there>,<how to install it elsewhere>)
define system-package
	@if ! { $(2); } >/dev/null 2>&1; then \
		if ! command -v apt-get >/dev/null; then \
			echo "$(1) is missing and there is no apt-get here: install it yourself ($(3)), then run make again." >&2; \
			exit 1; \
		fi; \
		SUDO=""; \
		if [ "$$(id -u)" != 0 ]; then \
			command -v sudo >/dev/null || { echo "$(1) is missing: install it (apt-get install $(1), as root), then run make again." >&2; exit 1; }; \
			SUDO=sudo; \
		fi; \
		echo "Installing Debian's $(1) (apt-get)"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(1) >/dev/null; \
	fi
endef

nginx:  # make dev, the stack and browser tests, the nginx template's tests, make bench
	$(call system-package,nginx,command -v nginx || [ -x /usr/sbin/nginx ],macOS: brew install nginx)

chromium:  # the browser tests; CHROMIUM_PATH names another Chromium or Chrome
	$(call system-package,chromium,[ -x "$${CHROMIUM_PATH:-/usr/bin/chromium}" ],macOS: brew install --cask chromium and set CHROMIUM_PATH)

wrk:  # make bench and its stack test
	$(call system-package,wrk,command -v wrk,macOS: brew install wrk)

.PHONY: clean
clean: ## Remove builds, caches and run artefacts
	rm -rf $(FRONTEND)/.next $(FRONTEND)/.next-test .run $(BACKEND)/.pytest_cache $(BACKEND)/.mypy_cache $(BACKEND)/.ruff_cache
