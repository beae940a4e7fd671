"""Zero config from the publishable key; overrides; start-up errors that name the variable."""

import pytest

from clerk.config import ClerkSettings, build_session_verifier
from clerk.errors import ClerkConfigError
from clerk.keys import JwksKeySet, StaticKeySet
from testing.tokens import SigningKey, make_publishable_key

PK = make_publishable_key("clerk.example.test")


def test_the_publishable_key_alone_gives_issuer_and_jwks_url() -> None:
    settings = ClerkSettings.from_env({"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": PK})
    assert settings.issuer == "https://clerk.example.test"
    assert settings.jwks_url == "https://clerk.example.test/.well-known/jwks.json"
    assert settings.leeway_seconds == 5.0
    verifier = build_session_verifier(settings)
    assert verifier is not None
    assert isinstance(verifier.keys, JwksKeySet)


def test_issuer_and_jwks_url_can_be_overridden() -> None:
    settings = ClerkSettings.from_env(
        {
            "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": PK,
            "CLERK_ISSUER": "https://clerk.custom.example/",
            "CLERK_JWKS_URL": "http://127.0.0.1:9/jwks",
        }
    )
    assert settings.issuer == "https://clerk.custom.example"
    assert settings.jwks_url == "http://127.0.0.1:9/jwks"


def test_the_pem_key_takes_precedence_and_needs_no_network(signing_key: SigningKey) -> None:
    settings = ClerkSettings.from_env(
        {"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": PK, "CLERK_JWT_KEY": signing_key.public_pem}
    )
    verifier = build_session_verifier(settings)
    assert verifier is not None
    assert isinstance(verifier.keys, StaticKeySet)


def test_without_any_clerk_variable_sessions_cannot_be_verified() -> None:
    settings = ClerkSettings.from_env({})
    assert not settings.can_verify_sessions
    assert build_session_verifier(settings) is None


def test_authorized_parties_are_normalised_origins() -> None:
    settings = ClerkSettings.from_env(
        {"CLERK_AUTHORIZED_PARTIES": "http://localhost:3000, https://app.example.com/ ,,"}
    )
    assert settings.authorized_parties == frozenset({"http://localhost:3000", "https://app.example.com"})


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY", "pk_live_%%%"),
        ("CLERK_JWT_KEY", "-----BEGIN PUBLIC KEY-----\nbroken\n-----END PUBLIC KEY-----"),
        ("CLERK_ISSUER", "clerk.example.test"),
        ("CLERK_JWKS_URL", "ftp://example.test/jwks"),
        ("CLERK_AUTHORIZED_PARTIES", "localhost:3000"),
        ("CLERK_AUTHORIZED_PARTIES", "https://app.example.com/dashboard"),
        ("CLERK_LEEWAY_SECONDS", "five"),
        ("CLERK_LEEWAY_SECONDS", "-1"),
        ("CLERK_JWT_HS256_SECRET", "too-short"),
        ("CLERK_WEBHOOK_SIGNING_SECRET", "not-a-whsec"),
        ("CLERK_API_URL", "api.clerk.com"),
        ("CLERK_REQUIRE_AZP", "maybe"),
    ],
)
def test_malformed_values_are_start_up_errors_naming_the_variable(variable: str, value: str) -> None:
    with pytest.raises(ClerkConfigError) as error:
        ClerkSettings.from_env({"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": PK, variable: value})
    assert error.value.variable == variable
    assert variable in str(error.value)
    assert value not in str(error.value) or variable == "CLERK_AUTHORIZED_PARTIES"  # secrets are never echoed


@pytest.mark.parametrize(("value", "required"), [(None, False), ("true", True), ("1", True), ("false", False)])
def test_tokens_without_azp_are_refused_only_when_asked(value: str | None, required: bool) -> None:
    env = {"NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY": PK, **({"CLERK_REQUIRE_AZP": value} if value else {})}
    assert ClerkSettings.from_env(env).require_authorized_party is required


def test_several_webhook_secrets_are_accepted_while_rotating() -> None:
    secrets = ("whsec_" + "A" * 32, "whsec_" + "B" * 32)
    settings = ClerkSettings.from_env({"CLERK_WEBHOOK_SIGNING_SECRET": f" {secrets[0]} ,{secrets[1]},"})
    assert settings.webhook_signing_secrets == secrets
    with pytest.raises(ClerkConfigError, match="CLERK_WEBHOOK_SIGNING_SECRET"):
        ClerkSettings.from_env({"CLERK_WEBHOOK_SIGNING_SECRET": f"{secrets[0]},not-a-secret"})
