import base64

import pytest

from clerk.errors import ClerkConfigError
from clerk.publishable_key import frontend_api_host
from testing.tokens import make_publishable_key


@pytest.mark.parametrize("prefix", ["pk_test_", "pk_live_"])
def test_the_host_is_decoded_from_either_kind_of_key(prefix: str) -> None:
    key = prefix + base64.b64encode(b"clerk.example.com$").decode()
    assert frontend_api_host(key) == "clerk.example.com"


def test_a_development_host_with_unpadded_base64_is_accepted() -> None:
    encoded = base64.b64encode(b"eager-cat-12.clerk.accounts.dev$").decode().rstrip("=")
    assert frontend_api_host("pk_test_" + encoded) == "eager-cat-12.clerk.accounts.dev"


def test_make_publishable_key_round_trips() -> None:
    assert frontend_api_host(make_publishable_key("clerk.example.test")) == "clerk.example.test"


@pytest.mark.parametrize(
    ("key", "problem"),
    [
        ("sk_test_abc", "must start with pk_test_ or pk_live_"),
        ("pk_test_!!!notbase64", "is not base64"),
        ("pk_live_" + base64.b64encode(b"clerk.example.com").decode(), "ending in '$'"),
        ("pk_live_" + base64.b64encode(b"https://evil/path$").decode(), "valid Frontend API host"),
        ("pk_live_" + base64.b64encode(b"localhost$").decode(), "valid Frontend API host"),
    ],
)
def test_malformed_keys_name_the_variable(key: str, problem: str) -> None:
    with pytest.raises(ClerkConfigError) as error:
        frontend_api_host(key)
    assert error.value.variable == "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY"
    assert problem in str(error.value)
