"""Base64 as Clerk writes it: without `=` padding (JWT segments, publishable keys, whsec_ secrets)."""

import base64


def b64decode_unpadded(text: str, *, urlsafe: bool = False) -> bytes:
    """Decode strictly (characters outside the alphabet are an error, not skipped).

    Raises binascii.Error (a ValueError) on anything that is not such base64.
    """
    padded = text + "=" * (-len(text) % 4)
    return base64.b64decode(padded, altchars=b"-_" if urlsafe else None, validate=True)
