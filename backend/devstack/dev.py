"""`make dev`: the compose topology without Docker, with reload, stopped by Ctrl-C.

Backend on uvicorn --reload (SQLite by default, or DATABASE_URL from .env), Next.js
dev server, and nginx from the same template as compose, on http://localhost:DEV_PORT.

The root `.env` (or `--env-file`) is read here and handed to both servers, with the
shell's own variables winning as the settings do: `next dev` does not see what
next.config.ts would load by itself (Clerk's keys went missing: every page was a 500).
"""

import os
import signal
import socket
import sys
import time
from pathlib import Path

from dotenv import dotenv_values

from devstack.database import migrate
from devstack.nginx import nginx_process
from devstack.paths import BACKEND_DIR, FRONTEND_DIR, REPO_ROOT
from devstack.processes import ManagedProcess, StartupFailed


def _port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def run_dev(*, port: int | None, started: float, env_file: Path = REPO_ROOT / ".env") -> int:
    file_values = {name: value for name, value in dotenv_values(env_file).items() if value is not None}
    settings = {**file_values, **os.environ}
    port = port or int(settings.get("DEV_PORT") or 8080)
    backend_port = int(settings.get("BACKEND_PORT") or 8000)
    frontend_port = int(settings.get("FRONTEND_PORT") or 3000)
    for name, value in (("DEV_PORT", port), ("BACKEND_PORT", backend_port), ("FRONTEND_PORT", frontend_port)):
        if not _port_is_free(value):
            print(f"Port {value} is busy: stop what uses it or set {name}=<port>.", file=sys.stderr)
            return 2
    logs = REPO_ROOT / ".run" / "dev"
    # Both servers get the file's values under the shell's; each reads no .env of its own.
    env = {**settings, "PYTHONUNBUFFERED": "1", "DJANGO_ENV_FILE": "", "NEXT_SKIP_ROOT_ENV": "1"}
    env.setdefault("DJANGO_DEBUG", "1")
    migrate(env)
    backend = ManagedProcess(
        "backend",
        [sys.executable, "-m", "uvicorn", "config.asgi:application", "--reload", "--no-access-log",
         "--host", "127.0.0.1", "--port", str(backend_port)],
        cwd=BACKEND_DIR, env=env, log_path=logs / "backend.log",
    )  # fmt: skip
    frontend = ManagedProcess(
        "frontend",
        ["npm", "run", "dev", "--", "-p", str(frontend_port)],  # no -H: see Stack._start_frontend
        cwd=FRONTEND_DIR,
        env={**env, "BACKEND_INTERNAL_URL": f"http://127.0.0.1:{backend_port}", "NEXT_TELEMETRY_DISABLED": "1"},
        log_path=logs / "frontend.log",
    )
    nginx = nginx_process(
        workdir=Path(REPO_ROOT / ".run" / "dev" / "nginx"),
        port=port,
        backend=f"127.0.0.1:{backend_port}",
        frontend=f"127.0.0.1:{frontend_port}",
    )
    processes = [backend, frontend, nginx]
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for process in processes:
            process.start()
        backend.wait_for_http(f"http://127.0.0.1:{backend_port}/api/v1/health", timeout=60)
        nginx.wait_for_http(f"http://127.0.0.1:{port}/api/v1/health", timeout=30)
        print(
            f"Ready in {time.monotonic() - started:.0f}s: http://localhost:{port}  "
            f"(admin: /admin/, API docs: /api/v1/docs). Logs in {logs}. Ctrl-C stops everything."
        )
        while not stopping:
            for process in processes:
                if not process.running:
                    print(f"{process.name} exited:\n{process.log_tail()}", file=sys.stderr)
                    return 1
            time.sleep(0.5)
        return 0
    except StartupFailed as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        for process in reversed(processes):
            process.stop()
