"""Section 1: tokens verified per second, six ways, interleaved round by round on one core.

- unique tokens (cold): every token is new to the verifier (full parse + RSA verify + claim checks);
- a repeated token (warm): the same token presented again, as a browser does during its 60 s
  life; each call gets a fresh string object, as each HTTP request would;
- raw `cryptography` RSA verify of the same token: the floor of any correct verifier;
- PyJWT `decode` with a cached key object: the well-known library, best case;
- the peers a reader would otherwise pick, each used as its documentation shows: Clerk's
  official Python SDK (`clerk-backend-api`, `authenticate_request`, networkless with the PEM
  key) and `fastapi-clerk-auth` (its FastAPI dependency, keys from a local JWKS server).
"""

import asyncio
import time
from dataclasses import dataclass

import httpx
import jwt
from clerk_backend_api.security import authenticate_request
from clerk_backend_api.security.types import AuthenticateRequestOptions, AuthStatus
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from fastapi_clerk_auth import ClerkConfig, ClerkHTTPBearer
from starlette.requests import Request

from bench.stats import Measured, rate
from clerk.keys import StaticKeySet
from clerk.tokens import SessionVerifier
from testing.fake_clerk import running_fake_clerk
from testing.tokens import AUTHORIZED_PARTY, ISSUER, SigningKey, b64url_decode, jwks, mint, session_claims


@dataclass(frozen=True)
class TokenFigures:
    unique: Measured
    repeated: Measured
    raw_rsa: Measured
    pyjwt: Measured
    clerk_sdk: Measured
    fastapi_clerk_auth: Measured

    @property
    def unique_vs_pyjwt(self) -> float:
        return self.unique.median / self.pyjwt.median

    @property
    def repeated_vs_raw(self) -> float:
        return self.repeated.median / self.raw_rsa.median

    @property
    def unique_vs_clerk_sdk(self) -> float:
        return self.unique.median / self.clerk_sdk.median

    @property
    def unique_vs_fastapi_clerk_auth(self) -> float:
        return self.unique.median / self.fastapi_clerk_auth.median


def measure(*, rounds: int = 5, seconds: float = 1.0, unique_tokens: int = 3000) -> TokenFigures:
    key = SigningKey.generate("ins_bench")
    public_key = key.private_key.public_key()
    claims = session_claims(exp=int(time.time()) + 3600)
    token = mint(key, claims)
    pool = [mint(key, {**claims, "sid": f"sess_{n}"}) for n in range(unique_tokens)]

    def verifier() -> SessionVerifier:
        return SessionVerifier(keys=StaticKeySet(public_key), issuer=ISSUER, authorized_parties=[AUTHORIZED_PARTY])

    cursor = {"next": 0, "verifier": verifier()}

    def unique_batch() -> int:
        start = cursor["next"]
        if start + 200 > len(pool):
            start, cursor["verifier"] = 0, verifier()  # a fresh cache: every token stays unseen
        batch_verifier: SessionVerifier = cursor["verifier"]  # type: ignore[assignment]
        for candidate in pool[start : start + 200]:
            batch_verifier.verify(candidate)
        cursor["next"] = start + 200
        return 200

    warm = verifier()
    warm.verify(token)
    head, tail = token[:8], token[8:]

    def repeated_batch() -> int:
        for _ in range(1000):
            # A new, equal string each time, as each HTTP request brings: its hash is not cached yet.
            warm.verify(head + tail)
        return 1000

    header_b64, payload_b64, signature_b64 = token.split(".")
    signing_input = f"{header_b64}.{payload_b64}".encode()
    signature = b64url_decode(signature_b64)

    def raw_batch() -> int:
        for _ in range(100):
            public_key.verify(signature, signing_input, PKCS1v15(), SHA256())
        return 100

    def pyjwt_batch() -> int:
        for _ in range(100):
            jwt.decode(token, public_key, algorithms=["RS256"], issuer=ISSUER, options={"require": ["exp", "sub"]})
        return 100

    # Clerk's SDK as its README shows it, networkless with the PEM key, the authorized party checked.
    sdk_options = AuthenticateRequestOptions(jwt_key=key.public_pem, authorized_parties=[AUTHORIZED_PARTY])
    sdk_requests = [httpx.Request("GET", "http://app.test/", headers={"Authorization": f"Bearer {t}"}) for t in pool]

    def clerk_sdk_batch() -> int:
        for request in sdk_requests[:100]:
            state = authenticate_request(request, sdk_options)
            assert state.status is AuthStatus.SIGNED_IN, state.reason
        return 100

    results: dict[str, list[float]] = {name: [] for name in ("unique", "repeated", "raw", "pyjwt", "sdk", "fca")}
    with running_fake_clerk() as fake_clerk:
        fake_clerk.state.jwks = jwks(key)
        bearer = ClerkHTTPBearer(ClerkConfig(jwks_url=fake_clerk.jwks_url, issuer=ISSUER, verify_iss=True))
        fca_requests = [_starlette_request(t) for t in pool[:100]]
        loop = asyncio.new_event_loop()

        def fastapi_clerk_auth_batch() -> int:
            async def batch() -> None:
                for request in fca_requests:
                    credentials = await bearer(request)
                    assert credentials is not None
                    assert credentials.decoded is not None

            loop.run_until_complete(batch())
            return 100

        try:
            for _ in range(rounds):  # interleaved, so machine noise hits all six alike
                results["unique"].append(rate(unique_batch, min_seconds=seconds))
                results["repeated"].append(rate(repeated_batch, min_seconds=seconds))
                results["raw"].append(rate(raw_batch, min_seconds=seconds))
                results["pyjwt"].append(rate(pyjwt_batch, min_seconds=seconds))
                results["sdk"].append(rate(clerk_sdk_batch, min_seconds=seconds))
                results["fca"].append(rate(fastapi_clerk_auth_batch, min_seconds=seconds))
        finally:
            loop.close()
    return TokenFigures(
        unique=Measured("unique tokens (cold)", results["unique"]),
        repeated=Measured("repeated token (warm)", results["repeated"]),
        raw_rsa=Measured("raw cryptography RSA verify", results["raw"]),
        pyjwt=Measured("PyJWT decode, cached key", results["pyjwt"]),
        clerk_sdk=Measured("clerk-backend-api authenticate_request (PEM)", results["sdk"]),
        fastapi_clerk_auth=Measured("fastapi-clerk-auth ClerkHTTPBearer (JWKS)", results["fca"]),
    )


def _starlette_request(token: str) -> Request:
    headers = [(b"authorization", f"Bearer {token}".encode())]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": headers, "query_string": b""})
