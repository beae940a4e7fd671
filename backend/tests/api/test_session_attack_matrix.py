"""Every way a token can be wrong is refused with 401 (never 5xx), through config.asgi:application."""

import base64
import json
import logging
import time
from collections.abc import Callable
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from starlette.testclient import TestClient

from clerk.tokens import SESSION_CATEGORY, TEMPLATE_CATEGORY
from testing.tokens import (
    SigningKey,
    b64url,
    b64url_decode,
    mint,
    payload_segment,
    raw_token,
    session_claims,
)

ME = "/api/v1/auth/me/"
M2M_CATEGORY = "cl_B7d4PD333AAA"


def _header(key: SigningKey, **fields: Any) -> dict[str, Any]:
    return {"alg": "RS256", "kid": key.kid, "typ": "JWT", "cat": SESSION_CATEGORY, **fields}


def _with_header(key: SigningKey, **fields: Any) -> str:
    """A token correctly signed by `key` whose header carries `fields`."""
    return raw_token(_header(key, **fields), payload_segment(session_claims()), key=key)


def _tampered_payload(key: SigningKey) -> str:
    header, _, signature = mint(key).split(".")
    return f"{header}.{payload_segment(session_claims(sub='user_someone_else'))}.{signature}"


def _hs256_with_public_key(key: SigningKey) -> str:
    header = b64url(json.dumps({"alg": "HS256", "typ": "JWT", "kid": key.kid}).encode())
    payload = payload_segment(session_claims())
    import hashlib
    import hmac

    signature = hmac.new(key.public_pem.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    return f"{header}.{payload}.{b64url(signature)}"


def _es256(key: SigningKey) -> str:
    private = ec.generate_private_key(ec.SECP256R1())
    return jwt.encode(session_claims(), private, "ES256", headers={"kid": key.kid})


def _rs512(key: SigningKey) -> str:
    return jwt.encode(session_claims(), key.private_key, "RS512", headers={"kid": key.kid})


def _ps256(key: SigningKey) -> str:
    return jwt.encode(session_claims(), key.private_key, "PS256", headers={"kid": key.kid})


def _claims(**overrides: Any) -> Callable[[SigningKey], str]:
    """A token with these claims; a callable value is called when the token is minted (times
    relative to now: the suite may reach a case minutes after it was collected)."""
    return lambda key: mint(key, session_claims(**{k: v() if callable(v) else v for k, v in overrides.items()}))


def _now() -> int:
    return int(time.time())


def _without(name: str) -> Callable[[SigningKey], str]:
    return lambda key: mint(key, {k: v for k, v in session_claims().items() if k != name})


def _oversized(key: SigningKey) -> str:
    return mint(key, session_claims(padding="x" * 9000))


def _plus_slash_base64(key: SigningKey) -> str:
    header, payload, signature = mint(key).split(".")
    return f"{header}.{payload}.{signature.replace('-', '+').replace('_', '/')}+/"


def _exp_as_json_literal(literal: str) -> Callable[[SigningKey], str]:
    """A token whose `exp` is written as `literal` in the JSON text (json.dumps would not write 1e309)."""

    def make(key: SigningKey) -> str:
        payload = json.dumps(session_claims(exp="EXP")).replace('"EXP"', literal)
        return raw_token(_header(key), b64url(payload.encode()), key=key)

    return make


REJECTIONS: list[tuple[str, Callable[[SigningKey], str], str]] = [
    (
        "alg none",
        lambda k: raw_token({"alg": "none", "typ": "JWT"}, payload_segment(session_claims()), ""),
        "malformed-token",
    ),
    (
        "alg none with signature",
        lambda k: raw_token({"alg": "none"}, payload_segment(session_claims()), "c2ln"),
        "unsupported-token",
    ),
    ("HS256 keyed with the RSA public key", _hs256_with_public_key, "unsupported-token"),
    ("HS512", lambda k: jwt.encode(session_claims(), "s" * 64, "HS512"), "unsupported-token"),
    ("RS512", _rs512, "unsupported-token"),
    ("PS256", _ps256, "unsupported-token"),
    ("ES256", _es256, "unsupported-token"),
    (
        "alg missing",
        lambda k: raw_token({"typ": "JWT", "kid": k.kid}, payload_segment(session_claims()), key=k),
        "unsupported-token",
    ),
    ("payload tampered after signing", _tampered_payload, "invalid-signature"),
    ("signature stripped", lambda k: mint(k).rsplit(".", 1)[0] + ".", "malformed-token"),
    (
        "signature from another key",
        lambda k: raw_token(
            _header(k), payload_segment(session_claims()), mint(SigningKey.generate("x")).split(".")[2]
        ),
        "invalid-signature",
    ),
    (
        "expired",
        _claims(
            exp=lambda: int(time.time()) - 30, iat=lambda: int(time.time()) - 90, nbf=lambda: int(time.time()) - 100
        ),
        "token-expired",
    ),
    ("not yet valid", _claims(nbf=lambda: _now() + 120, iat=None), "token-not-yet-valid"),
    ("issued in the future", _claims(iat=lambda: _now() + 120, nbf=None), "token-not-yet-valid"),
    ("exp missing", _without("exp"), "malformed-token"),
    ("exp not a number", _claims(exp="tomorrow"), "malformed-token"),
    ("exp 1e309 (read as infinity)", _exp_as_json_literal("1e309"), "malformed-token"),
    ("exp 10**400 (overflows a float)", _exp_as_json_literal(str(10**400)), "malformed-token"),
    ("nbf 1e309", _claims(nbf=10**400), "malformed-token"),
    ("issuer of another instance", _claims(iss="https://clerk.other.example"), "invalid-issuer"),
    ("issuer missing", _without("iss"), "invalid-issuer"),
    ("authorized party not allowed", _claims(azp="https://evil.example"), "unauthorized-party"),
    ("authorized party as a list", _claims(azp=["http://localhost:3000"]), "malformed-token"),
    ("authorized party as an object", _claims(azp={"origin": "http://localhost:3000"}), "malformed-token"),
    ("subject missing", _without("sub"), "malformed-token"),
    ("subject empty", _claims(sub=""), "malformed-token"),
    ("subject longer than any Clerk id", _claims(sub="user_" + "x" * 60), "malformed-token"),
    ("subject with a look-alike character", _claims(sub="user_\u0131d"), "malformed-token"),
    ("subject not a string", _claims(sub=12345), "malformed-token"),
    ("session id missing", _without("sid"), "malformed-token"),
    ("session id with a control character", _claims(sid="sess_\n1"), "malformed-token"),
    (
        "organization id longer than any Clerk id",
        _claims(o={"id": "org_" + "x" * 80, "rol": "admin"}),
        "malformed-token",
    ),
    ("v1 organization id not a string", _claims(v=None, org_id=["org_1"]), "malformed-token"),
    ("pending session", _claims(sts="pending"), "session-not-active"),
    ("unknown session status", _claims(sts="revoked"), "session-not-active"),
    ("typ is not JWT", lambda k: _with_header(k, typ="dpop+jwt"), "unsupported-token"),
    ("OAuth access token (typ at+jwt)", lambda k: _with_header(k, typ="at+jwt"), "machine-token"),
    ("machine subject", _claims(sub="mch_2abcdef"), "machine-token"),
    ("opaque API key", lambda k: "ak_" + "x" * 40, "machine-token"),
    ("opaque M2M token", lambda k: "mt_" + "x" * 40, "machine-token"),
    ("opaque m2m token", lambda k: "m2m_" + "x" * 40, "machine-token"),
    ("opaque OAuth token", lambda k: "oat_" + "x" * 40, "machine-token"),
    ("act claim not an object", _claims(act="user_impersonator"), "malformed-token"),
    ("act claim without a subject", _claims(act={"sid": "sess_x"}), "malformed-token"),
    ("JWT template category", lambda k: _with_header(k, cat=TEMPLATE_CATEGORY), "unsupported-token"),
    ("machine token category", lambda k: _with_header(k, cat=M2M_CATEGORY), "machine-token"),
    ("unknown category", lambda k: _with_header(k, cat="cl_something_else"), "unsupported-token"),
    ("jku header", lambda k: _with_header(k, jku="https://evil.example/jwks.json"), "unsupported-token"),
    ("x5u header", lambda k: _with_header(k, x5u="https://evil.example/cert.pem"), "unsupported-token"),
    ("embedded jwk header", lambda k: _with_header(k, jwk=k.jwk), "unsupported-token"),
    ("x5c header", lambda k: _with_header(k, x5c=["MIIB"]), "unsupported-token"),
    ("crit header", lambda k: _with_header(k, crit=["exp"]), "unsupported-token"),
    ("oversized", _oversized, "malformed-token"),
    ("two segments", lambda k: ".".join(mint(k).split(".")[:2]), "malformed-token"),
    ("four segments", lambda k: mint(k) + ".extra", "malformed-token"),
    ("standard base64 alphabet", _plus_slash_base64, "malformed-token"),
    ("header is not JSON", lambda k: "bm90IGpzb24." + mint(k).split(".", 1)[1], "malformed-token"),
    ("header is a JSON array", lambda k: b64url(b"[1,2]") + "." + mint(k).split(".", 1)[1], "malformed-token"),
    ("payload is not an object", lambda k: raw_token(_header(k), b64url(b'"user_test"'), key=k), "malformed-token"),
    ("payload with NaN", lambda k: raw_token(_header(k), b64url(b'{"exp": NaN}'), key=k), "malformed-token"),
    ("non-ASCII token", lambda k: mint(k) + "é", "malformed-token"),
    ("kid not a string", lambda k: _with_header(k, kid=42), "malformed-token"),
]


@pytest.mark.parametrize(("make_token", "code"), [(m, c) for _, m, c in REJECTIONS], ids=[n for n, _, _ in REJECTIONS])
def test_rejected_tokens_get_401_with_a_short_reason(
    client_without_database: TestClient,
    signing_key: SigningKey,
    make_token: Callable[[SigningKey], str],
    code: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    token = make_token(signing_key)
    with caplog.at_level(logging.DEBUG):
        # latin-1, as HTTP carries header bytes: lets the non-ASCII case reach the server
        response = client_without_database.get(ME, headers={"Authorization": f"Bearer {token}".encode("latin-1")})
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == code
    assert set(body) == {"detail", "code"}
    assert token not in response.text
    assert all(token not in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize(
    ("authorization", "code"),
    [
        (None, "missing-token"),
        ("", "missing-token"),
        ("Basic dXNlcjpwYXNz", "not-a-bearer-token"),
        ("Bearer", "not-a-bearer-token"),
        ("Bearer    ", "not-a-bearer-token"),
    ],
)
def test_missing_or_non_bearer_credentials_get_401(
    client_without_database: TestClient, authorization: str | None, code: str
) -> None:
    headers = {"Authorization": authorization} if authorization is not None else {}
    response = client_without_database.get(ME, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["code"] == code


def test_a_token_in_a_cookie_or_query_string_is_not_read(
    client_without_database: TestClient, signing_key: SigningKey
) -> None:
    token = mint(signing_key)
    client_without_database.cookies.set("__session", token)
    assert client_without_database.get(ME).status_code == 401
    assert client_without_database.get(f"{ME}?token={token}").status_code == 401


def test_the_bearer_scheme_is_case_insensitive(client: TestClient, signing_key: SigningKey) -> None:
    response = client.get(ME, headers={"Authorization": f"bearer {mint(signing_key)}"})
    assert response.status_code == 200


def test_a_token_expired_within_the_leeway_is_accepted(client: TestClient, signing_key: SigningKey) -> None:
    now = int(time.time())
    token = mint(signing_key, session_claims(exp=now - 3, iat=now - 63, nbf=now - 73))
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_a_token_without_typ_and_cat_is_accepted(client: TestClient, signing_key: SigningKey) -> None:
    token = mint(signing_key, typ=None, cat=None)
    assert "typ" not in json.loads(b64url_decode(token.split(".")[0]))
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_the_ignored_category_is_accepted(client: TestClient, signing_key: SigningKey) -> None:
    token = _with_header(signing_key, cat="cl_I7d4PD111III")
    assert client.get(ME, headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_no_key_material_leaks_in_rejections(client_without_database: TestClient, signing_key: SigningKey) -> None:
    response = client_without_database.get(ME, headers={"Authorization": f"Bearer {_tampered_payload(signing_key)}"})
    modulus = base64.b64encode(signing_key.private_key.public_key().public_numbers().n.to_bytes(256, "big")).decode()
    assert modulus[:40] not in response.text
    assert "BEGIN" not in response.text


def test_a_token_without_azp_is_accepted_as_clerk_mints_it_for_a_top_level_navigation(
    client: TestClient, signing_key: SigningKey
) -> None:
    """Clerk's Frontend API sets `azp` from the minting request's Origin, which a document
    navigation (the handshake that refreshes an expired cookie) does not send. Such a token
    cannot be made from one that had an `azp`: removing the claim breaks the signature."""
    without_azp = mint(signing_key, {k: v for k, v in session_claims().items() if k != "azp"})
    assert client.get(ME, headers={"Authorization": f"Bearer {without_azp}"}).status_code == 200
    empty_azp = mint(signing_key, session_claims(azp=""))
    assert client.get(ME, headers={"Authorization": f"Bearer {empty_azp}"}).status_code == 200


def test_with_clerk_require_azp_a_token_without_azp_is_refused(
    client: TestClient,
    signing_key: SigningKey,
    clerk_env: dict[str, str],
    configure_clerk: Callable[[dict[str, str]], None],
) -> None:
    configure_clerk({**clerk_env, "CLERK_REQUIRE_AZP": "true"})
    without_azp = mint(signing_key, {k: v for k, v in session_claims().items() if k != "azp"})
    response = client.get(ME, headers={"Authorization": f"Bearer {without_azp}"})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized-party"
    # A listed azp still passes, and a foreign one is refused as always.
    assert client.get(ME, headers={"Authorization": f"Bearer {mint(signing_key)}"}).status_code == 200
    foreign = mint(signing_key, session_claims(azp="https://evil.example"))
    assert client.get(ME, headers={"Authorization": f"Bearer {foreign}"}).json()["code"] == "unauthorized-party"
