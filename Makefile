# SaaS starter: Next.js + Clerk → nginx → one ASGI app (FastAPI under /api/v1, Django admin).
# `make` lists the targets. `make up` runs the app with Docker; `make dev` runs it without;
# `make test` installs what it needs and runs every check CI runs.

SHELL := /bin/bash
.DEFAULT_GOAL := help

COMPOSE ?= docker compose
UV_VERSION := 0.13.9
BACKEND := backend
FRONTEND := frontend
RUN_BACKEND := cd $(BACKEND) && uv run
MANAGE := $(RUN_BACKEND) python manage.py
# Tests run against the local PostgreSQL server; override to point elsewhere.
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

dev: $(ENV_FILE) install system-packages ## Run the same stack natively with reload (uvicorn, next dev, nginx on :8080)
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

.PHONY: test lint fmt typecheck check-api-types test-backend test-frontend test-stack test-browser test-compose frontend-build-test screenshots
test: install system-packages lint typecheck check-api-types test-backend test-frontend frontend-build-test test-stack test-browser test-compose ## Run every check (what CI runs)
	@echo "All checks passed."

lint: tools backend-deps frontend-deps ## Ruff (lint + format check) and ESLint
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

test-backend: tools backend-deps ## Backend tests (pytest, PostgreSQL), migrations check
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) DJANGO_SECRET_KEY=ci DJANGO_ENV_FILE= uv run python manage.py makemigrations --check --dry-run
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) uv run pytest tests --ignore=tests/stack --ignore=tests/compose -q

test-frontend: frontend-deps ## Frontend unit tests (Vitest)
	cd $(FRONTEND) && npm test

frontend-build-test: frontend-deps ## Offline production build of the frontend with the test keys (.next-test)
	cd $(FRONTEND) && $(TEST_BUILD_ENV) npm run build

test-stack: tools backend-deps system-packages ## Stack tests: uvicorn + next start + nginx, database restart
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) uv run pytest tests/stack -q

test-browser: tools backend-deps frontend-deps system-packages ## Browser tests: Debian's Chromium, Clerk's real UI and a fake Clerk, against the real stack (needs frontend-build-test)
	cd $(FRONTEND) && DATABASE_URL=$(TEST_DATABASE_URL) npm run test:e2e

screenshots: tools backend-deps frontend-deps system-packages frontend-build-test ## Retake the README's screenshots (docs/screenshots/*.png) with the browser tests
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
bench: tools backend-deps system-packages ## Performance figures side by side (docs/performance.md); about 8 minutes
	cd $(BACKEND) && DATABASE_URL=$(TEST_DATABASE_URL) uv run python -m bench

# --- installation -----------------------------------------------------------------------

.PHONY: tools backend-deps frontend-deps system-packages
tools:
	@command -v uv >/dev/null || python3 -m pip install --quiet "uv==$(UV_VERSION)"

backend-deps: tools
	cd $(BACKEND) && uv sync --frozen --group bench --quiet

frontend-deps: $(FRONTEND)/node_modules/.installed

$(FRONTEND)/node_modules/.installed: $(FRONTEND)/package-lock.json $(FRONTEND)/package.json
	cd $(FRONTEND) && npm ci --no-audit --no-fund
	touch $@

# nginx and Chromium come from Debian; installed only when missing.
system-packages:
	@missing=""; \
	command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing="$$missing nginx"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

.PHONY: clean
clean: ## Remove builds, caches and run artefacts
	rm -rf $(FRONTEND)/.next $(FRONTEND)/.next-test .run $(BACKEND)/.pytest_cache $(BACKEND)/.mypy_cache $(BACKEND)/.ruff_cache
