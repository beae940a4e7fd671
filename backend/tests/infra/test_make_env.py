"""`make .env` (the first step of `make up` and `make dev`): .env.example with a random DJANGO_SECRET_KEY."""

import shutil
import stat
import subprocess
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def make_env(directory: Path) -> str:
    for name in ("Makefile", ".env.example"):
        shutil.copy(REPO_ROOT / name, directory / name)
    subprocess.run(["make", "--no-print-directory", ".env"], cwd=directory, check=True, capture_output=True)
    return (directory / ".env").read_text()


def secret_key(env: str) -> str:
    (line,) = [line for line in env.splitlines() if line.startswith("DJANGO_SECRET_KEY=")]
    return line.removeprefix("DJANGO_SECRET_KEY=")


def test_env_is_the_example_with_a_long_random_secret_key(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    env, other = make_env(first), make_env(second)
    assert len(secret_key(env)) >= 50
    assert len(set(secret_key(env))) >= 5
    assert secret_key(env) != secret_key(other)
    example = (REPO_ROOT / ".env.example").read_text()
    assert env.replace(f"DJANGO_SECRET_KEY={secret_key(env)}", "DJANGO_SECRET_KEY=") == example


def test_env_is_readable_by_its_owner_only_and_never_overwritten(tmp_path: Path) -> None:
    env = make_env(tmp_path)
    assert stat.S_IMODE((tmp_path / ".env").stat().st_mode) == 0o600
    subprocess.run(["make", "--no-print-directory", ".env"], cwd=tmp_path, check=True, capture_output=True)
    assert (tmp_path / ".env").read_text() == env
