import json

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, HttpCase, new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

from .common import KEY_A, item

D = fields.Date.to_date


@tagged("post_install", "-at_install")
class TestCommunityMember(AccountTestInvoicingCommon, HttpCase):
    """The member side: identifiers, behaviour from paid invoices, batches, round trip to a hub."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.env.user.groups_id |= cls.env.ref("credit_relance.credit_relance_group_supervisor") | cls.env.ref(
            "credit_community.credit_community_group_hub_manager") | cls.env.ref("base.group_system")
        cls.company.write({"credit_community_role": "both", "credit_community_optin": True})
        cls.customer = cls.env["res.partner"].create(
            {"name": "Acme Industries", "is_company": True, "company_registry": "732 829 320"})
        cls.individual = cls.env["res.partner"].create({"name": "Jane Doe", "vat": "BE0403170701"})
        cls.anonymous = cls.env["res.partner"].create({"name": "No Id Corp", "is_company": True})
        cls.dispute = cls.env["credit.relance.status"].create(
            {"code": "DISP_T", "name": "Dispute", "category": "dispute"})
        with freeze_time("2026-06-30"):
            # 1000 paid 10 days late (older half), 2000 on terms, 3000 in dispute paid 20 days late
            cls._paid_invoice(cls.customer, 1000, "2025-11-15", "2025-11-30", "2025-12-10")
            cls._paid_invoice(cls.customer, 2000, "2026-03-01", "2026-03-31", "2026-03-31")
            cls._paid_invoice(cls.customer, 3000, "2026-05-01", "2026-05-31", "2026-06-20", status=cls.dispute)
            # paid more than 12 months ago: out of the window
            cls._paid_invoice(cls.customer, 50000, "2025-01-01", "2025-01-31", "2025-03-01")
            # not paid
            cls._invoice(cls.customer, 700, "2026-06-01", "2026-06-30")
            cls._paid_invoice(cls.individual, 900, "2026-03-01", "2026-03-31", "2026-05-31")
            cls._paid_invoice(cls.anonymous, 900, "2026-03-01", "2026-03-31", "2026-05-31")

    @classmethod
    def _invoice(cls, partner, amount, invoice_date, due_date, status=None):
        invoice = cls.env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_date_due": due_date,
            "credit_status_id": status.id if status else False,
            "invoice_line_ids": [Command.create({"name": "service", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": []})],
        })
        invoice.action_post()
        return invoice

    @classmethod
    def _paid_invoice(cls, partner, amount, invoice_date, due_date, paid_date, status=None):
        invoice = cls._invoice(partner, amount, invoice_date, due_date, status)
        cls.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"payment_date": paid_date})._create_payments()
        return invoice

    def _setup_hub(self):
        """This database is also the hub: two other members, and a key for our own company."""
        self.company.credit_community_hub_url = self.base_url()
        Member = self.env["credit.community.member"]
        self.me = Member.create({"name": "Us"})
        self.company.sudo().credit_community_api_key = self.me._new_api_key()
        self.others = Member.create([{"name": "Supplier X"}, {"name": "Supplier Y"}])

    def test_partner_identifier_key(self):
        self.assertEqual(self.customer.credit_community_key, "FR-SIREN:732829320")
        self.assertFalse(self.individual.credit_community_key, "individuals are never shared")
        self.assertFalse(self.anonymous.credit_community_key)
        company = self.env["res.partner"].create({"name": "Belgian", "is_company": True, "vat": "BE0403170701"})
        self.assertEqual(company.credit_community_key, "VAT:BE0403170701")
        company.company_registry = "73282932000074"  # a SIRET: reduced to its SIREN, wins over the VAT
        self.assertEqual(company.credit_community_key, "FR-SIREN:732829320")
        company.write({"company_registry": "123", "vat": "BE0403170702"})
        self.assertFalse(company.credit_community_key)

    @freeze_time("2026-06-30")
    def test_batch_content_is_anonymous(self):
        batches = self.env["credit.community.service"]._member_prepare_batches(self.company)
        self.assertEqual(len(batches), 1)
        batch = batches[0]
        self.assertEqual(set(batch), {"batch_id", "period_end", "items"})
        self.assertEqual(batch["period_end"], "2026-06-30")
        # (1000 x 10 + 2000 x 0 + 3000 x 20) / 6000 = 11.67 days; 2 of 3 late; 1 of 3 in dispute
        self.assertEqual(batch["items"], [{
            "key": "FR-SIREN:732829320", "paid_count": 3, "amount_band": "B", "avg_days_late": 11.7,
            "share_late": 0.67, "share_disputed": 0.33, "trend": "stable",
        }])
        text = json.dumps(batches)
        invoices = self.env["account.move"].search([("partner_id", "=", self.customer.id)])
        for secret in [self.company.name, self.customer.name, "Jane", "6000", "2026-05-31", *invoices.mapped("name")]:
            self.assertNotIn(secret, text)
        # the same figures give the same batch id: the hub recognises a resend
        self.assertEqual(self.env["credit.community.service"]._member_prepare_batches(self.company), batches)

    @freeze_time("2026-06-30")
    def test_own_behaviour_on_the_card(self):
        self.assertEqual(self.customer.credit_community_own_paid_count, 3)
        self.assertAlmostEqual(self.customer.credit_community_own_days_late, 11.7)
        # 80 - 10 x 11.7 / 15 = 72.2
        self.assertEqual(self.customer.credit_community_own_score, 72)
        self.assertEqual(self.anonymous.credit_community_own_paid_count, 1)

    @freeze_time("2026-06-30")
    def test_not_opted_in_sends_nothing(self):
        self._setup_hub()
        self.company.credit_community_optin = False
        with self.assertRaises(UserError):
            self.env["credit.community.service"]._member_contribute(self.company)
        self.assertFalse(self.env["credit.community.contribution"].search([]))

    @freeze_time("2026-06-30")
    def test_round_trip_with_hub(self):
        self._setup_hub()
        service = self.env["credit.community.service"]
        period = D("2026-06-30")
        service._hub_receive(self.others[0], "batch-x-000001", period, [item(KEY_A, avg_days_late=0.0)])
        # preview then send, exactly what was shown
        wizard = Form(self.env["credit.community.preview"]).save()
        self.assertEqual(json.loads(wizard.payload), service._member_prepare_batches(self.company))
        wizard.action_send()
        log = self.env["credit.community.sync.log"].search([("operation", "=", "contribute")])
        self.assertEqual((log.state, log.http_status, log.item_count), ("success", 201, 1))
        self.assertEqual(json.loads(log.payload), json.loads(wizard.payload)[0])
        mine = self.env["credit.community.contribution"].search([("member_id", "=", self.me.id)])
        self.assertEqual((mine.key, mine.avg_days_late, mine.paid_count), (KEY_A, 11.7, 3))

        # two contributors: nothing published
        self.customer.action_credit_community_refresh()
        self.assertEqual(self.customer.credit_community_score, 0)
        self.assertFalse(self.customer.credit_community_date)

        service._hub_receive(self.others[1], "batch-y-000001", period, [item(KEY_A, avg_days_late=30.0)])
        self.customer.action_credit_community_refresh()
        # (0 + 11.7 + 30) / 3 = 13.9 days -> 80 - 10 x 13.9 / 15 = 70.7
        self.assertEqual(self.customer.credit_community_score, 71)
        self.assertEqual(self.customer.credit_community_date, period)
        self.assertEqual(self.customer.credit_community_contributors_band, "3-5")
        self.assertEqual(self.customer.credit_community_days_late, 14)
        self.assertEqual(json.loads(self.customer.credit_community_figures)["paid_invoices_band"], "5-19")
        # group criteria can use the stored score
        Partner = self.env["res.partner"]
        low = Partner.search([("credit_community_score", "<", 75), ("credit_community_score", ">", 0)])
        self.assertIn(self.customer, low)

        # the daily job: our batch is unchanged (duplicate, nothing changes), the others got worse
        service._hub_receive(self.others[0], "batch-x-000002", period, [item(KEY_A, avg_days_late=120.0)])
        service._hub_receive(self.others[1], "batch-y-000002", period, [item(KEY_A, avg_days_late=120.0)])
        service._cron_member_sync()
        logs = self.env["credit.community.sync.log"].search([("operation", "=", "contribute")], order="id")
        self.assertEqual(logs.mapped("state"), ["success", "duplicate"])
        # (120 + 11.7 + 120) / 3 = 83.9 days -> 30 + 10 x (90 - 83.9) / 30 = 32
        self.assertEqual(self.customer.credit_community_score, 32)
        activity = self.env["mail.activity"].search(
            [("res_model", "=", "res.partner"), ("res_id", "=", self.customer.id)])
        self.assertEqual(len(activity), 1)
        self.assertIn("71", activity.summary)
        self.assertIn("32", activity.summary)

    @freeze_time("2026-06-30")
    def test_hub_errors_are_logged(self):
        self._setup_hub()
        self.me.action_revoke()
        with self.assertRaisesRegex(UserError, "401"):
            self.customer.action_credit_community_refresh()
        log = self.env["credit.community.sync.log"].search([("operation", "=", "read")])
        self.assertEqual((log.state, log.http_status), ("error", 401))
        self.assertIn("unauthorized", log.response)

    def test_sync_logs_are_per_company(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        Log = self.env["credit.community.sync.log"].sudo()
        mine = Log.create({"company_id": self.company.id, "operation": "read", "state": "success"})
        Log.create({"company_id": other.id, "operation": "read", "state": "success"})
        user = new_test_user(self.env, "supervisor_c1", groups="credit_relance.credit_relance_group_supervisor",
                             company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        self.assertEqual(self.env["credit.community.sync.log"].with_user(user).search([]), mine)
        salesrep = new_test_user(self.env, "salesrep_c1", groups="credit_relance.credit_relance_group_salesrep")
        with self.assertRaises(AccessError):
            self.env["credit.community.sync.log"].with_user(salesrep).search([])

    @freeze_time("2026-06-30")
    def test_enrolment_from_settings(self):
        member = self.env["credit.community.member"].create({"name": "Us"})
        settings = self.env["res.config.settings"].create({
            "credit_community_hub_url": self.base_url(),
            "credit_community_enrolment_code": member.enrolment_code,
        })
        settings.action_credit_community_enrol()
        self.assertEqual(self.company.sudo().credit_community_api_key[:4], "ccm_")
        member.invalidate_recordset()  # written by the hub's request
        self.assertTrue(member.enrolled_at)
        log = self.env["credit.community.sync.log"].search([("operation", "=", "enrol")])
        self.assertNotIn(self.company.sudo().credit_community_api_key, log.response + log.payload)
        self.assertNotIn(member.sudo().api_key_hash, log.response)
        settings.credit_community_enrolment_code = "wrong-code-123"
        with self.assertRaisesRegex(UserError, "invalid_enrolment_code"):
            settings.action_credit_community_enrol()
