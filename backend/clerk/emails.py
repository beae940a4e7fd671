"""Email addresses as keys: one normal form, compared exactly.

Case-insensitive comparison is where look-alike addresses get in: Unicode case mapping
folds characters of other scripts onto ASCII (PostgreSQL's UPPER() on UTF-8 locales
turns the dotless `ı` into `I`; Python's lower() turns the Kelvin sign `K` into `k`), so
`alice@gmaıl.com`, a different and registrable domain, "equals" `alice@gmail.com`.
The normal form therefore lowers ASCII letters only and leaves every other code point
as it is (no Unicode normalization either: NFC alone maps the Kelvin sign to `K`).
Stored addresses are in this form and compared with plain, exact equality, so two
addresses match only when they are the same characters up to ASCII letter case.
"""

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def normalize_email(address: str) -> str:
    return address.strip().translate(_ASCII_LOWER)
