"""infra/terraform: the clerk-dns module and its Route 53 example, parsed, against what docs/deploy.md promises.

`init`, `validate` and `plan` need the AWS provider downloaded, so the tests do not run them; the
HCL is read with python-hcl2 and `terraform fmt -check` runs when a terraform binary is installed.
"""

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import hcl2
import pytest

from tests.deploy.sources import REPO_ROOT

TERRAFORM_DIR = REPO_ROOT / "infra" / "terraform"
MODULE = TERRAFORM_DIR / "clerk-dns"
EXAMPLE = TERRAFORM_DIR / "examples" / "route53"
DEPLOY_DOC = REPO_ROOT / "docs" / "deploy.md"
DOC_SECTION = "### Clerk's DNS as code (Terraform)"
# The records Clerk's dashboard lists for a production instance (docs/deploy.md's list).
CLERK_RECORDS = ("clerk", "accounts", "clkmail", "clk._domainkey", "clk2._domainkey")
OPTIONS = hcl2.SerializationOptions(strip_string_quotes=True, with_comments=False, explicit_blocks=False)


def parse(path: Path) -> dict[str, Any]:
    with path.open() as file:
        return hcl2.load(file, serialization_options=OPTIONS)


def blocks(directory: Path, kind: str) -> dict[str, Any]:
    """Every `kind` block ("variable", "output", "module", …) of the directory's .tf files, by name."""
    found: dict[str, Any] = {}
    for path in sorted(directory.glob("*.tf")):
        for block in parse(path).get(kind, []):
            found.update(block)
    return found


def doc_table(first_header: str) -> dict[str, list[str]]:
    """The rows of the table under docs/deploy.md's Terraform section whose first column is `first_header`."""
    section = DEPLOY_DOC.read_text().split(DOC_SECTION, 1)[1].split("\n### ", 1)[0]
    rows: dict[str, list[str]] = {}
    in_table = False
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and cells[0] == first_header:
            in_table = True
        elif not line.startswith("|"):
            in_table = False
        elif in_table and not set(cells[0]) <= {"-", " "}:
            rows[cells[0].strip("`")] = cells[1:]
    assert rows, f"no table headed {first_header!r} under {DOC_SECTION!r}"
    return rows


def test_the_modules_variables_are_the_documented_inputs() -> None:
    variables = blocks(MODULE, "variable")
    inputs = doc_table("Input")
    assert set(variables) == set(inputs)
    for name, (kind, _) in inputs.items():
        assert variables[name]["type"].removeprefix("${").removesuffix("}") == kind, name
        assert variables[name]["description"], name


def test_only_the_ttl_has_a_default() -> None:
    variables = blocks(MODULE, "variable")
    assert {name for name, variable in variables.items() if "default" in variable} == {"ttl"}
    assert re.search(rf"\b{variables['ttl']['default']}\b", doc_table("Input")["ttl"][1])


def test_the_modules_outputs_are_the_documented_ones() -> None:
    outputs = blocks(MODULE, "output")
    assert set(outputs) == set(doc_table("Output"))
    assert all(output["description"] for output in outputs.values())


def test_one_cname_per_entry_of_the_map_under_the_domain() -> None:
    (record,) = blocks(MODULE, "resource")["aws_route53_record"].values()
    assert record["for_each"] == "${var.cname_records}"
    assert record["type"] == "CNAME"
    assert record["zone_id"] == "${var.zone_id}"
    assert record["name"] == "${each.key}.${var.domain}"
    assert record["records"] == ["${each.value}"]
    assert record["ttl"] == "${var.ttl}"


def test_the_outputs_name_the_created_records() -> None:
    outputs = blocks(MODULE, "output")
    assert "aws_route53_record.clerk" in outputs["record_names"]["value"]
    assert ".fqdn" in outputs["record_names"]["value"]
    assert outputs["frontend_api_host"]["value"] == '${aws_route53_record.clerk["clerk"].fqdn}'


def test_the_module_pins_the_aws_provider() -> None:
    (settings,) = parse(MODULE / "versions.tf")["terraform"]
    (providers,) = settings["required_providers"]
    assert providers["aws"]["source"] == "hashicorp/aws"
    assert providers["aws"]["version"].startswith(">=")


def _validation_pattern(variable: str, index: int = 0) -> re.Pattern[str]:
    """The regex of one `can(regex("…", …))` validation rule (RE2 and Python agree on these patterns)."""
    condition = blocks(MODULE, "variable")[variable]["validation"][index]["condition"]
    (pattern,) = re.findall(r'regex\("((?:[^"\\]|\\.)*)"', condition)
    return re.compile(pattern.encode().decode("unicode_escape"))


def test_the_domain_is_a_bare_domain_name() -> None:
    pattern = _validation_pattern("domain")
    assert pattern.fullmatch("example.com")
    assert pattern.fullmatch("my-app.co.uk")
    for wrong in ("https://example.com", "example.com.", "Example.com", "example", ""):
        assert not pattern.fullmatch(wrong), wrong


def test_record_names_are_relative_and_targets_are_host_names() -> None:
    names, targets = _validation_pattern("cname_records", 1), _validation_pattern("cname_records", 2)
    for name in CLERK_RECORDS:
        assert names.fullmatch(name), name
    assert targets.fullmatch("frontend-api.clerk.services")
    assert targets.fullmatch("dkim1.abc123xyz.clerk.services")
    for wrong in ("https://frontend-api.clerk.services", "frontend api", "<your-instance-id>.clerk.services"):
        assert not targets.fullmatch(wrong), wrong


def test_the_frontend_api_record_is_required() -> None:
    condition = blocks(MODULE, "variable")["cname_records"]["validation"][0]["condition"]
    assert condition == '${contains(keys(var.cname_records), "clerk")}'


def test_the_example_passes_every_input_to_the_module() -> None:
    (module,) = blocks(EXAMPLE, "module").values()
    assert (EXAMPLE / module["source"]).resolve() == MODULE
    required = {name for name, variable in blocks(MODULE, "variable").items() if "default" not in variable}
    given = set(module) - {"source"}
    assert required <= given <= set(blocks(MODULE, "variable"))
    assert module["zone_id"] == "${data.aws_route53_zone.main.zone_id}"
    assert blocks(EXAMPLE, "data")["aws_route53_zone"]["main"]["name"] == "${var.domain}"


def test_the_example_variables_list_the_records_clerk_shows() -> None:
    example = parse(EXAMPLE / "terraform.tfvars.example")
    assert tuple(example["clerk_cname_records"]) == CLERK_RECORDS
    assert set(example) <= set(blocks(EXAMPLE, "variable"))
    doc = DEPLOY_DOC.read_text()
    for name in CLERK_RECORDS:
        assert f"`{name}`" in doc


def test_the_example_targets_must_be_filled_in_before_they_validate() -> None:
    """The placeholders of terraform.tfvars.example are refused: nobody applies them by mistake."""
    targets = _validation_pattern("cname_records", 2)
    example = parse(EXAMPLE / "terraform.tfvars.example")["clerk_cname_records"]
    refused = {name for name, target in example.items() if not targets.fullmatch(target)}
    assert refused == {"clkmail", "clk._domainkey", "clk2._domainkey"}


def test_terraform_fmt_finds_nothing_to_change() -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("no terraform binary on PATH: `terraform fmt -check` skipped (the HCL was still parsed)")
    result = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", str(TERRAFORM_DIR)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
