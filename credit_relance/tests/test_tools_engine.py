import datetime
import doctest

from odoo.tests import BaseCase

from ..tools import business_hours as bh
from ..tools import phone, planning

D = datetime.date
DT = datetime.datetime
CALLS = [(9, 12), (14, 18)]


class TestToolsPhone(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(phone)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_national_numbers_use_the_customer_country(self):
        self.assertEqual(phone.to_e164("06.12.34.56.78", "fr"), "+33612345678")
        self.assertEqual(phone.to_e164("0470 12 34 56", "BE"), "+32470123456")
        self.assertEqual(phone.to_e164("+33 6 12 34 56 78", "BE"), "+33612345678")

    def test_errors_carry_their_reason(self):
        for number, country, reason in [(False, "FR", "missing"), ("  ", "FR", "missing"),
                                        ("abc", None, "unparsable"), ("0612345678", None, "unparsable"),
                                        ("12", "FR", "invalid"), ("+33 1 23", None, "invalid")]:
            with self.assertRaises(phone.InvalidPhoneError) as caught:
                phone.to_e164(number, country)
            self.assertEqual(caught.exception.reason, reason, number)


class TestToolsBusinessHours(BaseCase):
    def test_doctests(self):
        result = doctest.testmod(bh)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_inside_a_window_is_now(self):
        moment = DT(2026, 3, 3, 10, 30)  # Tuesday
        self.assertTrue(bh.is_allowed(moment, CALLS))
        self.assertEqual(bh.next_slot(moment, CALLS), moment)

    def test_end_of_window_is_excluded(self):
        self.assertEqual(bh.next_slot(DT(2026, 3, 3, 18, 0), CALLS), DT(2026, 3, 4, 9, 0))

    def test_weekend_and_holiday_go_to_next_working_day(self):
        saturday = DT(2026, 3, 7, 10, 0)
        self.assertEqual(bh.next_slot(saturday, [(8, 20)]), DT(2026, 3, 9, 8, 0))
        holidays = {D(2026, 3, 9)}
        self.assertEqual(bh.next_slot(saturday, [(8, 20)], holidays), DT(2026, 3, 10, 8, 0))

    def test_custom_working_days_and_no_slot(self):
        self.assertEqual(bh.next_slot(DT(2026, 3, 7, 10, 0), [(8, 20)], workdays=(5,)), DT(2026, 3, 7, 10, 0))
        self.assertIsNone(bh.next_slot(DT(2026, 3, 7, 10, 0), [(8, 20)], workdays=(), horizon_days=10))

    def test_float_hours(self):
        self.assertEqual(bh.float_to_time(24), datetime.time.max)
        self.assertEqual(bh.next_slot(DT(2026, 3, 3, 7, 0), [(8.5, 20)]), DT(2026, 3, 3, 8, 30))


class TestToolsPlanning(BaseCase):
    STEPS = [(1, -3), (2, 5), (3, 15), (4, 30)]

    def test_doctests(self):
        result = doctest.testmod(planning)
        self.assertGreater(result.attempted, 0)
        self.assertEqual(result.failed, 0)

    def test_each_step_on_its_day(self):
        due = D(2026, 3, 2)
        self.assertEqual(planning.due_steps(due, self.STEPS, set(), D(2026, 2, 26)), (None, []))
        self.assertEqual(planning.due_steps(due, self.STEPS, set(), D(2026, 2, 27)), (1, []))
        self.assertEqual(planning.due_steps(due, self.STEPS, {1}, D(2026, 3, 6)), (None, []))
        self.assertEqual(planning.due_steps(due, self.STEPS, {1}, D(2026, 3, 7)), (2, []))

    def test_after_a_pause_only_the_most_advanced_runs(self):
        self.assertEqual(planning.due_steps(D(2026, 3, 2), self.STEPS, {1}, D(2026, 4, 10)), (4, [2, 3]))

    def test_everything_done(self):
        self.assertEqual(planning.due_steps(D(2026, 3, 2), self.STEPS, {1, 2, 3, 4}, D(2026, 9, 1)), (None, []))
        # the last step run stands for the ones it passed over
        self.assertEqual(planning.due_steps(D(2026, 3, 2), self.STEPS, {4}, D(2026, 9, 1)), (None, []))

    def test_steps_before_the_progress_never_run(self):
        due = D(2026, 3, 2)
        # step 3 ran (steps 1 and 2 passed over): on step 2's and step 3's days nothing runs
        self.assertEqual(planning.due_steps(due, self.STEPS, {3}, D(2026, 3, 20)), (None, []))
        self.assertEqual(planning.due_steps(due, self.STEPS, {3}, D(2026, 4, 1)), (4, []))
        # a step added to the scenario before the invoice's progress is passed over too
        added = [(1, -3), (5, 3), (2, 5), (3, 15), (4, 30)]
        self.assertEqual(planning.remaining_steps(added, {2}), [(3, 15), (4, 30)])
        self.assertEqual(planning.due_steps(due, added, {2}, D(2026, 3, 8)), (None, []))
        # steps of another scenario say nothing of this one's progress
        self.assertEqual(planning.remaining_steps(self.STEPS, {99}), self.STEPS)

    def test_next_step_is_the_one_the_run_takes_next(self):
        due = D(2026, 3, 2)
        # the first step not run, on its own date
        self.assertEqual(planning.next_step(due, self.STEPS, set(), D(2026, 2, 20)), (1, D(2026, 2, 27)))
        self.assertEqual(planning.next_step(due, self.STEPS, {1}, D(2026, 2, 27)), (2, D(2026, 3, 7)))
        # a step already run is passed over, a step due and not run yet is taken today
        self.assertEqual(planning.next_step(due, self.STEPS, {1, 2, 3}, D(2026, 3, 20)), (4, D(2026, 4, 1)))
        self.assertEqual(planning.next_step(due, self.STEPS, {1}, D(2026, 3, 10)), (2, D(2026, 3, 10)))
        # a step passed over is not taken again: after step 3, step 4 on its own date
        self.assertEqual(planning.next_step(due, self.STEPS, {3}, D(2026, 3, 20)), (4, D(2026, 4, 1)))
        # what the run would take each day agrees with the projection
        for today in (D(2026, 2, 20), D(2026, 3, 1), D(2026, 3, 10)):
            step_id, date = planning.next_step(due, self.STEPS, {1}, today)
            self.assertEqual(planning.due_steps(due, self.STEPS, {1}, date)[0], step_id)
            if date > today:  # and nothing runs before that day
                self.assertIsNone(planning.due_steps(due, self.STEPS, {1}, date - datetime.timedelta(days=1))[0])

    def test_next_step_after_a_pause(self):
        due = D(2026, 3, 2)
        # paused until April 10: steps 2 and 3 fall due during the pause, the run takes step 3 on the 10th
        self.assertEqual(planning.next_step(due, self.STEPS, {1}, D(2026, 3, 5), resume=D(2026, 4, 10)),
                         (4, D(2026, 4, 10)))
        self.assertEqual(planning.next_step(due, self.STEPS, {1}, D(2026, 3, 5), resume=D(2026, 3, 12)),
                         (2, D(2026, 3, 12)))
        # a pause already over changes nothing
        self.assertEqual(planning.next_step(due, self.STEPS, {1}, D(2026, 3, 5), resume=D(2026, 3, 1)),
                         (2, D(2026, 3, 7)))

    def test_next_step_when_all_ran(self):
        self.assertEqual(planning.next_step(D(2026, 3, 2), self.STEPS, {1, 2, 3, 4}, D(2026, 3, 5)), (None, None))
        self.assertEqual(planning.next_step(D(2026, 3, 2), [], set(), D(2026, 3, 5)), (None, None))
