"""GraphQL at /api/v1/graphql (Strawberry): the same dependencies, services and selectors as REST.

`context.py` signs the request in with the REST dependencies themselves; `types.py` builds
every object from the REST response shapes (so both answer the same data); `schema.py`
holds the queries and mutations; `errors.py` gives each error its `extensions.code`;
`router.py` mounts it with its limits.
"""
