from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon


class CreditLitigeCommon(AccountTestInvoicingCommon):
    """Two customers with overdue invoices, the credit team and portal users.

    * ``customer_a`` (sold by ``salesrep``) has ``invoice_a1`` (1,150 incl. 15% tax) and
      ``invoice_a2`` (575), both in the ``status_in_progress`` status;
    * ``customer_b`` (sold by ``other_salesrep``) has ``invoice_b1``;
    * ``portal_a`` / ``portal_b`` are portal users, contacts of each customer.

    Invoices are dated 2026-01-15 with immediate payment: overdue on the tests' dates.
    """

    INVOICE_DATE = "2026-01-15"

    @classmethod
    def default_env_context(cls):
        # disputes are discussed: keep tracking, followers and notifications on
        return {"no_reset_password": True}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.company_data["company"]
        # the test user (the accountant of AccountTestInvoicingCommon) also configures credit
        cls.env.user.groups_id |= cls.env.ref("credit_relance.credit_relance_group_supervisor")
        Status = cls.env["credit.relance.status"]
        cls.status_dispute = cls.env["credit.litige"]._get_credit_status("dispute", cls.company)
        cls.status_litigation = cls.env["credit.litige"]._get_credit_status("litigation", cls.company)
        cls.status_in_progress = Status.create({
            "code": "T_INPROG", "name": "Test in progress", "category": "in_progress",
        })
        cls.substatus_quality = Status.create({
            "code": "T_DSP_QUAL", "name": "Quality dispute", "category": "dispute",
            "parent_id": cls.status_dispute.id, "pause_dunning": True,
        })
        cls.reason_price = cls.env.ref("credit_litige.credit_litige_reason_price")
        cls.reason_quality = cls.env.ref("credit_litige.credit_litige_reason_quality")
        cls.reason_quality.credit_substatus_id = cls.substatus_quality

        groups = "base.group_user,account.group_account_invoice"
        cls.supervisor = new_test_user(
            cls.env, "lit_supervisor", groups=f"{groups},credit_relance.credit_relance_group_supervisor",
            email="supervisor@example.com", company_id=cls.company.id, company_ids=cls.company.ids,
        )
        cls.collector = new_test_user(
            cls.env, "lit_collector", groups=f"{groups},credit_relance.credit_relance_group_collector",
            email="collector@example.com", company_id=cls.company.id, company_ids=cls.company.ids,
        )
        cls.collector_2 = new_test_user(
            cls.env, "lit_collector_2", groups=f"{groups},credit_relance.credit_relance_group_collector",
            email="collector2@example.com", company_id=cls.company.id, company_ids=cls.company.ids,
        )
        salesrep_groups = "base.group_user,account.group_account_readonly,credit_relance.credit_relance_group_salesrep"
        cls.salesrep = new_test_user(
            cls.env, "lit_salesrep", groups=salesrep_groups, email="salesrep@example.com",
            company_id=cls.company.id, company_ids=cls.company.ids,
        )
        cls.other_salesrep = new_test_user(
            cls.env, "lit_salesrep_2", groups=salesrep_groups, email="salesrep2@example.com",
            company_id=cls.company.id, company_ids=cls.company.ids,
        )
        cls.team = cls.env["credit.litige.team"].create({
            "name": "Credit desk", "leader_id": cls.collector.id,
            "member_ids": [Command.set((cls.collector | cls.collector_2).ids)],
        })

        cls.customer_a = cls.partner_a
        cls.customer_a.write({"user_id": cls.salesrep.id, "email": "customer.a@example.com", "is_company": True})
        cls.customer_b = cls.partner_b
        cls.customer_b.write({"user_id": cls.other_salesrep.id, "email": "customer.b@example.com", "is_company": True})
        cls.portal_a = new_test_user(cls.env, "lit_portal_a", groups="base.group_portal", email="portal.a@example.com")
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_b = new_test_user(cls.env, "lit_portal_b", groups="base.group_portal", email="portal.b@example.com")
        cls.portal_b.partner_id.parent_id = cls.customer_b

        cls.invoice_a1 = cls._create_credit_invoice(cls.customer_a, 1000.0)
        cls.invoice_a2 = cls._create_credit_invoice(cls.customer_a, 500.0)
        cls.invoice_b1 = cls._create_credit_invoice(cls.customer_b, 800.0)
        (cls.invoice_a1 | cls.invoice_a2 | cls.invoice_b1).credit_status_id = cls.status_in_progress

    @classmethod
    def _create_credit_invoice(cls, partner, amount, invoice_date=None):
        """A posted invoice of ``amount`` untaxed + 15% tax, due at once."""
        return cls.init_invoice(
            "out_invoice", partner=partner, invoice_date=invoice_date or cls.INVOICE_DATE, post=True,
            amounts=[amount], taxes=cls.tax_sale_a,
        )

    def _open_dispute(self, moves, amounts=None, reason=None, **vals):
        """Open a dispute on ``moves`` (the full residual unless ``amounts`` gives it)."""
        amounts = amounts or {}
        partner = moves[:1].commercial_partner_id
        return self.env["credit.litige"].create({
            "partner_id": partner.id,
            "reason_id": (reason or self.reason_price).id,
            "user_id": self.collector.id,
            "line_ids": [
                Command.create({"move_id": move.id, "amount": amounts.get(move, move.amount_residual)})
                for move in moves
            ],
            **vals,
        })

    @staticmethod
    def _is_dunning_paused(move):
        """The dunning contract: a status (or sub-status) that pauses dunning, or a blocked invoice."""
        return bool(
            move.credit_dunning_blocked or move.credit_status_id.pause_dunning or move.credit_substatus_id.pause_dunning
        )
