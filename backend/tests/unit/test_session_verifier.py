"""The verifier on its own: time claims at the leeway edges, the verified-token cache, HS256."""

import hashlib
import hmac
import json

import pytest

from clerk.errors import TokenRejected, UnknownSigningKey
from clerk.keys import JwksKeySet, StaticKeySet
from clerk.tokens import TEMPLATE_CATEGORY, SessionVerifier
from testing.tokens import ISSUER, SigningKey, b64url, mint, payload_segment, session_claims

NOW = 1_900_000_000.0
HS_SECRET = b"a-custom-signing-key-of-at-least-32-bytes"


class Clock:
    def __init__(self, now: float = NOW) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def verifier(key: SigningKey, clock: Clock, **options: object) -> SessionVerifier:
    return SessionVerifier(
        keys=StaticKeySet(key.private_key.public_key()),
        issuer=ISSUER,
        clock=clock,
        **options,  # type: ignore[arg-type]
    )


def claims_at(now: float = NOW, **overrides: object) -> dict:
    base = {"iat": int(now), "nbf": int(now) - 10, "exp": int(now) + 60}
    return session_claims(**{**base, **overrides})


@pytest.mark.parametrize(
    ("seconds_after_exp", "accepted"),
    [(-1, True), (4.999, True), (5, False), (6, False)],
)
def test_expiry_is_honoured_with_five_seconds_of_leeway(
    signing_key: SigningKey, seconds_after_exp: float, accepted: bool
) -> None:
    token = mint(signing_key, claims_at())
    clock = Clock(NOW + 60 + seconds_after_exp)
    if accepted:
        assert verifier(signing_key, clock).verify(token).user_id == "user_test"
    else:
        with pytest.raises(TokenRejected, match="token expired"):
            verifier(signing_key, clock).verify(token)


@pytest.mark.parametrize(("seconds_early", "accepted"), [(5, True), (5.001, False)])
def test_not_before_is_honoured_with_leeway(signing_key: SigningKey, seconds_early: float, accepted: bool) -> None:
    token = mint(signing_key, claims_at(nbf=int(NOW) + 100, iat=int(NOW) + 100, exp=int(NOW) + 160))
    clock = Clock(NOW + 100 - seconds_early)
    if accepted:
        verifier(signing_key, clock).verify(token)
    else:
        with pytest.raises(TokenRejected, match="not yet valid"):
            verifier(signing_key, clock).verify(token)


def test_issued_in_the_future_beyond_leeway_is_rejected(signing_key: SigningKey) -> None:
    token = mint(signing_key, claims_at(iat=int(NOW) + 30, nbf=None))
    with pytest.raises(TokenRejected, match="issued in the future"):
        verifier(signing_key, Clock()).verify(token)


def test_leeway_is_configurable(signing_key: SigningKey) -> None:
    token = mint(signing_key, claims_at())
    strict = verifier(signing_key, Clock(NOW + 61), leeway=0)
    lenient = verifier(signing_key, Clock(NOW + 61), leeway=30)
    with pytest.raises(TokenRejected, match="expired"):
        strict.verify(token)
    assert lenient.verify(token).session_id == "sess_test"


def test_a_cached_token_still_expires(signing_key: SigningKey) -> None:
    clock = Clock()
    subject = verifier(signing_key, clock)
    token = mint(signing_key, claims_at())
    assert subject.verify(token).user_id == "user_test"
    clock.now = NOW + 65
    with pytest.raises(TokenRejected, match="token expired"):
        subject.verify(token)


def test_a_cached_token_is_not_valid_before_its_nbf(signing_key: SigningKey) -> None:
    clock = Clock(NOW + 100)
    subject = verifier(signing_key, clock)
    token = mint(signing_key, claims_at(nbf=int(NOW) + 100, iat=int(NOW) + 100, exp=int(NOW) + 160))
    subject.verify(token)
    clock.now = NOW + 90  # the clock stepped back: the cached entry must not answer
    with pytest.raises(TokenRejected, match="not yet valid"):
        subject.verify(token)


def test_a_forged_token_never_enters_or_hits_the_cache(signing_key: SigningKey, other_key: SigningKey) -> None:
    subject = verifier(signing_key, Clock())
    genuine = mint(signing_key, claims_at())
    subject.verify(genuine)
    header, payload, _ = genuine.split(".")
    forged_signature = mint(other_key, claims_at(), kid=signing_key.kid).split(".")[2]
    forged = f"{header}.{payload}.{forged_signature}"
    for _ in range(2):
        with pytest.raises(TokenRejected, match="invalid signature"):
            subject.verify(forged)
    assert forged not in subject._cache
    assert genuine in subject._cache


def test_the_cache_is_bounded(signing_key: SigningKey) -> None:
    subject = verifier(signing_key, Clock(), cache_size=20)
    for n in range(50):
        subject.verify(mint(signing_key, claims_at(sid=f"sess_{n}")))
        assert len(subject._cache) <= 20


def test_expired_entries_are_evicted_first(signing_key: SigningKey) -> None:
    clock = Clock()
    subject = verifier(signing_key, clock, cache_size=10)
    old = [mint(signing_key, claims_at(sid=f"old_{n}")) for n in range(9)]
    for token in old:
        subject.verify(token)
    clock.now = NOW + 3600
    fresh = [mint(signing_key, claims_at(now=clock.now, sid=f"new_{n}")) for n in range(3)]
    for token in fresh:
        subject.verify(token)
    assert set(subject._cache) == set(fresh)


def test_unknown_kid_is_reported_for_the_key_set_to_resolve(signing_key: SigningKey) -> None:
    subject = SessionVerifier(keys=JwksKeySet(lambda: {"keys": []}), issuer=ISSUER, clock=Clock())
    with pytest.raises(UnknownSigningKey) as error:
        subject.verify(mint(signing_key, claims_at()))
    assert error.value.kid == signing_key.kid
    assert error.value.reason == "unknown signing key"


def _hs256(claims: dict, secret: bytes, **header: object) -> str:
    header_b64 = b64url(json.dumps({"alg": "HS256", "typ": "JWT", **header}).encode())
    payload_b64 = payload_segment(claims)
    signature = hmac.new(secret, f"{header_b64}.{payload_b64}".encode(), hashlib.sha256).digest()
    return f"{header_b64}.{payload_b64}.{b64url(signature)}"


def test_hs256_is_accepted_only_with_the_configured_secret(signing_key: SigningKey) -> None:
    token = _hs256(claims_at(), HS_SECRET, cat=TEMPLATE_CATEGORY)
    with pytest.raises(TokenRejected, match="unsupported algorithm"):
        verifier(signing_key, Clock()).verify(token)
    assert verifier(signing_key, Clock(), hs256_secret=HS_SECRET).verify(token).user_id == "user_test"
    with pytest.raises(TokenRejected, match="invalid signature"):
        verifier(signing_key, Clock(), hs256_secret=b"another-secret-that-is-32-bytes-long!").verify(token)


def test_the_rsa_public_key_is_never_an_hmac_secret(signing_key: SigningKey) -> None:
    # The classic confusion attack: HMAC keyed with the public key the server trusts.
    token = _hs256(claims_at(), signing_key.public_pem.encode())
    for options in ({}, {"hs256_secret": HS_SECRET}):
        with pytest.raises(TokenRejected):
            verifier(signing_key, Clock(), **options).verify(token)


def test_a_far_future_exp_is_valid_but_trusted_from_the_cache_only_for_a_while() -> None:
    """exp = 1e308 must not mean "verified once, served for ever": after the cap, it is verified again."""
    key_a, key_b = SigningKey.generate("kid_a"), SigningKey.generate("kid_b")
    document = {"keys": [key_a.jwk]}
    clock = Clock()
    keys = JwksKeySet(lambda: document, clock=clock, min_fetch_interval=0)
    keys.refresh_for_kid_blocking("kid_a")
    checker = SessionVerifier(keys=keys, issuer=ISSUER, clock=clock, max_cache_seconds=300)
    token = mint(key_a, claims_at(exp=1e308))
    assert checker.verify(token).user_id == "user_test"

    document["keys"] = [key_b.jwk]  # key A is rotated out of the key set
    keys.refresh_for_kid_blocking("kid_b")
    clock.now += 299
    assert checker.verify(token).user_id == "user_test"  # still the cached verification
    clock.now += 2
    with pytest.raises(UnknownSigningKey):
        checker.verify(token)
