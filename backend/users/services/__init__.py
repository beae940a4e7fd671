"""Writes: every change to users, organizations and memberships goes through these modules."""
