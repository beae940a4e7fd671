"""Keys, publishable keys and session tokens, made here as Clerk would make them (nothing of Clerk is reachable)."""

import base64
import json
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from jwt.algorithms import RSAAlgorithm

from clerk.tokens import SESSION_CATEGORY

ISSUER = "https://clerk.example.test"
AUTHORIZED_PARTY = "http://localhost:3000"


@dataclass
class SigningKey:
    kid: str
    private_key: rsa.RSAPrivateKey = field(repr=False)

    @classmethod
    def generate(cls, kid: str, bits: int = 2048) -> "SigningKey":
        return cls(kid=kid, private_key=rsa.generate_private_key(public_exponent=65537, key_size=bits))

    @property
    def public_pem(self) -> str:
        """The public key as Clerk's dashboard shows it (what CLERK_JWT_KEY holds)."""
        return self.private_key.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()

    @property
    def jwk(self) -> dict[str, Any]:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.private_key.public_key()))
        return {**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}


def make_publishable_key(host: str, *, live: bool = True) -> str:
    """A publishable key for the Frontend API `host`: `pk_live_`/`pk_test_` + base64 of `<host>$`."""
    prefix = "pk_live_" if live else "pk_test_"
    return prefix + base64.b64encode(f"{host}$".encode("ascii")).decode("ascii")


def jwks(*keys: SigningKey) -> dict[str, Any]:
    return {"keys": [key.jwk for key in keys]}


def session_claims(**overrides: Any) -> dict[str, Any]:
    """Claims like a Clerk v2 session token's, valid for the next 60 s."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "azp": AUTHORIZED_PARTY,
        "exp": now + 60,
        "fva": [0, -1],
        "iat": now,
        "iss": ISSUER,
        "nbf": now - 10,
        "sid": "sess_test",
        "sts": "active",
        "sub": "user_test",
        "v": 2,
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def mint(key: SigningKey, claims: dict[str, Any] | None = None, **header: Any) -> str:
    """An RS256 token signed by `key`; header entries set to None are left out."""
    headers = {"kid": key.kid, "cat": SESSION_CATEGORY, "typ": "JWT", **header}
    headers = {name: value for name, value in headers.items() if value is not None}
    token = jwt.encode(claims if claims is not None else session_claims(), key.private_key, "RS256", headers=headers)
    if "typ" not in headers:  # PyJWT adds typ by default; some cases need a header without it
        header_b64, rest = token.split(".", 1)
        decoded = json.loads(b64url_decode(header_b64))
        decoded.pop("typ", None)
        token = raw_token(decoded, rest.split(".")[0], rest.split(".")[1], key=key)
    return token


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def raw_token(
    header: dict[str, Any], payload_b64: str, signature_b64: str = "", *, key: SigningKey | None = None
) -> str:
    """Assemble a token by hand; with `key`, re-sign header + payload so only the header differs."""
    header_b64 = b64url(json.dumps(header, separators=(",", ":")).encode())
    if key is not None:
        signature = key.private_key.sign(f"{header_b64}.{payload_b64}".encode(), PKCS1v15(), SHA256())
        signature_b64 = b64url(signature)
    return f"{header_b64}.{payload_b64}.{signature_b64}"


def payload_segment(claims: dict[str, Any]) -> str:
    return b64url(json.dumps(claims, separators=(",", ":")).encode())
