"""Wall time, SQL queries and peak memory of one benchmark stage, in the current process."""

import dataclasses
import time
import tracemalloc

import odoo.sql_db

_CLEAR_REFS = "/proc/self/clear_refs"
_STATUS = "/proc/self/status"


def _status_kb(key):
    try:
        with open(_STATUS, encoding="ascii") as status:
            for line in status:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def _reset_peak_rss():
    """Reset the kernel's high-water mark of this process's RSS (Linux >= 4.0); False if not possible."""
    try:
        with open(_CLEAR_REFS, "w", encoding="ascii") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


@dataclasses.dataclass
class Measure:
    """Filled by :func:`measured`; ``rows`` is set by the stage itself."""

    stage: str
    side: str
    status: str = "ok"
    seconds: float = 0.0
    queries: int = 0
    peak_rss_mb: float | None = None
    rss_growth_mb: float | None = None
    python_peak_mb: float | None = None
    rows: int | None = None
    rows_per_second: float | None = None
    note: str = ""

    def finish(self, seconds, queries, rss_before_kb, use_tracemalloc):
        self.seconds = round(seconds, 3)
        self.queries = queries
        peak = _status_kb("VmHWM")
        if peak is not None:
            self.peak_rss_mb = round(peak / 1024, 1)
            if rss_before_kb is not None:
                self.rss_growth_mb = round(max(peak - rss_before_kb, 0) / 1024, 1)
        if use_tracemalloc:
            self.python_peak_mb = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
            tracemalloc.stop()
        if self.rows is not None and seconds > 0:
            self.rows_per_second = round(self.rows / seconds, 1)


class measured:
    """Context manager measuring the block: ``with measured(m): ...``.

    The query count is Odoo's process-wide ``odoo.sql_db.sql_counter`` (every ``cursor.execute``).
    Peak memory is the process's resident set high-water mark, reset at the start of the stage
    (``/proc/self/clear_refs``): the worker's real footprint, C allocations and caches included;
    ``rss_growth_mb`` is that peak minus the RSS when the stage started. With
    ``use_tracemalloc`` the peak of Python allocations is reported too (slower: not for timings).
    """

    def __init__(self, measure, use_tracemalloc=False):
        self.measure = measure
        self.use_tracemalloc = use_tracemalloc

    def __enter__(self):
        _reset_peak_rss()
        self.rss_before = _status_kb("VmRSS")
        if self.use_tracemalloc:
            tracemalloc.start()
        self.queries = odoo.sql_db.sql_counter
        self.started = time.perf_counter()
        return self.measure

    def __exit__(self, exc_type, exc, tb):
        seconds = time.perf_counter() - self.started
        queries = odoo.sql_db.sql_counter - self.queries
        if exc is not None:
            self.measure.status = "error"
            self.measure.note = f"{exc_type.__name__}: {exc}"[:300]
        self.measure.finish(seconds, queries, self.rss_before, self.use_tracemalloc)
        return False
