"""Reading the JSON lines nginx and the backend write, out of `compose logs`."""

import json
from typing import Any

from tests.compose.project import ComposeProject


def json_lines(project: ComposeProject, service: str) -> list[dict[str, Any]]:
    """Every JSON object a service's containers wrote, one per line (other lines skipped)."""
    records = []
    for line in project.compose("logs", "--no-color", "--no-log-prefix", service).stdout.splitlines():
        start = line.find("{")
        if start < 0:
            continue
        try:
            record = json.loads(line[start:])
        except ValueError:
            continue
        if isinstance(record, dict):
            records.append(record)
    return records


def by_request_id(project: ComposeProject, service: str, request_ids: set[str]) -> dict[str, dict[str, Any]]:
    return {
        record["request_id"]: record
        for record in json_lines(project, service)
        if record.get("request_id") in request_ids
    }
