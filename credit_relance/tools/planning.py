"""Which scenario step runs for an invoice today: pure functions used by the daily run."""

import datetime


def due_steps(due_date, steps, done_step_ids, today):
    """Split the steps of a scenario into the one to run today and those passed over.

    A step counts as done once the invoice went through it or through a more advanced one:
    the invoice's progress is its most advanced step run, and no earlier step ever runs after
    it, even one added to the scenario later.

    :param due_date: the invoice's due date
    :param steps: ``[(step_id, offset_days)]`` ordered from the first step to the last
    :param done_step_ids: steps the invoice already went through
    :param today: the day of the run
    :returns: ``(step_id to run or None, [step_ids passed over])``; when several steps are due
        at once only the most advanced runs, so a customer never gets a burst of reminders
        after a pause or on the first run over old invoices; the steps passed over are not
        recorded, the step run stands for them

    >>> steps = [(1, -5), (2, 0), (3, 15)]
    >>> due_steps(datetime.date(2026, 3, 1), steps, set(), datetime.date(2026, 3, 20))
    (3, [1, 2])
    >>> due_steps(datetime.date(2026, 3, 1), steps, {1}, datetime.date(2026, 3, 1))
    (2, [])
    >>> due_steps(datetime.date(2026, 3, 1), steps, {2}, datetime.date(2026, 3, 10))
    (None, [])
    """
    pending = [
        step_id for step_id, offset in remaining_steps(steps, done_step_ids)
        if due_date + datetime.timedelta(days=offset) <= today
    ]
    if not pending:
        return None, []
    return pending[-1], pending[:-1]


def remaining_steps(steps, done_step_ids):
    """The steps after the most advanced one in ``done_step_ids``, in order.

    >>> remaining_steps([(1, -5), (2, 0), (3, 15)], {2})
    [(3, 15)]
    >>> remaining_steps([(1, -5), (2, 0), (3, 15)], {99})
    [(1, -5), (2, 0), (3, 15)]
    """
    last_done = max((index for index, (step_id, _offset) in enumerate(steps) if step_id in done_step_ids),
                    default=-1)
    return steps[last_done + 1:]


def next_step(due_date, steps, done_step_ids, today, resume=None):
    """The step the daily run takes next for an invoice, and the day it takes it.

    The projection follows :func:`due_steps`: on the first day the invoice may be dunned
    (``today``, or the end of its pause), the steps already due and not run yet are taken at
    once, the most advanced one running; when none is due, the next step is the first one not
    run yet, on its own date.

    :param due_date: the invoice's due date
    :param steps: ``[(step_id, offset_days)]`` ordered from the first step to the last
    :param done_step_ids: steps the invoice already went through
    :param today: the day of the projection
    :param resume: the first day the invoice may be dunned again (end of a pause), or None
    :returns: ``(step_id, date)``, or ``(None, None)`` when every step has run

    >>> steps = [(1, -5), (2, 0), (3, 15)]
    >>> d = datetime.date
    >>> next_step(d(2026, 3, 1), steps, {1}, d(2026, 2, 26))
    (2, datetime.date(2026, 3, 1))
    >>> next_step(d(2026, 3, 1), steps, set(), d(2026, 3, 5))  # due now: the most advanced, today
    (2, datetime.date(2026, 3, 5))
    >>> next_step(d(2026, 3, 1), steps, {1, 2}, d(2026, 3, 5), resume=d(2026, 3, 20))
    (3, datetime.date(2026, 3, 20))
    >>> next_step(d(2026, 3, 1), steps, {3}, d(2026, 3, 5))
    (None, None)
    """
    start = max(today, resume) if resume else today
    run_id, _skipped = due_steps(due_date, steps, done_step_ids, start)
    if run_id is not None:
        return run_id, start
    for step_id, offset in remaining_steps(steps, done_step_ids):
        return step_id, due_date + datetime.timedelta(days=offset)
    return None, None
