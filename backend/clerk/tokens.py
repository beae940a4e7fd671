"""Strict verification of Clerk session tokens.

The compact JWS is parsed by hand on purpose: with strict base64url decoding and the
signature checked by `cryptography` directly, a cold verification costs little more
than the RSA operation itself, and every rule below stays visible in one place.

Rules (Clerk's manual-verification guide, plus what its SDKs leave out):
- at most `MAX_TOKEN_LENGTH` characters, checked before anything is parsed;
- `alg` pinned: RS256 with the key set, or HS256 only with the configured symmetric
  secret; an RSA key is never used as an HMAC secret, `none` never accepted;
- `typ`, if present, is `JWT`; `cat`, if present, is the session category (machine and
  template tokens are not sessions); `jku`, `x5u`, `jwk`, `x5c` and `crit` headers are
  refused, never followed;
- the signature is verified before any claim is read;
- `exp` required, `nbf` and `iat` honoured, each with `leeway` seconds;
- `iss` equals the configured issuer; a present `azp` is one of the authorized parties when
  they are set; a token without `azp` is accepted unless `require_authorized_party` is on
  (Clerk's Frontend API mints tokens without it when the minting request has no `Origin`:
  the handshake of a top-level navigation; see docs/security.md, "The azp rule");
- `sub` and `sid` present; a `pending` session is not signed in;
- a machine's token is refused with its own reason: Clerk's opaque API keys, M2M and
  OAuth tokens (`ak_`, `mt_`, `m2m_`, `oat_`), and JWTs of type `at+jwt`, of the M2M
  category, or whose `sub` is a machine (`mch_`): none of them signs a user in.

Verified sessions are cached by the token string until the token expires, but for at
most `max_cache_seconds` (an `exp` of 1e308 is valid, not a reason to skip verification
for ever), with the time claims re-checked on every hit, so a token presented again costs
a dict lookup. Only tokens that passed every check enter the cache.

A correctly signed token is still untrusted input: every claim read is type- and
range-checked (numbers finite and in range, `azp` a string, ids like Clerk's), so a
malformed one is rejected (401), never an error.
"""

import hashlib
import hmac
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from cryptography import exceptions as crypto
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256

from clerk.encoding import b64decode_unpadded
from clerk.errors import (
    InvalidIssuer,
    InvalidSignature,
    MachineToken,
    MalformedToken,
    SessionNotActive,
    SigningKeysUnavailable,
    TokenExpired,
    TokenNotYetValid,
    UnauthorizedParty,
    UnknownSigningKey,
    UnsupportedToken,
)
from clerk.ids import is_clerk_id
from clerk.keys import KeySet
from clerk.session import Session, session_from_claims

MAX_TOKEN_LENGTH = 8192
SESSION_CATEGORY = "cl_B7d4PD111AAA"
TEMPLATE_CATEGORY = "cl_B7d4PD222AAA"
MACHINE_CATEGORY = "cl_B7d4PD333AAA"
MACHINE_TOKEN_PREFIXES = ("ak_", "mt_", "m2m_", "oat_")
MACHINE_SUBJECT_PREFIX = "mch_"
# Instances with `use_ignore_jwt_cat` stamp this on every token: it says nothing about the kind.
IGNORED_CATEGORY = "cl_I7d4PD111III"
_REFUSED_HEADERS = ("jku", "x5u", "jwk", "x5c", "crit")
# Three unpadded base64url segments; standard base64's '+', '/' and '=' are refused.
_COMPACT_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


@dataclass(frozen=True, slots=True)
class _Verified:
    session: Session
    valid_from: float  # max(nbf, iat) - leeway
    valid_until: float  # exp + leeway


class SessionVerifier:
    def __init__(
        self,
        *,
        keys: KeySet,
        issuer: str,
        authorized_parties: Iterable[str] | None = None,
        require_authorized_party: bool = False,
        leeway: float = 5.0,
        hs256_secret: bytes | None = None,
        cache_size: int = 10_000,
        max_cache_seconds: float = 300.0,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._keys = keys
        self._issuer = issuer
        self._authorized_parties = frozenset(authorized_parties) if authorized_parties else None
        self._require_authorized_party = require_authorized_party
        self._leeway = leeway
        self._hs256_secret = hs256_secret
        self._cache: dict[str, _Verified] = {}
        self._cache_size = cache_size
        self._max_cache_seconds = max_cache_seconds
        self._cache_lock = threading.Lock()
        self._clock = clock

    @property
    def keys(self) -> KeySet:
        return self._keys

    def verify(self, token: str) -> Session:
        """Verify without I/O. Raises TokenRejected, or UnknownSigningKey when the key set lacks the `kid`."""
        now = self._clock()
        hit = self._cache.get(token)
        if hit is not None:
            if hit.valid_from <= now < hit.valid_until:
                return hit.session
            self._cache.pop(token, None)  # re-verify below to report the precise reason
        verified = self._verify_uncached(token, now)
        self._remember(token, verified, now)
        return verified.session

    async def verify_async(self, token: str) -> Session:
        """Verify, fetching keys off the event loop when the token names a `kid` not yet known."""
        try:
            return self.verify(token)
        except UnknownSigningKey as missing:
            await self._keys.refresh_for_kid(missing.kid)
            if not self._keys.has_keys:
                raise SigningKeysUnavailable() from None
            return self.verify(token)

    def _verify_uncached(self, token: str, now: float) -> _Verified:
        if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH:
            raise MalformedToken("token too large")
        if token.startswith(MACHINE_TOKEN_PREFIXES):
            raise MachineToken("machine token")
        if not _COMPACT_JWS.fullmatch(token):
            raise MalformedToken("malformed token")
        header_b64, payload_b64, signature_b64 = token.split(".")
        header = _json_object(header_b64)
        signing_input = token[: len(header_b64) + 1 + len(payload_b64)].encode("ascii")
        signature = _b64url_decode(signature_b64)

        typ = header.get("typ", "JWT")
        if isinstance(typ, str) and typ.lower() == "at+jwt":
            raise MachineToken("machine token")
        if typ != "JWT":
            raise UnsupportedToken("unsupported token type")
        if any(name in header for name in _REFUSED_HEADERS):
            raise UnsupportedToken("unsupported token header")
        alg = header.get("alg")
        category = header.get("cat")
        if category == MACHINE_CATEGORY:
            raise MachineToken("machine token")
        if alg == "RS256":
            if category not in (None, SESSION_CATEGORY, IGNORED_CATEGORY):
                raise UnsupportedToken("not a session token")
            self._verify_rs256(header, signing_input, signature)
        elif alg == "HS256" and self._hs256_secret is not None:
            # The symmetric secret exists for Clerk JWT templates signed with a custom key.
            if category not in (
                None,
                SESSION_CATEGORY,
                TEMPLATE_CATEGORY,
                IGNORED_CATEGORY,
            ):
                raise UnsupportedToken("not a session token")
            expected = hmac.new(self._hs256_secret, signing_input, hashlib.sha256).digest()
            if not hmac.compare_digest(expected, signature):
                raise InvalidSignature("invalid signature")
        else:
            raise UnsupportedToken("unsupported algorithm")

        claims = _json_object(payload_b64)
        return self._check_claims(claims, now)

    def _verify_rs256(self, header: dict[str, Any], signing_input: bytes, signature: bytes) -> None:
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise MalformedToken("malformed token")
        self._keys.refresh_if_stale()
        key = self._keys.key_for(kid)
        if key is None:
            raise UnknownSigningKey(kid)
        try:
            key.verify(signature, signing_input, PKCS1v15(), SHA256())
        except crypto.InvalidSignature:
            raise InvalidSignature("invalid signature") from None

    def _check_claims(self, claims: dict[str, Any], now: float) -> _Verified:
        leeway = self._leeway
        exp = _number(claims, "exp")
        if exp is None:
            raise MalformedToken("token has no expiry")
        if now >= exp + leeway:
            raise TokenExpired("token expired")
        valid_from = float("-inf")
        nbf = _number(claims, "nbf")
        if nbf is not None:
            if now < nbf - leeway:
                raise TokenNotYetValid("token not yet valid")
            valid_from = nbf - leeway
        iat = _number(claims, "iat")
        if iat is not None:
            if now < iat - leeway:
                raise TokenNotYetValid("token issued in the future")
            valid_from = max(valid_from, iat - leeway)
        if claims.get("iss") != self._issuer:
            raise InvalidIssuer("invalid issuer")
        azp = claims.get("azp")
        if azp is not None and not isinstance(azp, str):
            raise MalformedToken("malformed azp claim")
        if self._authorized_parties is not None:
            if azp:
                if azp not in self._authorized_parties:
                    raise UnauthorizedParty("unauthorized party")
            elif self._require_authorized_party:
                raise UnauthorizedParty("token has no authorized party")
        if not claims.get("sub"):
            raise MalformedToken("token has no subject")
        if not is_clerk_id(claims["sub"]):
            raise MalformedToken("malformed sub claim")
        if claims["sub"].startswith(MACHINE_SUBJECT_PREFIX):
            raise MachineToken("machine token")
        if not claims.get("sid"):
            raise MalformedToken("token has no session")
        if not is_clerk_id(claims["sid"]):
            raise MalformedToken("malformed sid claim")
        status = claims.get("sts")
        if status == "pending":
            raise SessionNotActive("session pending")
        if status not in (None, "active"):
            raise SessionNotActive("session not active")
        return _Verified(session_from_claims(claims), valid_from, min(exp + leeway, now + self._max_cache_seconds))

    def _remember(self, token: str, verified: _Verified, now: float) -> None:
        if len(self._cache) >= self._cache_size:
            with self._cache_lock:
                if len(self._cache) >= self._cache_size:
                    self._evict(now)
        self._cache[token] = verified

    def _evict(self, now: float) -> None:
        """Drop expired entries; if the cache is still full, drop the oldest tenth."""
        live = {token: entry for token, entry in list(self._cache.items()) if entry.valid_until > now}
        if len(live) >= self._cache_size:
            for token in list(live)[: max(1, self._cache_size // 10)]:
                del live[token]
        self._cache = live


def _b64url_decode(segment: str) -> bytes:
    try:
        return b64decode_unpadded(segment, urlsafe=True)
    except ValueError:  # binascii.Error, and a length no padding can make valid
        raise MalformedToken("malformed token") from None


def _json_object(segment: str) -> dict[str, Any]:
    try:
        value = json.loads(_b64url_decode(segment), parse_constant=_refuse_constant)
    except (ValueError, RecursionError):
        raise MalformedToken("malformed token") from None
    if not isinstance(value, dict):
        raise MalformedToken("malformed token")
    return value


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def _number(claims: dict[str, Any], name: str) -> float | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise MalformedToken(f"malformed {name} claim")
    try:
        number = float(value)  # an integer like 10**400 overflows a float
    except OverflowError:
        raise MalformedToken(f"malformed {name} claim") from None
    if not math.isfinite(number):  # json reads 1e309 as infinity
        raise MalformedToken(f"malformed {name} claim")
    return number
