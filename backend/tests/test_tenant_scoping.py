"""Every read of tenant-scoped data starts from its one scoped queryset: no route, resolver or service builds its own.

Each model owned by an organization is listed here with the selectors module that scopes it
(`<things>_of(organization_id)`); a query of the model anywhere else in production code fails.
"""

import re
from pathlib import Path

import pytest

BACKEND = Path(__file__).resolve().parents[1]
NOT_SHIPPED = {"tests", "testing", "bench", "devstack"}
PRODUCTION_CODE = [
    path for path in BACKEND.iterdir() if (path / "__init__.py").is_file() and path.name not in NOT_SHIPPED
]
# model → its selectors module, the one place that queries it directly
TENANT_MODELS = {
    "Project": "projects/selectors.py",
}


def unscoped(model: str) -> re.Pattern[str]:
    return re.compile(rf"\b{model}\.(objects|_default_manager|_base_manager)\b")


@pytest.mark.parametrize(("model", "selectors"), TENANT_MODELS.items())
def test_only_the_selectors_module_queries_the_model_directly(model: str, selectors: str) -> None:
    offenders = [
        f"{path.relative_to(BACKEND)}:{number}: {line.strip()}"
        for package in PRODUCTION_CODE
        for path in package.rglob("*.py")
        if "migrations" not in path.parts and path != BACKEND / selectors
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if unscoped(model).search(line)
    ]
    assert offenders == []


@pytest.mark.parametrize(("model", "selectors"), TENANT_MODELS.items())
def test_the_selectors_build_every_query_from_the_scoped_queryset(model: str, selectors: str) -> None:
    source = (BACKEND / selectors).read_text()
    assert len(unscoped(model).findall(source)) == 1  # inside <things>_of(organization_id), and nowhere else
    assert re.search(r"def \w+_of\(organization_id: str\)", source)
