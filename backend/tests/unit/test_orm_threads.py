"""How many threads run the API's ORM work: a few, and never more than there are pooled connections."""

import pytest

from api.db import MAX_ORM_THREADS, orm_threads


@pytest.mark.parametrize(("max_size", "threads"), [(10, MAX_ORM_THREADS), (MAX_ORM_THREADS, MAX_ORM_THREADS), (3, 3)])
def test_the_threads_are_capped_and_never_outnumber_the_pooled_connections(max_size: int, threads: int) -> None:
    assert orm_threads({"min_size": 1, "max_size": max_size}) == threads


@pytest.mark.parametrize("pool", [None, True, {"min_size": 2}])
def test_without_a_pool_size_the_cap_alone_decides(pool: object) -> None:
    assert orm_threads(pool) == MAX_ORM_THREADS
