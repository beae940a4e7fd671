"""One compose project on the private engine: the project's own compose file plus what the harness needs."""

import json
import subprocess
from pathlib import Path
from typing import Any

from tests.compose.base_images import dockerfile_base_images, ensure_base_images
from tests.compose.engine import COMPOSE_BINARY, PrivateEngine

REPO_ROOT = Path(__file__).resolve().parents[3]
UP_TIMEOUT = 900.0


class ComposeFailed(RuntimeError):
    pass


class ComposeProject:
    """`docker compose -p NAME -f <our file> -f <harness override>` in a checkout whose `.env` is the test's.

    The checkout links every top-level entry of the repository except `.env`, so compose reads
    the test's `.env` (interpolation and `env_file`) exactly as it reads a person's, and a
    developer's own `.env` never reaches the containers. The override changes only what a test
    machine needs and a deployment does not: images are built on the host's network (the
    private engine has no NAT).
    """

    def __init__(self, engine: PrivateEngine, *, name: str, compose_file: str, env: dict[str, str], workdir: Path):
        self.engine = engine
        self.name = name
        self.env = dict(env)
        self.checkout = workdir / "checkout"
        self.checkout.mkdir(parents=True)
        for entry in REPO_ROOT.iterdir():
            if entry.name not in (".env", ".git"):
                (self.checkout / entry.name).symlink_to(entry)
        (self.checkout / ".env").write_text("".join(f"{key}={value}\n" for key, value in env.items()))
        self.compose_file = self.checkout / compose_file
        self.override_file = workdir / "harness-override.yml"
        self.override_file.write_text(self._override())

    def _base_command(self) -> list[str]:
        return [
            str(COMPOSE_BINARY),
            "--project-name", self.name,
            "--project-directory", str(self.checkout),
            "--file", str(self.compose_file),
        ]  # fmt: skip

    def _config(self) -> dict[str, Any]:
        """The compose file as compose itself reads it (profiles not enabled are left out)."""
        result = subprocess.run(
            [*self._base_command(), "config", "--format", "json"],
            env=self.engine.env(),
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(result.stdout)

    def _override(self) -> str:
        lines = ["services:"]
        for name, service in self._config()["services"].items():
            if "build" in service:
                lines += [f"  {name}:", "    build:", "      network: host"]
        return "\n".join(lines) + "\n"

    def base_images(self) -> set[str]:
        """Images the services run as they are, and the bases of the images they build."""
        names: set[str] = set()
        for service in self._config()["services"].values():
            build = service.get("build")
            if build is None:
                names.add(service["image"])
            else:
                names |= dockerfile_base_images(Path(build["context"]) / build.get("dockerfile", "Dockerfile"))
        return names

    def compose(
        self, *args: str, check: bool = True, timeout: float = 300.0, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        command = [*self._base_command(), "--file", str(self.override_file), *args]
        result = subprocess.run(
            command, env=self.engine.env(), capture_output=True, text=True, timeout=timeout, input=input, check=False
        )
        if check and result.returncode != 0:
            raise ComposeFailed(
                f"compose {' '.join(args)} failed ({result.returncode}):\n{result.stdout[-4000:]}\n"
                f"{result.stderr[-6000:]}\n--- container logs ---\n{self.logs()}"
            )
        return result

    def up(self, *args: str) -> None:
        self.compose("up", "--detach", "--wait", "--wait-timeout", str(int(UP_TIMEOUT)), *args, timeout=UP_TIMEOUT + 60)

    def build(self) -> list[str]:
        """Base images pulled or stood in, then the project's images built; what happened to each base."""
        log = ensure_base_images(self.engine, self.base_images())
        self.compose("build", timeout=UP_TIMEOUT)
        return log

    def down(self, *, volumes: bool = False) -> None:
        self.compose("down", "--remove-orphans", *(["--volumes"] if volumes else []), timeout=180)

    def logs(self, *services: str) -> str:
        result = subprocess.run(
            [*self._base_command(), "--file", str(self.override_file), "logs", "--no-color", "--timestamps", *services],
            env=self.engine.env(),
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        return result.stdout + result.stderr

    def exec(
        self, service: str, *command: str, index: int = 1, check: bool = True, input: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return self.compose("exec", "-T", "--index", str(index), service, *command, check=check, input=input)

    def volumes(self) -> list[str]:
        listed = self.engine.docker("volume", "ls", "-q", "--filter", f"label=com.docker.compose.project={self.name}")
        return listed.stdout.split()

    def containers(self, service: str) -> list[dict[str, Any]]:
        ids = self.compose("ps", "--all", "--quiet", service).stdout.split()
        return self.engine.inspect(*ids) if ids else []

    def psql(self, sql: str, *, user: str, database: str = "app", **variables: str) -> str:
        """`sql` run by psql inside the db container (unaligned, tuples only); `:'name'` quotes a variable."""
        command = ["psql", "-U", user, "-d", database, "-At", "-v", "ON_ERROR_STOP=1"]
        for name, value in variables.items():
            command += ["-v", f"{name}={value}"]
        return self.exec("db", *command, input=sql).stdout.strip()
