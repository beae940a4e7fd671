"""How many examples a Hypothesis property runs, under the profile pytest loaded (tests/conftest.py)."""

from hypothesis import settings


def property_examples(full: int) -> int:
    """`full` under Hypothesis's own profiles (`make test`); as many tenths of it as the loaded
    profile runs of the default's 100 examples under "quick" (`make check`), never none."""
    return max(1, full * settings.default.max_examples // settings.get_profile("default").max_examples)
