"""The base images our Dockerfiles and compose files name: pulled when the registry answers, else stood in.

Where Docker Hub is unreachable, each image is replaced by a stand-in built from Debian
packages (the recipes in standins/, run by debootstrap) and tagged with the exact name our
files use. On a machine that reaches the registry (GitHub's runners)
the real images are pulled and no stand-in is built. Stand-in file systems are cached outside
the clone, keyed by a hash of their recipe, so only the first run on a machine pays for them.
"""

import hashlib
import json
import os
import re
import subprocess
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tests.compose.engine import PrivateEngine, cache_dir

STANDINS_DIR = Path(__file__).parent / "standins"
PULL_TIMEOUT = 20.0
BUILD_TIMEOUT = 900.0
HOST_CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")

# Every stand-in trusts the host's CA bundle, as the host itself does to reach the registries.
_CA_ENV = (
    f"ENV SSL_CERT_FILE={HOST_CA_BUNDLE}",
    f"ENV NODE_EXTRA_CA_CERTS={HOST_CA_BUNDLE}",
    f"ENV PIP_CERT={HOST_CA_BUNDLE}",
    "ENV UV_NATIVE_TLS=1",
)
_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


@dataclass(frozen=True)
class StandIn:
    image: str
    recipe: str  # a script in standins/
    changes: tuple[str, ...]  # Dockerfile instructions given to `docker import --change`
    files: tuple[str, ...] = ()  # other files of standins/ the recipe installs

    def fingerprint(self) -> str:
        digest = hashlib.sha256()
        for name in ("common.sh", self.recipe, *self.files):
            digest.update(name.encode() + b"\0" + (STANDINS_DIR / name).read_bytes() + b"\0")
        digest.update("\n".join(self.changes).encode())
        if HOST_CA_BUNDLE.exists():
            digest.update(HOST_CA_BUNDLE.read_bytes())
        return digest.hexdigest()[:16]


STANDINS = {
    standin.image: standin
    for standin in (
        StandIn(
            image="python:3.11-slim",
            recipe="python.sh",
            changes=(f"ENV PATH={_PATH}", "ENV LANG=C.UTF-8", *_CA_ENV, 'CMD ["python3"]'),
        ),
        StandIn(
            image="node:20-bookworm-slim",
            recipe="node.sh",
            changes=(f"ENV PATH={_PATH}", "ENV LANG=C.UTF-8", *_CA_ENV, 'CMD ["node"]'),
        ),
        StandIn(
            image="postgres:16-alpine",
            recipe="postgres.sh",
            files=("postgres-entrypoint.sh",),
            changes=(
                f"ENV PATH=/usr/lib/postgresql/15/bin:{_PATH}",
                "ENV LANG=C.UTF-8",
                "ENV PGDATA=/var/lib/postgresql/data",
                'ENTRYPOINT ["docker-entrypoint.sh"]',
                'CMD ["postgres"]',
                "STOPSIGNAL SIGINT",
                "EXPOSE 5432",
            ),
        ),
        StandIn(
            image="nginx:1.27-alpine",
            recipe="nginx.sh",
            files=("nginx.conf", "nginx-entrypoint.sh"),
            changes=(
                f"ENV PATH={_PATH}",
                'ENTRYPOINT ["/docker-entrypoint.sh"]',
                'CMD ["nginx", "-g", "daemon off;"]',
                "STOPSIGNAL SIGQUIT",
                "EXPOSE 80",
            ),
        ),
    )
}


def dockerfile_base_images(dockerfile: Path) -> set[str]:
    """The images a Dockerfile's stages start `FROM` (not its own earlier stages)."""
    names: set[str] = set()
    stages: set[str] = set()
    pattern = re.compile(r"^FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", re.MULTILINE | re.IGNORECASE)
    for match in pattern.finditer(dockerfile.read_text()):
        if match.group(1) not in stages:
            names.add(match.group(1))
        if match.group(2):
            stages.add(match.group(2))
    return names


def standin_cache_dir() -> Path:
    return cache_dir() / "compose-standins"


def debian_mirror() -> str:
    """The Debian mirror apt is configured with (the one machine-wide proxy rules allow), else Debian's CDN."""
    sources = [Path("/etc/apt/sources.list"), *sorted(Path("/etc/apt/sources.list.d").glob("*"))]
    for source in sources:
        if not source.is_file() or "disabled" in source.name:
            continue
        for uri in re.findall(r"(?:URIs:|^deb)\s+(?:\[[^]]*\]\s+)?(\S+/debian)/?\s", source.read_text(), re.MULTILINE):
            return uri
    return "http://deb.debian.org/debian"


STANDIN_LABEL = "org.saas-starter.stand-in"


def ensure_base_images(engine: PrivateEngine, names: Iterable[str]) -> list[str]:
    """Each image present: kept if real or a current stand-in, else pulled, else stood in; what happened to each."""
    missing = [name for name in sorted(names) if not _usable(engine, name)]
    pulled = [name for name in missing if _pull(engine, name)]
    log = [f"{name}: present" for name in sorted(set(names) - set(missing))] + [f"{name}: pulled" for name in pulled]
    standins = []
    for name in missing:
        if name in pulled:
            continue
        if name not in STANDINS:
            raise RuntimeError(f"{name} cannot be pulled and has no stand-in recipe in {STANDINS_DIR}")
        standins.append(STANDINS[name])
    # debootstrap mostly waits on the mirror: the recipes run side by side.
    with ThreadPoolExecutor(max_workers=4) as pool:
        for standin, origin in zip(standins, pool.map(_standin_archive, standins), strict=True):
            _import(engine, standin, origin[1])
            log.append(f"{standin.image}: stand-in ({origin[0]}, {origin[1]})")
    return log


def _usable(engine: PrivateEngine, name: str) -> bool:
    inspected = engine.docker("image", "inspect", "--format", "{{json .Config.Labels}}", name, check=False)
    if inspected.returncode != 0:
        return False
    labels = json.loads(inspected.stdout or "null") or {}
    standin = STANDINS.get(name)
    return STANDIN_LABEL not in labels or (standin is not None and labels[STANDIN_LABEL] == standin.fingerprint())


def _pull(engine: PrivateEngine, name: str) -> bool:
    try:
        return engine.docker("pull", "--quiet", name, check=False, timeout=PULL_TIMEOUT).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def _standin_archive(standin: StandIn) -> tuple[str, Path]:
    """The stand-in's root file system as a tar file in the cache: ("cached" or "built", its path)."""
    directory = standin_cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    slug = _slug(standin.image)
    archive = directory / f"{slug}-{standin.fingerprint()}.tar"
    if archive.exists():
        return "cached", archive
    _build_rootfs_archive(standin, archive)
    for stale in directory.glob(f"{slug}-*.tar"):
        if stale != archive:
            stale.unlink()
    return "built", archive


def _import(engine: PrivateEngine, standin: StandIn, archive: Path) -> None:
    # `docker import --change` refuses some instructions (STOPSIGNAL): a one-line build adds them all.
    rootfs_tag = f"standin-rootfs/{_slug(standin.image).lower()}:{standin.fingerprint()}"
    engine.docker("import", str(archive), rootfs_tag, timeout=300)
    label = f'LABEL {STANDIN_LABEL}="{standin.fingerprint()}"'
    dockerfile = "\n".join((f"FROM {rootfs_tag}", *standin.changes, label, ""))
    engine.docker("build", "--quiet", "--tag", standin.image, "-", input=dockerfile.encode(), timeout=300)
    engine.docker("rmi", "--no-prune", rootfs_tag, check=False)


def _slug(image: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "-", image)


def _build_rootfs_archive(standin: StandIn, archive: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="standin-", dir=archive.parent) as work:
        rootfs = Path(work) / "rootfs"
        env = {**os.environ, "ROOTFS": str(rootfs), "MIRROR": debian_mirror()}
        result = subprocess.run(
            ["bash", str(STANDINS_DIR / standin.recipe)],
            env=env,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        try:
            if result.returncode != 0:
                raise RuntimeError(
                    f"stand-in recipe {standin.recipe} failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
                )
            partial = archive.with_suffix(".partial")
            subprocess.run(
                ["tar", "--numeric-owner", "-C", str(rootfs), "-cf", str(partial), "."], check=True, capture_output=True
            )
            partial.rename(archive)  # complete archives only: an interrupted run leaves no poisoned cache entry
        finally:
            # debootstrap leaves /proc and /sys mounted in the root file system when it fails.
            for mount in ("proc", "sys", "dev/pts"):
                subprocess.run(["umount", "-l", str(rootfs / mount)], capture_output=True, check=False)
