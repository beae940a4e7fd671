"""uvicorn (config.asgi:application), Next.js and nginx, started together on free ports."""

import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from devstack.database import create_fresh_database, drop_database, migrate
from devstack.nginx import NO_TRUSTED_PROXY, nginx_process
from devstack.paths import BACKEND_DIR, FRONTEND_DIR
from devstack.processes import ManagedProcess, free_port

# Variables the servers would otherwise pick up from a developer's .env: a stack
# started here sees only what its caller passes.
ISOLATED_ENV = {"DJANGO_ENV_FILE": "", "NEXT_SKIP_ROOT_ENV": "1"}


@dataclass
class StackOptions:
    env: Mapping[str, str] = field(default_factory=dict)  # given to the backend and to Next.js
    database_server_url: str | None = None  # a fresh database is created there (else SQLite in the workdir)
    frontend: bool = False
    nginx: bool = False
    backend_workers: int = 1
    nginx_workers: int = 1
    nginx_trusted_proxy: str = NO_TRUSTED_PROXY  # whose X-Forwarded-For/-Proto nginx believes
    frontend_dist_dir: str = ".next-test"
    workdir: Path | None = None
    # Host names a browser uses for the stack: they make its origins, which are the
    # authorized parties (azp) of its session tokens unless `env` names them.
    public_hosts: tuple[str, ...] = ("127.0.0.1", "localhost")


class Stack:
    def __init__(self, options: StackOptions) -> None:
        self.options = options
        self.workdir = options.workdir or Path(tempfile.mkdtemp(prefix="devstack-"))
        self.backend_port = free_port()
        self.frontend_port = free_port() if options.frontend else None
        self.nginx_port = free_port() if options.nginx else None
        self.database_url: str | None = None
        self.backend: ManagedProcess | None = None
        self.frontend: ManagedProcess | None = None
        self.nginx: ManagedProcess | None = None

    @property
    def backend_url(self) -> str:
        return f"http://127.0.0.1:{self.backend_port}"

    @property
    def frontend_url(self) -> str | None:
        return f"http://127.0.0.1:{self.frontend_port}" if self.frontend_port else None

    @property
    def url(self) -> str:
        """Where a browser goes: nginx if it runs, else the backend."""
        return f"http://127.0.0.1:{self.nginx_port}" if self.nginx_port else self.backend_url

    @property
    def origins(self) -> list[str]:
        """Where a browser opens the stack, on each of its public host names."""
        port = self.nginx_port or self.backend_port
        return [f"http://{host}:{port}" for host in self.options.public_hosts]

    def _app_env(self) -> dict[str, str]:
        """What both servers are given: the caller's values over the stack's own defaults."""
        return {"CLERK_AUTHORIZED_PARTIES": ",".join(self.origins), **self.options.env}

    def backend_env(self) -> dict[str, str]:
        env = {**os.environ, **ISOLATED_ENV, "PYTHONUNBUFFERED": "1"}
        env.setdefault("DJANGO_SECRET_KEY", "devstack-not-secret")
        env["DATABASE_URL"] = self.database_url or f"sqlite:///{self.workdir / 'db.sqlite3'}"
        env.update(self._app_env())
        return env

    def start(self) -> "Stack":
        try:
            if self.options.database_server_url:
                self.database_url = create_fresh_database(self.options.database_server_url)
            migrate(self.backend_env())
            self.start_backend()
            if self.options.frontend:
                self._start_frontend()
            if self.options.nginx:
                self._start_nginx()
        except BaseException:
            self.stop()
            raise
        return self

    def start_backend(self) -> None:
        command = [
            sys.executable, "-m", "uvicorn", "config.asgi:application",
            "--host", "127.0.0.1", "--port", str(self.backend_port),
            "--workers", str(self.options.backend_workers),
            "--no-access-log", "--loop", "uvloop", "--http", "httptools",
        ]  # fmt: skip
        self.backend = ManagedProcess(
            "backend", command, cwd=BACKEND_DIR, env=self.backend_env(), log_path=self.workdir / "backend.log"
        ).start()
        self.backend.wait_for_http(f"{self.backend_url}/api/v1/health")

    def stop_backend(self) -> None:
        if self.backend is not None:
            self.backend.stop()

    def _start_frontend(self) -> None:
        env = {
            **os.environ,
            **ISOLATED_ENV,
            "NEXT_TELEMETRY_DISABLED": "1",
            "NEXT_DIST_DIR": self.options.frontend_dist_dir,
            "BACKEND_INTERNAL_URL": self.backend_url,
            "NODE_ENV": "production",
            **self._app_env(),
        }
        next_bin = FRONTEND_DIR / "node_modules" / "next" / "dist" / "bin" / "next"
        if not (FRONTEND_DIR / self.options.frontend_dist_dir / "BUILD_ID").exists():
            raise FileNotFoundError(
                f"no Next.js build in frontend/{self.options.frontend_dist_dir}: run `make frontend-build-test` first"
            )
        # No `-H 127.0.0.1`: Next.js then treats Clerk's same-URL rewrite as external
        # (its own origin says localhost) and proxies the request to itself in a loop.
        command = ["node", str(next_bin), "start", "-p", str(self.frontend_port)]
        self.frontend = ManagedProcess(
            "frontend", command, cwd=FRONTEND_DIR, env=env, log_path=self.workdir / "frontend.log"
        ).start()
        self.frontend.wait_for_http(f"{self.frontend_url}/", accept=(200, 307, 308, 404))

    def _start_nginx(self) -> None:
        assert self.nginx_port is not None
        self.nginx = nginx_process(
            workdir=self.workdir / "nginx",
            port=self.nginx_port,
            backend=f"127.0.0.1:{self.backend_port}",
            frontend=f"127.0.0.1:{self.frontend_port or self.backend_port}",
            workers=self.options.nginx_workers,
            trusted_proxy=self.options.nginx_trusted_proxy,
        ).start()
        self.nginx.wait_for_http(f"{self.url}/api/v1/health")

    def logs(self) -> str:
        parts = [
            f"--- {process.name} ({process.log_path}) ---\n{process.log_tail()}"
            for process in (self.backend, self.frontend, self.nginx)
            if process is not None
        ]
        return "\n".join(parts)

    def stop(self) -> None:
        for process in (self.nginx, self.frontend, self.backend):
            if process is not None:
                process.stop()
        if self.database_url and self.options.database_server_url:
            drop_database(self.options.database_server_url, self.database_url)
            self.database_url = None
