"""Which scenario step runs for an invoice today: pure functions used by the daily run."""

import datetime


def due_steps(due_date, steps, done_step_ids, today):
    """Split the steps of a scenario into the one to run today and those to skip.

    :param due_date: the invoice's due date
    :param steps: ``[(step_id, offset_days)]`` ordered from the first step to the last
    :param done_step_ids: steps the invoice already went through (run or skipped)
    :param today: the day of the run
    :returns: ``(step_id to run or None, [step_ids recorded as skipped])``; when several steps
        are due at once only the most advanced runs, so a customer never gets a burst of
        reminders after a pause or on the first run over old invoices

    >>> steps = [(1, -5), (2, 0), (3, 15)]
    >>> due_steps(datetime.date(2026, 3, 1), steps, set(), datetime.date(2026, 3, 20))
    (3, [1, 2])
    >>> due_steps(datetime.date(2026, 3, 1), steps, {1}, datetime.date(2026, 3, 1))
    (2, [])
    >>> due_steps(datetime.date(2026, 3, 1), steps, {1, 2}, datetime.date(2026, 3, 10))
    (None, [])
    """
    pending = [
        step_id for step_id, offset in steps
        if step_id not in done_step_ids and due_date + datetime.timedelta(days=offset) <= today
    ]
    if not pending:
        return None, []
    return pending[-1], pending[:-1]
