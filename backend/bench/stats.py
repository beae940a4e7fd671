import statistics
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Measured:
    name: str
    rounds: list[float]  # operations per second, one value per round

    @property
    def median(self) -> float:
        return statistics.median(self.rounds)


def rate(operation: Callable[[], int], *, min_seconds: float) -> float:
    """Operations per second of `operation`, which runs a batch and returns its size; repeated for min_seconds."""
    import time

    done, started = 0, time.perf_counter()
    while True:
        done += operation()
        elapsed = time.perf_counter() - started
        if elapsed >= min_seconds:
            return done / elapsed


def table(rows: list[tuple[str, ...]], headers: tuple[str, ...]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    line = "  ".join("{:<" + str(w) + "}" for w in widths)
    return "\n".join([line.format(*headers), line.format(*("-" * w for w in widths))] + [line.format(*r) for r in rows])
