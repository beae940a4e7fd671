"""How many examples a Hypothesis property runs, under the profile pytest loaded (tests/conftest.py)."""

from hypothesis import settings


def property_examples(full: int) -> int:
    """For a property that asks for `full` examples: all of them under Hypothesis's own profiles
    (`make test`), in proportion to the loaded profile's max_examples otherwise (a tenth under
    "quick", `make check`), and never none."""
    return max(1, full * settings.default.max_examples // settings.get_profile("default").max_examples)
