import datetime

from freezegun import freeze_time

from odoo.tests import tagged

from odoo.addons.credit_relance.tests.common_engine import CreditRelanceEngineCommon

D = datetime.date


@tagged("post_install", "-at_install")
class TestDisputePausesDunning(CreditRelanceEngineCommon):
    """A dispute pauses the daily run on its invoices, and resolving it resumes the scenario."""

    def _lines(self, move):
        return self.env["credit.relance.action.line"].search([("move_id", "=", move.id)], order="id")

    def _sent_steps(self, move):
        return self._lines(move).filtered(lambda line: not line.skipped).step_id

    def test_daily_run_skips_disputed_invoice_until_resolved(self):
        disputed = self._create_invoice(self.customer, 1000, D(2026, 1, 10))
        other = self._create_invoice(self.customer, 500, D(2026, 1, 10))
        self._run(D(2026, 1, 15))  # first reminder (J+5) for both invoices
        self.assertEqual(self._sent_steps(disputed), self.step_first)
        with freeze_time("2026-01-16"):
            Litige = self.env["credit.litige"]
            dispute = Litige.create(Litige._prepare_litige_vals(
                self.customer, disputed, self.env.ref("credit_litige.credit_litige_reason_quality"), "collector",
            ))
        self.assertTrue(disputed.credit_status_id.pause_dunning)
        for day in self._days(D(2026, 1, 17), D(2026, 2, 12)):
            self._run(day)
        # the undisputed invoice went on through SMS (J+15) and the second reminder (J+30)
        self.assertEqual(self._sent_steps(other), self.step_first | self.step_sms | self.step_second)
        self.assertEqual(self._sent_steps(disputed), self.step_first, "nothing while disputed")
        with freeze_time("2026-02-13"):
            dispute.action_reject()
        self.assertFalse(disputed.credit_status_id.pause_dunning)
        self._run(D(2026, 2, 13))
        # the most advanced due step runs; the SMS missed while paused is passed over, never sent
        self.assertEqual(self._sent_steps(disputed), self.step_first | self.step_second)
        self.assertEqual(self._lines(disputed).step_id, self.step_first | self.step_second)
        for day in self._days(D(2026, 2, 14), D(2026, 3, 1)):
            self._run(day)
        self.assertNotIn(self.step_sms, self._lines(disputed).step_id)

    def test_undisputed_part_is_dunned_when_the_company_chooses_so(self):
        self.company.credit_dun_undisputed_part = True
        invoice = self._create_invoice(self.customer, 1000, D(2026, 1, 10))
        with freeze_time("2026-01-12"):
            Litige = self.env["credit.litige"]
            Litige.create(Litige._prepare_litige_vals(
                self.customer, invoice, self.env.ref("credit_litige.credit_litige_reason_price"), "collector",
                amounts={invoice.id: 300.0},
            ))
        self.assertFalse(invoice.credit_status_id.pause_dunning, "a partly disputed invoice keeps its status")
        with self.mock_mail_gateway():
            self._run(D(2026, 1, 15))
        line = self._lines(invoice).filtered(lambda line: not line.skipped)
        self.assertEqual(line.step_id, self.step_first)
        self.assertAlmostEqual(line.amount_residual, 700.0)
        self.assertAlmostEqual(line.action_id.amount_total, 700.0)
        context = self.engine._get_render_context(line.action_id)
        self.assertAlmostEqual(context["credit_total"], 700.0)
        self.assertEqual(context["credit_disputed_amounts"], {invoice.id: 300.0})
