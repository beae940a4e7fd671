"""Every read of projects starts from the one scoped queryset: no route, resolver or service builds its own."""

import re
from pathlib import Path

BACKEND = Path(__file__).resolve().parents[2]
PRODUCTION_CODE = ["api", "projects", "users", "config"]
UNSCOPED = re.compile(r"\bProject\.(objects|_default_manager|_base_manager)\b")


def test_only_the_selectors_module_queries_projects_directly() -> None:
    offenders = [
        f"{path.relative_to(BACKEND)}:{number}: {line.strip()}"
        for package in PRODUCTION_CODE
        for path in (BACKEND / package).rglob("*.py")
        if "migrations" not in path.parts and path != BACKEND / "projects" / "selectors.py"
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if UNSCOPED.search(line)
    ]
    assert offenders == []


def test_the_selectors_build_every_query_from_projects_of() -> None:
    source = (BACKEND / "projects" / "selectors.py").read_text()
    assert len(UNSCOPED.findall(source)) == 1  # inside projects_of(organization_id), and nowhere else
    assert "def projects_of(organization_id: str)" in source
