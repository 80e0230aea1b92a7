import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CreditRelanceCommon

D = datetime.date(2025, 1, 10)  # day of the first actions


def day(offset):
    return D + datetime.timedelta(days=offset)


@tagged("post_install", "-at_install")
@freeze_time("2025-03-31")
class TestCreditRelanceEffectivenessReport(CreditRelanceCommon):
    """Hand-computed fixture (D = 2025-01-10), all invoices due 2025-01-01:

    ======  =======  =======================  ==============================  ======  ======  =========
    action  variant  scenario / step          invoice (amount, payment)       paid 7  paid30  collected
    ======  =======  =======================  ==============================  ======  ======  =========
    A1 D    a        Standard / Reminder      INV1 1000, paid D+5              yes     yes        1000
                     (e-mail)                 INV2  500, paid D+40             no      no            0
                                              INV3  800, 300 paid D+10         no      no          300
    A2 D+20 a        Standard / Call (phone)  INV2  500 (paid A2+20)           no      yes         500
                                              INV7 skipped                     (excluded)
    B1 D    b        Early / Early reminder   INV4  400, paid D+7 (day 7)      yes     yes         400
    B0      b        Early / Early reminder   INV6  250, action 2024-12-15     (out of the period)
    T       a        Standard / Call, to do   INV5  600                        (not done: excluded)
    C1 D    a        Standard / Reminder,     INV8  999 other company          (other company)
    ======  =======  =======================  ==============================  ======  ======  =========
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.other_company = cls.setup_other_company()["company"]
        cls._archive_default_groups()
        template = cls.env["mail.template"].create({
            "name": "Reminder", "model_id": cls.env["ir.model"]._get_id("res.partner"), "subject": "Reminder",
        })
        cls.standard = cls.Scenario.create({
            "name": "Standard",
            "step_ids": [
                Command.create({"name": "Reminder", "sequence": 1, "offset_days": 5, "channel": "email",
                                "trigger_mode": "auto", "mail_template_id": template.id}),
                Command.create({"name": "Call", "sequence": 2, "offset_days": 15, "channel": "phone",
                                "trigger_mode": "manual"}),
            ],
        })
        cls.reminder, cls.call = cls.standard.step_ids.sorted("sequence")
        cls.early = cls.Scenario.create({
            "name": "Early",
            "step_ids": [Command.create({"name": "Early reminder", "offset_days": 1, "channel": "email",
                                         "trigger_mode": "auto", "mail_template_id": template.id})],
        })
        cls.early_reminder = cls.early.step_ids
        cls.alpha, cls.beta = cls._create_customers(["Alpha", "Beta"])
        cls.group_alpha = cls._create_group("Alpha group", [("name", "=", "Alpha")], cls.standard)
        cls.group_beta = cls._create_group("Beta group", [("name", "=", "Beta")], cls.standard,
                                           ab_scenario_id=cls.early.id, ab_share=100)
        cls.Group._recompute_all()

        def invoice(partner, amount, company=None):
            return cls._create_invoice(partner, amount, "2024-12-01", "2025-01-01", company=company)

        inv1, inv2, inv3, inv5, inv7 = (invoice(cls.alpha, amount) for amount in (1000, 500, 800, 600, 50))
        inv4, inv6 = invoice(cls.beta, 400), invoice(cls.beta, 250)
        inv8 = invoice(cls.alpha, 999, company=cls.other_company)
        cls.inv1 = inv1
        cls.a1 = cls._action(cls.alpha, cls.reminder, D, inv1 | inv2 | inv3)
        cls.a2 = cls._action(cls.alpha, cls.call, day(20), inv2, skipped=[(inv7, cls.reminder)])
        cls.b1 = cls._action(cls.beta, cls.early_reminder, D, inv4)
        cls.b0 = cls._action(cls.beta, cls.early_reminder, datetime.date(2024, 12, 15), inv6)
        cls.todo = cls._action(cls.alpha, cls.call, D, inv5, state="to_do")
        cls.c1 = cls._action(cls.alpha, cls.reminder, D, inv8, company=cls.other_company)
        cls._pay(inv1, date=day(5))
        cls._pay(inv2, date=day(40))
        cls._pay(inv3, amount=300, date=day(10))
        cls._pay(inv4, date=day(7))
        cls._pay(inv6, date="2024-12-20")
        cls._pay(inv8, date=day(2))
        cls.Report = cls.env["credit.relance.effectiveness.report"].with_company(cls.company)
        cls.period = [("action_date", ">=", "2025-01-01"), ("action_date", "<=", "2025-03-31")]

    @classmethod
    def _action(cls, partner, step, done_day, moves, state="done", skipped=(), company=None):
        company = company or cls.company

        def line(move, line_step, is_skipped=False):
            return Command.create({
                "move_id": move.id, "step_id": line_step.id,
                "date_maturity": move.invoice_date_due, "amount_residual": move.amount_residual_signed,
                "skipped": is_skipped,
            })

        return cls.env["credit.relance.action"].create({
            "partner_id": partner.id,
            "company_id": company.id,
            "scenario_id": step.scenario_id.id,
            "step_id": step.id,
            "planned_date": done_day,
            "channel": step.channel,
            "trigger_mode": step.trigger_mode,
            "state": state,
            "done_date": datetime.datetime.combine(done_day, datetime.time(9)) if state == "done" else False,
            "line_ids": [line(move, step) for move in moves] + [line(m, s, True) for m, s in skipped],
        })

    def test_actions_snapshot_the_variant(self):
        self.assertEqual((self.a1.ab_variant, self.b1.ab_variant), ("a", "b"))
        self.assertEqual(self.b1.credit_group_id, self.group_beta)
        self.assertEqual(self.beta.credit_scenario_id, self.early)
        # the customer leaves the test: its past actions stay in B
        self.group_beta.ab_scenario_id = False
        self.Group._recompute_all()
        self.assertEqual(self.beta.credit_ab_variant, "a")
        self.assertEqual(self.b1.ab_variant, "b")

    def test_paid_date_is_the_latest_reconciliation(self):
        rows = self.Report.search([("move_id", "=", self.inv1.id)])
        self.assertEqual(rows.mapped("paid_date"), [day(5)])
        partial = self.Report.search([("action_id", "=", self.a1.id), ("amount_dunned", "=", 800)])
        self.assertFalse(partial.paid_date)
        self.assertEqual(partial.amount_collected_30, 300.0)

    def test_figures_per_scenario_step_and_channel(self):
        figures = self.Report._get_effectiveness(self.period, ["scenario_id", "step_id", "channel"])
        self.assertEqual(set(figures), {
            (self.standard, self.reminder, "email"), (self.standard, self.call, "phone"),
            (self.early, self.early_reminder, "email"),
        })
        reminder = figures[self.standard, self.reminder, "email"]
        self.assertEqual(
            (reminder["actions"], reminder["invoices"], reminder["paid_7"], reminder["paid_30"]), (1, 3, 1, 1)
        )
        self.assertEqual((reminder["amount_dunned"], reminder["amount_collected_30"]), (2300.0, 1300.0))
        self.assertEqual((reminder["paid_7_rate"], reminder["paid_30_rate"], reminder["collected_rate"]),
                         (33.3, 33.3, 56.5))
        call = figures[self.standard, self.call, "phone"]
        self.assertEqual((call["invoices"], call["paid_7"], call["paid_30"], call["amount_collected_30"]),
                         (1, 0, 1, 500.0))
        early = figures[self.early, self.early_reminder, "email"]
        self.assertEqual((early["paid_7_rate"], early["paid_30_rate"], early["collected_rate"]), (100.0, 100.0, 100.0))

    def test_report_grouped_by_variant_compares_a_and_b(self):
        figures = self.Report._get_effectiveness(self.period, ["ab_variant"])
        variant_a, variant_b = figures["a",], figures["b",]
        self.assertEqual(
            {k: variant_a[k] for k in ("actions", "invoices", "paid_7", "paid_30", "amount_dunned",
                                       "amount_collected_30")},
            {"actions": 2, "invoices": 4, "paid_7": 1, "paid_30": 2, "amount_dunned": 2800.0,
             "amount_collected_30": 1800.0},
        )
        self.assertEqual((variant_a["paid_7_rate"], variant_a["paid_30_rate"], variant_a["collected_rate"]),
                         (25.0, 50.0, 64.3))
        self.assertEqual((variant_b["actions"], variant_b["invoices"], variant_b["paid_30_rate"]), (1, 1, 100.0))
        # the pivot's own averages give the same shares
        rates = {variant: (rate_7, rate_30) for variant, rate_7, rate_30 in self.Report._read_group(
            self.period, ["ab_variant"], ["paid_7_rate:avg", "paid_30_rate:avg"])}
        self.assertEqual(rates, {"a": (25.0, 50.0), "b": (100.0, 100.0)})
        # without the period, the December action of Beta counts
        self.assertEqual(self.Report._get_effectiveness([], ["ab_variant"])["b",]["actions"], 2)

    def test_other_companies_and_access_rights(self):
        collector = new_test_user(
            self.env, "eff_col", groups="base.group_user,credit_relance.credit_relance_group_collector",
            company_ids=[Command.set((self.company | self.other_company).ids)],
        )
        rep = new_test_user(self.env, "eff_rep", groups="base.group_user,credit_relance.credit_relance_group_salesrep")
        Report = self.env["credit.relance.effectiveness.report"].with_user(collector)
        own = Report.with_context(allowed_company_ids=self.company.ids)
        self.assertEqual(own._get_effectiveness(self.period, ["ab_variant"])["a",]["actions"], 2)
        both = Report.with_context(allowed_company_ids=(self.company | self.other_company).ids)
        self.assertEqual(both._get_effectiveness(self.period, ["ab_variant"])["a",]["actions"], 3)
        self.assertFalse(Report.has_access("write"))
        # a sales rep sees the results of its own customers only
        self.beta.user_id = rep
        rep_figures = self.env["credit.relance.effectiveness.report"].with_user(rep)._get_effectiveness(
            self.period, ["partner_id"])
        self.assertEqual(list(rep_figures), [(self.beta,)])
        self.assertEqual(rep_figures[self.beta,]["invoices"], 1)
        self.assertFalse(self.env["credit.relance.effectiveness.report"].with_user(rep).has_access("write"))
        # the rows of another customer are refused (a row's id is its action line's id)
        with self.assertRaises(AccessError), self.assertLogs("odoo.addons.base.models.ir_rule", "INFO"):
            self.env["credit.relance.effectiveness.report"].with_user(rep).browse(
                self.a1.line_ids[:1].ids).read(["amount_dunned"])

    def test_views_load(self):
        Report = self.env["credit.relance.effectiveness.report"]
        for view_type in ("pivot", "graph", "list", "search"):
            with self.subTest(view_type=view_type):
                self.assertTrue(Report.get_view(view_type=view_type)["arch"])
