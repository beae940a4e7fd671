"""`make bench`: performance figures measured side by side in one run (medians and ratios)."""
