"""Section 1: tokens verified per second, four ways, interleaved round by round on one core.

- unique tokens (cold): every token is new to the verifier (full parse + RSA verify + claim checks);
- a repeated token (warm): the same token presented again, as a browser does during its 60 s
  life; each call gets a fresh string object, as each HTTP request would;
- raw `cryptography` RSA verify of the same token: the floor of any correct verifier;
- PyJWT `decode` with a cached key object: the well-known library, best case.
"""

import time
from dataclasses import dataclass

import jwt
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256

from bench.stats import Measured, rate
from clerk.keys import StaticKeySet
from clerk.tokens import SessionVerifier
from testing.tokens import AUTHORIZED_PARTY, ISSUER, SigningKey, b64url_decode, mint, session_claims


@dataclass(frozen=True)
class TokenFigures:
    unique: Measured
    repeated: Measured
    raw_rsa: Measured
    pyjwt: Measured

    @property
    def unique_vs_pyjwt(self) -> float:
        return self.unique.median / self.pyjwt.median

    @property
    def repeated_vs_raw(self) -> float:
        return self.repeated.median / self.raw_rsa.median


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

    results: dict[str, list[float]] = {"unique": [], "repeated": [], "raw": [], "pyjwt": []}
    for _ in range(rounds):  # interleaved, so machine noise hits all four alike
        results["unique"].append(rate(unique_batch, min_seconds=seconds))
        results["repeated"].append(rate(repeated_batch, min_seconds=seconds))
        results["raw"].append(rate(raw_batch, min_seconds=seconds))
        results["pyjwt"].append(rate(pyjwt_batch, min_seconds=seconds))
    return TokenFigures(
        unique=Measured("unique tokens (cold)", results["unique"]),
        repeated=Measured("repeated token (warm)", results["repeated"]),
        raw_rsa=Measured("raw cryptography RSA verify", results["raw"]),
        pyjwt=Measured("PyJWT decode, cached key", results["pyjwt"]),
    )
