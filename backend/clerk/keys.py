"""Verification keys: a fixed PEM key, or Clerk's JWKS with a cached, self-refreshing key set.

The JWKS lifecycle is built to be cheap and hard to abuse:
- parsed key objects are cached; nothing is rebuilt per request;
- every fetch runs on one dedicated worker thread, so concurrent requests for an
  unknown `kid` share a single fetch (single-flight) and the event loop never blocks;
- fetches are spaced by `min_fetch_interval`, and a `kid` that a fetch did not find is
  remembered for `unknown_kid_ttl`, so a flood of forged kids costs a handful of
  fetches a minute at most;
- the set is refreshed in the background once it is older than `refresh_interval`;
  when a fetch fails or returns garbage, the keys already held keep serving.
"""

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Protocol

import requests
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import InvalidKeyError

logger = logging.getLogger(__name__)

JwksFetcher = Callable[[], Any]


class KeySet(Protocol):
    @property
    def has_keys(self) -> bool: ...

    def key_for(self, kid: str | None) -> RSAPublicKey | None:
        """Return the key for `kid` from memory, without any I/O."""
        ...

    def refresh_if_stale(self) -> None:
        """Schedule a background refresh when the keys are old; never blocks."""
        ...

    async def refresh_for_kid(self, kid: str | None) -> None:
        """Try to learn `kid` (a fetch, if the rate limits allow), off the event loop."""
        ...


class StaticKeySet:
    """The PEM key from `CLERK_JWT_KEY`: networkless, one key for every `kid`."""

    def __init__(self, key: RSAPublicKey) -> None:
        self._key = key

    @property
    def has_keys(self) -> bool:
        return True

    def key_for(self, kid: str | None) -> RSAPublicKey | None:
        return self._key

    def refresh_if_stale(self) -> None:
        return None

    async def refresh_for_kid(self, kid: str | None) -> None:
        return None


def http_jwks_fetcher(url: str, *, timeout: float = 5.0) -> JwksFetcher:
    """A fetcher that GETs the JWKS document with a connect/read timeout."""

    def fetch() -> Any:
        response = requests.get(url, timeout=timeout, headers={"Accept": "application/json"})
        response.raise_for_status()
        return response.json()

    return fetch


def parse_jwks(document: Any) -> dict[str, RSAPublicKey]:
    """Map `kid` to RSA public key for the RS256 signing keys of a JWKS document.

    Raises ValueError when the document holds no usable key at all.
    """
    if not isinstance(document, Mapping) or not isinstance(document.get("keys"), list):
        raise ValueError("JWKS document has no 'keys' list")
    keys: dict[str, RSAPublicKey] = {}
    for jwk in document["keys"]:
        if not isinstance(jwk, Mapping) or jwk.get("kty") != "RSA" or not isinstance(jwk.get("kid"), str):
            continue
        if jwk.get("use", "sig") != "sig" or jwk.get("alg", "RS256") != "RS256":
            continue
        try:
            key = RSAAlgorithm.from_jwk(dict(jwk))
        except (InvalidKeyError, ValueError, KeyError, TypeError):  # a malformed member: skip this key
            continue
        if isinstance(key, RSAPrivateKey):  # a JWKS must never carry private members; use only the public half
            key = key.public_key()
        if isinstance(key, RSAPublicKey) and key.key_size >= 2048:
            keys[jwk["kid"]] = key
    if not keys:
        raise ValueError("JWKS document holds no RS256 signing key")
    return keys


class JwksKeySet:
    """Clerk's JWKS, fetched lazily and kept fresh (see the module docstring)."""

    def __init__(
        self,
        fetch: JwksFetcher,
        *,
        refresh_interval: float = 300.0,
        min_fetch_interval: float = 10.0,
        unknown_kid_ttl: float = 60.0,
        max_unknown_kids: int = 1024,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._fetch = fetch
        self._refresh_interval = refresh_interval
        self._min_fetch_interval = min_fetch_interval
        self._unknown_kid_ttl = unknown_kid_ttl
        self._max_unknown_kids = max_unknown_kids
        self._clock = clock
        self._keys: dict[str, RSAPublicKey] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._attempted_at: float | None = None  # last fetch, successful or not
        self._unknown_kids: dict[str, float] = {}  # kid -> remembered until
        self._refresh_scheduled = False
        self._lock = threading.Lock()
        # One worker: every fetch is serialized through it, which makes fetches single-flight.
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="clerk-jwks")

    @property
    def has_keys(self) -> bool:
        return bool(self._keys)

    def key_for(self, kid: str | None) -> RSAPublicKey | None:
        return self._keys.get(kid) if kid is not None else None

    def refresh_if_stale(self) -> None:
        fetched_at = self._fetched_at
        if fetched_at is None or self._refresh_scheduled or self._clock() - fetched_at < self._refresh_interval:
            return
        with self._lock:
            if self._refresh_scheduled:
                return
            self._refresh_scheduled = True
        self._worker.submit(self._background_refresh)

    async def refresh_for_kid(self, kid: str | None) -> None:
        await asyncio.wrap_future(self._worker.submit(self.refresh_for_kid_blocking, kid))

    def refresh_for_kid_blocking(self, kid: str | None) -> None:
        """Fetch once if `kid` is unknown and the rate limits allow it. Runs on the worker thread."""
        now = self._clock()
        if kid is not None and kid in self._keys:
            return  # an earlier fetch in the queue already brought it
        if kid is not None and self._unknown_kids.get(kid, 0.0) > now:
            return
        if self._attempted_at is not None and now - self._attempted_at < self._min_fetch_interval:
            return
        self._fetch_now(now)
        if kid is not None and kid not in self._keys:
            self._remember_unknown(kid, now)

    def _background_refresh(self) -> None:
        try:
            now = self._clock()
            if self._attempted_at is None or now - self._attempted_at >= self._min_fetch_interval:
                self._fetch_now(now)
        finally:
            self._refresh_scheduled = False

    def _fetch_now(self, now: float) -> None:
        self._attempted_at = now
        try:
            keys = parse_jwks(self._fetch())
        except Exception as error:  # network errors, HTTP errors, garbage: keep serving what we have
            logger.warning(
                "Clerk JWKS fetch failed (%s); keeping %d cached key(s)",
                type(error).__name__,
                len(self._keys),
            )
            return
        self._keys = keys
        self._fetched_at = now
        self._unknown_kids = {kid: until for kid, until in self._unknown_kids.items() if kid not in keys}

    def _remember_unknown(self, kid: str, now: float) -> None:
        if len(self._unknown_kids) >= self._max_unknown_kids:
            self._unknown_kids = {k: until for k, until in self._unknown_kids.items() if until > now}
            if len(self._unknown_kids) >= self._max_unknown_kids:
                self._unknown_kids.clear()
        self._unknown_kids[kid] = now + self._unknown_kid_ttl
