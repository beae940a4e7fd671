"""A small client for the parts of Clerk's Backend API this application reads.

`GET /users` answers a bare array; `/organizations` and `/organization_memberships`
answer `{data, total_count}`. All three page with `limit`/`offset`. A 429 carries
`Retry-After` (seconds), which is honoured before retrying.
"""

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import requests

from clerk.errors import BackendAPIError
from clerk.ids import is_clerk_id
from clerk.payloads import ClerkMembership, ClerkOrganization, ClerkUser, PayloadError

T = TypeVar("T")
MAX_PAGE_SIZE = 500


@dataclass(frozen=True)
class InvalidObject:
    """An object Clerk listed that cannot be read (`clerk.payloads`): reported and skipped, not fatal."""

    id: str | None  # None when not even its id is one
    reason: str


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    offset: int
    total: int | None  # None when the endpoint does not say (the users list)
    invalid: list[InvalidObject]


class ClerkBackendAPI:
    def __init__(
        self,
        *,
        secret_key: str,
        api_url: str = "https://api.clerk.com/v1",
        timeout: float = 10.0,
        max_retries: int = 5,
        max_retry_after: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._api_url = api_url.rstrip("/")
        self._timeout = timeout
        self._max_retries = max_retries
        self._max_retry_after = max_retry_after
        self._sleep = sleep
        self._http = requests.Session()
        self._http.headers.update({"Authorization": f"Bearer {secret_key}", "Accept": "application/json"})

    def get_user(self, user_id: str) -> ClerkUser | None:
        """The user, or None when Clerk does not know it."""
        body = self._get(f"/users/{user_id}", {}, allow_not_found=True)
        return None if body is None else ClerkUser.from_json(body)

    def get_organization(self, organization_id: str) -> ClerkOrganization | None:
        body = self._get(f"/organizations/{organization_id}", {}, allow_not_found=True)
        return None if body is None else ClerkOrganization.from_json(body)

    def membership_ids_of(self, organization_id: str) -> set[str] | None:
        """Ids of an organization's current memberships, or None when the organization is gone."""
        if self.get_organization(organization_id) is None:
            return None
        path = f"/organizations/{organization_id}/memberships"
        ids: set[str] = set()
        for page in self._pages(path, ClerkMembership.from_json, MAX_PAGE_SIZE, enveloped=True):
            ids.update(m.id for m in page.items)
            ids.update(invalid.id for invalid in page.invalid if invalid.id)  # unreadable, yet still there
        return ids

    def user_pages(self, page_size: int = MAX_PAGE_SIZE) -> Iterator[Page[ClerkUser]]:
        return self._pages("/users", ClerkUser.from_json, page_size, enveloped=False)

    def organization_pages(self, page_size: int = MAX_PAGE_SIZE) -> Iterator[Page[ClerkOrganization]]:
        return self._pages("/organizations", ClerkOrganization.from_json, page_size, enveloped=True)

    def membership_pages(self, page_size: int = MAX_PAGE_SIZE) -> Iterator[Page[ClerkMembership]]:
        return self._pages(
            "/organization_memberships",
            ClerkMembership.from_json,
            page_size,
            enveloped=True,
        )

    def _pages(self, path: str, parse: Callable[[Any], T], page_size: int, *, enveloped: bool) -> Iterator[Page[T]]:
        limit = max(1, min(page_size, MAX_PAGE_SIZE))
        offset = 0
        while True:
            body = self._get(path, {"limit": limit, "offset": offset, "order_by": "+created_at"})
            if enveloped:
                if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                    raise BackendAPIError(f"GET {path}: expected {{data, total_count}}")
                raw, total = body["data"], body.get("total_count")
            else:
                if not isinstance(body, list):
                    raise BackendAPIError(f"GET {path}: expected a JSON array")
                raw, total = body, None
            items, invalid = [], []
            for item in raw:
                try:
                    items.append(parse(item))
                except PayloadError as error:
                    object_id = item.get("id") if isinstance(item, dict) else None
                    invalid.append(InvalidObject(object_id if is_clerk_id(object_id) else None, str(error)))
            yield Page(items=items, offset=offset, total=total if isinstance(total, int) else None, invalid=invalid)
            offset += len(raw)
            if len(raw) < limit or (isinstance(total, int) and offset >= total):
                return

    def _get(self, path: str, params: dict[str, Any], *, allow_not_found: bool = False) -> Any:
        url = self._api_url + path
        for attempt in range(self._max_retries + 1):
            try:
                response = self._http.get(url, params=params, timeout=self._timeout)
            except requests.RequestException as error:
                raise BackendAPIError(f"GET {path}: {type(error).__name__}") from None
            if response.status_code == 429 and attempt < self._max_retries:
                self._sleep(self._retry_after(response, attempt))
                continue
            if response.status_code == 404 and allow_not_found:
                return None
            if response.status_code >= 400:
                raise BackendAPIError(f"GET {path}: HTTP {response.status_code}")
            try:
                return response.json()
            except ValueError:
                raise BackendAPIError(f"GET {path}: response is not JSON") from None
        raise BackendAPIError(f"GET {path}: still rate limited after {self._max_retries} retries")

    def _retry_after(self, response: requests.Response, attempt: int) -> float:
        try:
            seconds = float(response.headers.get("Retry-After", ""))
        except ValueError:
            seconds = 2.0**attempt
        return min(max(seconds, 0.0), self._max_retry_after)
