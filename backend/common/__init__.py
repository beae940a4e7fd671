"""What every app's selectors share, whatever the app: pages of a list (pagination.py)."""
