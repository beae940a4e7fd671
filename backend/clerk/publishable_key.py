"""Publishable keys: `pk_test_`/`pk_live_` + base64 of `<frontend-api-host>$`."""

import base64
import binascii
import re

from clerk.errors import ClerkConfigError

_PREFIXES = ("pk_test_", "pk_live_")
# A DNS name, optionally with a port for local Clerk proxies; no scheme, no path.
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+(?::\d{1,5})?$")


def frontend_api_host(publishable_key: str, *, variable: str = "NEXT_PUBLIC_CLERK_PUBLISHABLE_KEY") -> str:
    """Return the Frontend API host encoded in a publishable key, or raise naming `variable`."""
    key = publishable_key.strip()
    prefix = next((p for p in _PREFIXES if key.startswith(p)), None)
    if prefix is None:
        raise ClerkConfigError(variable, "must start with pk_test_ or pk_live_")
    encoded = key[len(prefix) :]
    try:
        decoded = base64.b64decode(encoded + "=" * (-len(encoded) % 4), validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        raise ClerkConfigError(variable, "is not base64 after its pk_ prefix") from None
    if not decoded.endswith("$"):
        raise ClerkConfigError(variable, "does not encode a Frontend API host ending in '$'")
    host = decoded[:-1].lower()
    if not _HOST.match(host):
        raise ClerkConfigError(variable, "does not encode a valid Frontend API host")
    return host


def make_publishable_key(host: str, *, live: bool = True) -> str:
    """Encode a publishable key for `host` (used by tests and local tooling)."""
    prefix = "pk_live_" if live else "pk_test_"
    return prefix + base64.b64encode(f"{host}$".encode("ascii")).decode("ascii")
