import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from clerk.errors import ClerkConfigError
from clerk.pem import load_rsa_public_key
from testing.tokens import SigningKey


def _numbers(pem: str) -> tuple[int, int]:
    numbers = load_rsa_public_key(pem).public_numbers()
    return numbers.n, numbers.e


def test_real_newlines(signing_key: SigningKey) -> None:
    assert _numbers(signing_key.public_pem)[0] == signing_key.private_key.public_key().public_numbers().n


def test_literal_backslash_n_escapes_as_in_a_one_line_env_file(signing_key: SigningKey) -> None:
    one_line = signing_key.public_pem.strip().replace("\n", "\\n")
    assert "\n" not in one_line
    assert _numbers(one_line) == _numbers(signing_key.public_pem)


def test_without_the_begin_and_end_lines(signing_key: SigningKey) -> None:
    body = "".join(line for line in signing_key.public_pem.splitlines() if not line.startswith("-----"))
    assert _numbers(body) == _numbers(signing_key.public_pem)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "-----BEGIN PUBLIC KEY-----\nnot base64 at all\n-----END PUBLIC KEY-----",
        "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----",
    ],
)
def test_garbage_is_a_config_error_naming_the_variable(text: str) -> None:
    with pytest.raises(ClerkConfigError) as error:
        load_rsa_public_key(text)
    assert error.value.variable == "CLERK_JWT_KEY"


def test_a_non_rsa_key_is_refused() -> None:
    public_key = ec.generate_private_key(ec.SECP256R1()).public_key()
    pem = public_key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode()
    with pytest.raises(ClerkConfigError, match="RSA"):
        load_rsa_public_key(pem)


def test_a_short_rsa_key_is_refused() -> None:
    weak = SigningKey.generate("weak", bits=1024)
    with pytest.raises(ClerkConfigError, match="2048"):
        load_rsa_public_key(weak.public_pem)
