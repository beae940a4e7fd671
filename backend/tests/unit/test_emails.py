"""The normal form of an address: ASCII letter case and surrounding space, nothing else."""

from hypothesis import given
from hypothesis import strategies as st

from clerk.emails import normalize_email


def test_ascii_letters_are_lowered_and_space_trimmed() -> None:
    assert normalize_email("  Alice.Smith+Tag@Example.COM ") == "alice.smith+tag@example.com"


@given(st.text())
def test_no_character_outside_ascii_is_ever_changed(address: str) -> None:
    """So no look-alike from another script (or Unicode's own folding) can land on an ASCII address."""
    normal = normalize_email(address)
    assert [c for c in normal if not c.isascii()] == [c for c in address.strip() if not c.isascii()]
    assert normal == normalize_email(normal)


@given(st.text(), st.text())
def test_two_addresses_share_a_normal_form_only_when_they_differ_in_ascii_case(a: str, b: str) -> None:
    if normalize_email(a) == normalize_email(b):
        assert a.strip().lower() == b.strip().lower() or a.strip().casefold() == b.strip().casefold()
        assert len(a.strip()) == len(b.strip())
