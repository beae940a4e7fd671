"""Projects: the worked example of a product's own data, owned by an organization.

Copy this app for your own tenant-scoped models: every read goes through `selectors`,
which take the organization; every write through `services`, which apply the rules.
"""
