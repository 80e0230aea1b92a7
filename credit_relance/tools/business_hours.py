"""Working days and hours for SMS and calls, on naive local datetimes (no ORM, no time zones).

A *window* is a pair of hours as floats, ``(8.0, 20.0)`` or ``(14.0, 18.5)``, start included and
end excluded. A moment is allowed when it falls on a working day (weekday in ``workdays``, date
not in ``holidays``) inside one of the windows.
"""

import datetime

WEEKDAYS = (0, 1, 2, 3, 4)


def float_to_time(hours):
    """``14.5`` -> ``datetime.time(14, 30)``; ``24.0`` is the end of the day.

    >>> float_to_time(9.25)
    datetime.time(9, 15)
    """
    if hours >= 24:
        return datetime.time.max
    minutes = round(hours * 60)
    return datetime.time(minutes // 60, minutes % 60)


def is_working_day(day, holidays=(), workdays=WEEKDAYS):
    """A weekday listed in ``workdays`` (Monday = 0) that is not a holiday.

    >>> is_working_day(datetime.date(2026, 5, 1), holidays={datetime.date(2026, 5, 1)})
    False
    """
    return day.weekday() in workdays and day not in holidays


def is_allowed(moment, windows, holidays=(), workdays=WEEKDAYS):
    """Whether ``moment`` is on a working day inside one of ``windows``.

    >>> is_allowed(datetime.datetime(2026, 3, 2, 12, 30), [(9, 12), (14, 18)])
    False
    """
    if not is_working_day(moment.date(), holidays, workdays):
        return False
    now = moment.time()
    return any(float_to_time(start) <= now < float_to_time(end) for start, end in windows)


def next_slot(moment, windows, holidays=(), workdays=WEEKDAYS, horizon_days=366):
    """The first allowed moment at or after ``moment``, or ``None`` within ``horizon_days``.

    >>> next_slot(datetime.datetime(2026, 3, 6, 19, 0), [(9, 12), (14, 18)])  # a Friday evening
    datetime.datetime(2026, 3, 9, 9, 0)
    >>> next_slot(datetime.datetime(2026, 3, 2, 12, 30), [(9, 12), (14, 18)])
    datetime.datetime(2026, 3, 2, 14, 0)
    """
    if is_allowed(moment, windows, holidays, workdays):
        return moment
    ordered = sorted(windows)
    for offset in range(horizon_days + 1):
        day = moment.date() + datetime.timedelta(days=offset)
        if not is_working_day(day, holidays, workdays):
            continue
        for start, end in ordered:
            begin = datetime.datetime.combine(day, float_to_time(start))
            finish = datetime.datetime.combine(day, float_to_time(end))
            if offset == 0 and moment >= finish:
                continue
            return max(begin, moment)
    return None
