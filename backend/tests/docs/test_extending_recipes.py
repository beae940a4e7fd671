"""Each recipe of docs/extending.md, carried out exactly as written, gives a project that passes.

A recipe is its ```diff blocks (applied with `git apply`, in order) and its ```sh blocks (run
from the repository's root). Each one is carried out on a scratch copy of the repository as it
is now, which then has to pass what `make check` asks of any change: ruff, mypy, no missing
migration, the frontend's types matching the API (and tsc, ESLint, the unit tests when the
frontend changed), and the tests the recipe adds or changes. A recipe that rots fails here.
"""

import os
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
GUIDE = REPO / "docs" / "extending.md"
# What the Makefile installs (uv, the backend's and the frontend's dependencies) the scratch copy
# shares with this checkout: the targets the recipes run are told those are done (`make -o`).
INSTALLED = ["-o", "tools", "-o", "backend-deps", "-o", "frontend-deps"]
ALLOWED_COMMANDS = {"make makemigrations", "make api-types"}


@dataclass
class Recipe:
    title: str
    steps: list[tuple[str, str]] = field(default_factory=list)  # ("diff" | "sh", text)

    @property
    def slug(self) -> str:
        return re.sub(r"[^a-z0-9]+", "-", self.title.lower()).strip("-")


def recipes() -> list[Recipe]:
    found: list[Recipe] = []
    current: Recipe | None = None
    for block in re.finditer(
        r"^## (?P<title>[^\n]+)$|^```(?P<kind>diff|sh)\n(?P<text>.*?)^```$", GUIDE.read_text(), re.M | re.S
    ):
        if block["title"]:
            current = Recipe(block["title"].strip())
            found.append(current)
        elif current is not None:
            current.steps.append((block["kind"], block["text"]))
    return [recipe for recipe in found if recipe.steps]


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    # The scratch copy shares this checkout's environment: uv must not sync it to anything else.
    env = {**(env or os.environ), "UV_NO_SYNC": "1"}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, (
        f"{' '.join(command)} failed in {cwd}:\n{result.stdout[-6000:]}\n{result.stderr[-6000:]}"
    )
    return result.stdout


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    """A copy of the repository's files as they are now (tracked and new, not ignored)."""
    listed = run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], REPO).split("\0")
    copy = tmp_path / "repo"
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            target = copy / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    (copy / "backend" / ".venv").symlink_to(REPO / "backend" / ".venv")
    (copy / "frontend" / "node_modules").symlink_to(REPO / "frontend" / "node_modules")
    if (REPO / "backend" / ".mypy_cache").is_dir():  # incremental: only what the recipe changed is checked again
        shutil.copytree(REPO / "backend" / ".mypy_cache", copy / "backend" / ".mypy_cache")
    run(["git", "init", "-q"], copy)  # git apply needs no history, only a work tree to apply to
    run(["make", "--no-print-directory", ".env"], copy)  # what `make dev` or `make up` makes first
    return copy


@pytest.mark.parametrize("recipe", recipes(), ids=lambda recipe: recipe.slug)
def test_the_recipe_as_written_gives_a_project_that_passes(recipe: Recipe, scratch: Path) -> None:
    changed: set[str] = set()
    for kind, text in recipe.steps:
        if kind == "diff":
            patch = scratch / "recipe.patch"
            patch.write_text(text)
            run(["git", "apply", "--whitespace=error-all", str(patch)], scratch)
            changed |= set(re.findall(r"^\+\+\+ b/(\S+)$", text, re.M))
            patch.unlink()
        else:
            for command in filter(None, (line.strip() for line in text.splitlines())):
                assert command in ALLOWED_COMMANDS, f"a recipe runs only {sorted(ALLOWED_COMMANDS)}, not {command!r}"
                run([*command.split()[:1], "--no-print-directory", *INSTALLED, *command.split()[1:]], scratch)

    backend = scratch / "backend"
    env = {**os.environ, "DJANGO_ENV_FILE": ""}
    run(["uv", "run", "ruff", "check", "."], backend)
    run(["uv", "run", "ruff", "format", "--check", "."], backend)
    run(["uv", "run", "mypy", "."], backend)
    run(
        ["uv", "run", "python", "manage.py", "makemigrations", "--check", "--dry-run"],
        backend,
        {**env, "DJANGO_SECRET_KEY": "recipes"},
    )
    run(["make", "--no-print-directory", *INSTALLED, "check-api-types"], scratch)
    if any(name.startswith("frontend/") for name in changed):
        frontend = scratch / "frontend"
        run(["npm", "run", "--silent", "typecheck"], frontend)
        run(["npx", "eslint", *(str(scratch / n) for n in changed if n.startswith("frontend/"))], frontend)
        run(["npx", "vitest", "run"], frontend)
    tests = sorted(
        name.removeprefix("backend/") for name in changed if re.match(r"backend/tests/.+/test_[^/]+\.py$", name)
    )
    assert tests, "a recipe adds or changes the tests that prove it"
    database = os.environ.get("DATABASE_URL", "")
    if database.startswith(("postgres://", "postgresql://")):  # a database of its own, beside the suite's
        env["DATABASE_URL"] = database.rsplit("/", 1)[0] + f"/recipe_{os.getpid()}"
    run(["uv", "run", "pytest", "-q", "-p", "no:cacheprovider", *tests], backend, env)
