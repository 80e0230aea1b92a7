from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CreditRelanceCommon


@tagged("post_install", "-at_install")
class TestCreditLimitRequest(CreditRelanceCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env, "lim_rep", groups="base.group_user,credit_relance.credit_relance_group_salesrep"
        )
        cls.other_rep = new_test_user(
            cls.env, "lim_rep2", groups="base.group_user,credit_relance.credit_relance_group_salesrep"
        )
        cls.supervisor = new_test_user(
            cls.env, "lim_sup", groups="base.group_user,credit_relance.credit_relance_group_supervisor"
        )
        cls.mine, cls.theirs = cls._create_customers(["Rep's customer", "Other rep's customer"])
        cls.mine.user_id = cls.rep
        cls.theirs.user_id = cls.other_rep
        cls.term = cls.env.ref("account.account_payment_term_30days")
        cls.Request = cls.env["credit.relance.limit.request"]

    def _request(self, user, partner, limit=20000.0, **vals):
        return self.Request.with_user(user).create({
            "partner_id": partner.id, "requested_limit": limit, "reason": "Big order coming", **vals,
        })

    def test_rep_requests_supervisor_approves(self):
        request = self._request(self.rep, self.mine, requested_payment_term_id=self.term.id)
        self.assertEqual(request.requested_by_id, self.rep)
        request.action_submit()
        self.assertEqual(request.state, "submitted")
        self.assertTrue(request.activity_ids, "the supervisor gets a to-do")
        with self.assertRaises(AccessError):
            request.action_approve()
        request.with_user(self.supervisor).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.decided_by_id, self.supervisor)
        self.assertTrue(request.decision_date)
        self.assertFalse(request.activity_ids)
        self.assertEqual(self.mine.with_company(self.env.company).credit_limit, 20000.0)
        self.assertEqual(self.mine.property_payment_term_id, self.term)
        self.assertEqual(self.mine.with_user(self.rep).credit_limit_amount, 20000.0, "reps see the limit")
        self.assertIn(request, self.mine.credit_limit_request_ids, "history on the customer")

    def test_supervisor_refuses(self):
        request = self._request(self.rep, self.mine, limit=1000.0)
        request.action_submit()
        with self.assertRaises(AccessError):
            request.action_refuse()
        request.with_user(self.supervisor).action_refuse()
        self.assertEqual(request.state, "refused")
        self.assertFalse(self.mine.with_company(self.env.company).credit_limit)
        with self.assertRaises(UserError):
            request.with_user(self.supervisor).action_approve()
        request.action_reset_draft()
        self.assertEqual(request.state, "draft")

    def test_rep_cannot_see_or_request_for_other_reps_customers(self):
        theirs = self._request(self.other_rep, self.theirs)
        self.assertFalse(self.Request.with_user(self.rep).search([("id", "=", theirs.id)]))
        with self.assertRaises(AccessError):
            theirs.with_user(self.rep).read(["reason"])
        with self.assertRaises(AccessError):
            self._request(self.rep, self.theirs)
        self.assertTrue(self.Request.with_user(self.supervisor).search([("id", "=", theirs.id)]))

    def test_request_must_ask_for_something(self):
        with self.assertRaises(ValidationError):
            self._request(self.rep, self.mine, limit=0.0)
        with self.assertRaises(ValidationError):
            self._request(self.rep, self.mine, limit=-5.0)

    def test_request_from_the_customer_card(self):
        action = self.mine.with_user(self.rep).action_credit_request_limit()
        self.assertEqual(action["context"]["default_partner_id"], self.mine.id)
