"""When to try again an action that failed for a passing reason (mail server, SMS gateway, PDF engine).

Pure functions: the engine asks them whether and when to retry; nothing here touches the database.
"""

import datetime

MAX_ATTEMPTS = 4
BASE_DELAY_MINUTES = 30
FACTOR = 4


def retry_delay(attempt, base_minutes=BASE_DELAY_MINUTES, factor=FACTOR):
    """Wait before the next try after ``attempt`` failed tries: exponential backoff.

    >>> [retry_delay(n) for n in (1, 2, 3)]
    [datetime.timedelta(seconds=1800), datetime.timedelta(seconds=7200), datetime.timedelta(seconds=28800)]
    >>> retry_delay(0)
    Traceback (most recent call last):
    ...
    ValueError: attempt must be at least 1
    """
    if attempt < 1:
        raise ValueError("attempt must be at least 1")
    return datetime.timedelta(minutes=base_minutes * factor ** (attempt - 1))


def next_retry(attempt, now, transient, max_attempts=MAX_ATTEMPTS):
    """The moment of the next automatic try, or ``None`` when a person must look at it.

    :param attempt: tries made so far, the failed one included
    :param now: the moment of the failure
    :param transient: whether the cause may go away by itself (server down, timeout, lock)

    >>> now = datetime.datetime(2026, 3, 2, 10, 0)
    >>> next_retry(1, now, transient=True)
    datetime.datetime(2026, 3, 2, 10, 30)
    >>> next_retry(3, now, transient=True)
    datetime.datetime(2026, 3, 2, 18, 0)
    >>> next_retry(4, now, transient=True) is None
    True
    >>> next_retry(1, now, transient=False) is None
    True
    """
    if not transient or attempt >= max_attempts:
        return None
    return now + retry_delay(attempt)
