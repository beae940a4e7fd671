"""Publishable keys: `pk_test_`/`pk_live_` + base64 of `<frontend-api-host>$`."""

import binascii
import re

from clerk.encoding import b64decode_unpadded
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
        decoded = b64decode_unpadded(encoded).decode("ascii")
    except (binascii.Error, UnicodeDecodeError):
        raise ClerkConfigError(variable, "is not base64 after its pk_ prefix") from None
    if not decoded.endswith("$"):
        raise ClerkConfigError(variable, "does not encode a Frontend API host ending in '$'")
    host = decoded[:-1].lower()
    if not _HOST.match(host):
        raise ClerkConfigError(variable, "does not encode a valid Frontend API host")
    return host
