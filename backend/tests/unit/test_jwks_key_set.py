"""The JWKS lifecycle, against a real local HTTP server serving the key set."""

import asyncio
import itertools
import time

import pytest

from clerk.errors import SigningKeysUnavailable, TokenRejected
from clerk.keys import JwksKeySet, http_jwks_fetcher, parse_jwks
from clerk.tokens import SessionVerifier
from testing.fake_clerk import FakeClerk
from testing.tokens import ISSUER, SigningKey, jwks, mint, session_claims

JWKS_PATH = "/.well-known/jwks.json"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make(fake: FakeClerk, clock: Clock | None = None, **options: float) -> tuple[SessionVerifier, JwksKeySet]:
    keys = JwksKeySet(http_jwks_fetcher(fake.jwks_url, timeout=1.0), clock=clock or Clock(), **options)
    return SessionVerifier(keys=keys, issuer=ISSUER), keys


def verify(verifier: SessionVerifier, token: str) -> str:
    return asyncio.run(verifier.verify_async(token)).user_id


def test_keys_are_fetched_once_and_then_served_from_memory(fake_clerk: FakeClerk, signing_key: SigningKey) -> None:
    fake_clerk.state.jwks = jwks(signing_key)
    verifier, _ = make(fake_clerk)
    for n in range(5):
        assert verify(verifier, mint(signing_key, session_claims(sid=f"sess_{n}"))) == "user_test"
    assert fake_clerk.count(JWKS_PATH) == 1


def test_a_rotated_in_key_is_learned_with_one_refetch(
    fake_clerk: FakeClerk, signing_key: SigningKey, other_key: SigningKey
) -> None:
    clock = Clock()
    fake_clerk.state.jwks = jwks(signing_key)
    verifier, _ = make(fake_clerk, clock)
    verify(verifier, mint(signing_key))
    fake_clerk.state.jwks = jwks(signing_key, other_key)  # Clerk publishes the new key
    clock.now += 11
    assert verify(verifier, mint(other_key)) == "user_test"
    assert verify(verifier, mint(signing_key, session_claims(sid="sess_again"))) == "user_test"
    assert fake_clerk.count(JWKS_PATH) == 2


def test_an_outage_keeps_the_cached_keys_serving(fake_clerk: FakeClerk, signing_key: SigningKey) -> None:
    clock = Clock()
    fake_clerk.state.jwks = jwks(signing_key)
    verifier, keys = make(fake_clerk, clock, refresh_interval=60)
    verify(verifier, mint(signing_key))
    fake_clerk.state.jwks_status = 503
    clock.now += 3600  # long past the refresh interval: a background refresh fails
    assert verify(verifier, mint(signing_key, session_claims(sid="sess_2"))) == "user_test"
    keys._worker.submit(lambda: None).result()  # let the background refresh finish
    assert fake_clerk.count(JWKS_PATH) == 2
    assert verify(verifier, mint(signing_key, session_claims(sid="sess_3"))) == "user_test"


@pytest.mark.parametrize(
    "garbage",
    [b"<html>oops</html>", b'{"keys": "nope"}', b'{"keys": [{"kty": "RSA", "kid": "x", "n": "AA", "e": "AQAB"}]}'],
)
def test_garbage_keeps_the_cached_keys_serving(fake_clerk: FakeClerk, signing_key: SigningKey, garbage: bytes) -> None:
    clock = Clock()
    fake_clerk.state.jwks = jwks(signing_key)
    verifier, keys = make(fake_clerk, clock, refresh_interval=60)
    verify(verifier, mint(signing_key))
    fake_clerk.state.jwks_raw = garbage
    clock.now += 120
    verify(verifier, mint(signing_key, session_claims(sid="sess_2")))
    keys._worker.submit(lambda: None).result()
    assert fake_clerk.count(JWKS_PATH) == 2
    assert keys.key_for(signing_key.kid) is not None


def test_with_no_keys_at_all_verification_is_unavailable_not_an_error(
    fake_clerk: FakeClerk, signing_key: SigningKey
) -> None:
    fake_clerk.state.jwks_status = 500
    verifier, _ = make(fake_clerk)
    with pytest.raises(SigningKeysUnavailable):
        verify(verifier, mint(signing_key))


def test_a_flood_of_forged_kids_costs_a_handful_of_fetches_a_minute(
    fake_clerk: FakeClerk, signing_key: SigningKey, other_key: SigningKey
) -> None:
    clock = Clock()
    fake_clerk.state.jwks = jwks(signing_key)
    verifier, _ = make(fake_clerk, clock)
    verify(verifier, mint(signing_key))
    rejected = 0
    for second in range(60):  # one minute of attack, 20 forged kids a second
        clock.now += 1
        for n in range(20):
            try:
                verify(verifier, mint(other_key, kid=f"forged_{second}_{n}"))
            except TokenRejected:
                rejected += 1
    assert rejected == 1200
    fetches = fake_clerk.count(JWKS_PATH) - 1
    assert 1 <= fetches <= 6


def test_the_same_unknown_kid_is_remembered(
    fake_clerk: FakeClerk, signing_key: SigningKey, other_key: SigningKey
) -> None:
    clock = Clock()
    fake_clerk.state.jwks = jwks(signing_key)
    verifier, _ = make(fake_clerk, clock, min_fetch_interval=0)
    verify(verifier, mint(signing_key))
    for _ in range(10):
        clock.now += 1
        with pytest.raises(TokenRejected, match="unknown signing key"):
            verify(verifier, mint(other_key, kid="forged"))
    assert fake_clerk.count(JWKS_PATH) == 2


def test_concurrent_requests_for_a_new_kid_share_one_fetch(fake_clerk: FakeClerk, signing_key: SigningKey) -> None:
    fake_clerk.state.jwks = jwks(signing_key)
    fake_clerk.state.jwks_delay = 0.3
    verifier, _ = make(fake_clerk)

    async def many() -> list[str]:
        tokens = [mint(signing_key, session_claims(sid=f"sess_{n}")) for n in range(30)]
        sessions = await asyncio.gather(*(verifier.verify_async(t) for t in tokens))
        return [s.session_id for s in sessions]

    assert len(asyncio.run(many())) == 30
    assert fake_clerk.count(JWKS_PATH) == 1


def test_a_slow_jwks_fetch_does_not_block_the_event_loop(fake_clerk: FakeClerk, signing_key: SigningKey) -> None:
    fake_clerk.state.jwks = jwks(signing_key)
    fake_clerk.state.jwks_delay = 0.5
    verifier, _ = make(fake_clerk)
    ticks: list[float] = []

    async def ticker() -> None:
        for _ in range(8):
            ticks.append(time.monotonic())
            await asyncio.sleep(0.05)

    async def scenario() -> None:
        await asyncio.gather(ticker(), verifier.verify_async(mint(signing_key)))

    asyncio.run(scenario())
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    assert max(gaps) < 0.25


def test_a_hanging_jwks_endpoint_times_out(fake_clerk: FakeClerk, signing_key: SigningKey) -> None:
    fake_clerk.state.jwks = jwks(signing_key)
    fake_clerk.state.jwks_delay = 3
    keys = JwksKeySet(http_jwks_fetcher(fake_clerk.jwks_url, timeout=0.3))
    verifier = SessionVerifier(keys=keys, issuer=ISSUER)
    started = time.monotonic()
    with pytest.raises(SigningKeysUnavailable):
        verify(verifier, mint(signing_key))
    assert time.monotonic() - started < 2


def test_parse_jwks_skips_keys_that_are_not_rs256_signing_keys(signing_key: SigningKey, other_key: SigningKey) -> None:
    document = {
        "keys": [
            signing_key.jwk,
            {**other_key.jwk, "use": "enc"},
            {**other_key.jwk, "kid": "hs", "alg": "HS256"},
            {"kty": "EC", "kid": "ec", "crv": "P-256", "x": "AA", "y": "AA"},
        ]
    }
    assert list(parse_jwks(document)) == [signing_key.kid]
