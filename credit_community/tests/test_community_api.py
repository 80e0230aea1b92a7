import json

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KEY_A, KEY_B, KEY_C, CommunityHubCase, item


@tagged("post_install", "-at_install")
class TestCommunityApi(CommunityHubCase):
    def test_enrolment_code_gives_a_key_once(self):
        member = self.env["credit.community.member"].create({"name": "Newcomer"})
        code = member.enrolment_code
        status, answer = self.api("/enrol", {"code": code})
        self.assertEqual(status, 201)
        self.assertTrue(answer["api_key"].startswith("ccm_"))
        self.assertFalse(member.enrolment_code)
        self.assertTrue(member.enrolled_at)
        # only the hash is stored
        self.assertNotEqual(member.sudo().api_key_hash, answer["api_key"])
        status, _answer = self.api("/scores", {"keys": [KEY_A]}, key=answer["api_key"])
        self.assertEqual(status, 200)
        status, answer = self.api("/enrol", {"code": code})
        self.assertEqual((status, answer["error"]["code"]), (403, "invalid_enrolment_code"))
        status, answer = self.api("/enrol", {"code": "x"})
        self.assertEqual((status, answer["error"]["code"]), (400, "invalid_value"))

    def test_three_members_publish_two_do_not(self):
        self.assertEqual(self.contribute(0, [item(KEY_A, avg_days_late=0.0), item(KEY_B)])[0], 201)
        self.assertEqual(self.contribute(1, [item(KEY_A, avg_days_late=30.0), item(KEY_B)])[0], 201)
        status, answer = self.api("/scores", {"keys": [KEY_A, KEY_B, KEY_C]}, key=self.keys[3])
        self.assertEqual(status, 200)
        unpublished = {"published": False, "score": None, "contributors_band": None, "figures": None}
        # below K (A, B) and unknown (C) answer exactly alike
        self.assertEqual(answer["results"], [dict(unpublished, key=k) for k in (KEY_A, KEY_B, KEY_C)])

        self.assertEqual(self.contribute(2, [item(KEY_A, avg_days_late=60.0)])[0], 201)
        results = {}
        for key in self.keys:
            status, answer = self.api("/scores", {"keys": [KEY_A, KEY_B]}, key=key)
            self.assertEqual(status, 200)
            results[key] = answer["results"]
        first = results[self.keys[0]]
        self.assertTrue(all(r == first for r in results.values()), "every member reads the same score")
        # (0 + 30 + 60) / 3 = 30 days beyond terms -> 50
        self.assertEqual(first[0]["key"], KEY_A)
        self.assertEqual((first[0]["published"], first[0]["score"], first[0]["contributors_band"]), (True, 50, "3-5"))
        self.assertEqual(first[0]["figures"]["avg_days_late"], 30)
        self.assertEqual(first[0]["figures"]["paid_invoices_band"], "5-19")
        self.assertFalse(first[1]["published"])
        logs = self.env["credit.community.read.log"].search([("member_id", "=", self.members[0].id)])
        self.assertEqual((logs.key_count, logs.published_count), (2, 1))

    def test_unknown_and_below_k_answer_alike(self):
        """Same answer and same database work for an unknown identifier and one below K."""
        self.contribute(0, [item(KEY_A)])
        self.contribute(1, [item(KEY_A)])
        service = self.env["credit.community.service"]

        def ask(key):
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            result = service._hub_scores(self.members[3], [key])["results"][0]
            return self.env.cr.sql_log_count - before, dict(result, key=None)

        ask(KEY_B)  # warm the caches of settings
        self.assertEqual(ask(KEY_A), ask(KEY_C))

    def test_member_cannot_read_raw_contributions(self):
        for index in range(3):
            self.contribute(index, [item(KEY_A, avg_days_late=10.0 * index)])
        # no route lists contributions; the scores route only answers aggregates
        status, _answer = self.api("/contributions", key=self.keys[0], method="GET")
        self.assertIn(status, (404, 405))
        status, answer = self.api("/scores", {"keys": [KEY_A], "member_id": self.members[1].id}, key=self.keys[0])
        self.assertEqual((status, answer["error"]["code"]), (400, "unknown_field"))
        status, answer = self.api("/scores", {"keys": [KEY_A]}, key=self.keys[0])
        self.assertNotIn("member", json.dumps(answer))
        self.assertEqual(set(answer["results"][0]["figures"]),
                         {"avg_days_late", "share_late", "share_disputed", "trend", "paid_invoices_band"})
        # in the back office, only hub managers read them
        collector = new_test_user(self.env, "collector_hub", groups="credit_relance.credit_relance_group_supervisor")
        with self.assertRaises(AccessError):
            self.env["credit.community.contribution"].with_user(collector).search_read([], ["key"])
        manager = new_test_user(self.env, "hub_manager", groups="credit_community.credit_community_group_hub_manager")
        self.assertEqual(self.env["credit.community.contribution"].with_user(manager).search_count([]), 3)

    def test_member_cannot_write_for_another_member(self):
        before = self.snapshot()
        body = {"batch_id": "batch-other-0001", "period_end": str(self.today()), "member_id": self.members[1].id,
                "items": [item()]}
        status, answer = self.api("/contributions", body, key=self.keys[0])
        self.assertEqual((status, answer["error"]["code"], answer["error"]["path"]),
                         (400, "unknown_field", "member_id"))
        status, answer = self.contribute(0, [dict(item(), member=self.members[1].id)])
        self.assertEqual((status, answer["error"]["code"]), (400, "unknown_field"))
        self.assertEqual(self.snapshot(), before)
        # the key alone decides who writes
        self.assertEqual(self.contribute(0, [item()])[0], 201)
        contribution = self.env["credit.community.contribution"].search([("key", "=", KEY_A)])
        self.assertEqual(contribution.member_id, self.members[0])

    def test_revoked_key_is_refused(self):
        self.members[0].action_revoke()
        self.assertTrue(self.members[0].revoked_at)
        before = self.snapshot()
        for path, body in (("/contributions", {"batch_id": "batch-r-0001", "period_end": str(self.today()),
                                               "items": [item()]}), ("/scores", {"keys": [KEY_A]})):
            status, answer = self.api(path, body, key=self.keys[0])
            self.assertEqual((status, answer["error"]["code"]), (401, "unauthorized"))
        for bad in (None, "ccm_not-a-key", "Basic abc"):
            status, _answer = self.api("/scores", {"keys": [KEY_A]}, key=bad)
            self.assertEqual(status, 401)
        self.assertEqual(self.snapshot(), before)
        # a hub manager issues a new key, shown once: it brings the member back
        manager = new_test_user(self.env, "hub_manager_k", groups="credit_community.credit_community_group_hub_manager")
        action = self.members[0].with_user(manager).action_issue_key()
        wizard = self.env["credit.community.member.key"].browse(action["res_id"])
        key = wizard.api_key
        self.assertTrue(self.members[0].active)
        self.assertEqual(self.api("/scores", {"keys": [KEY_A]}, key=key)[0], 200)
        wizard.with_user(manager).action_done()
        self.assertFalse(wizard.api_key)
        self.assertEqual(self.api("/scores", {"keys": [KEY_A]}, key=self.keys[0])[0], 401)

    def test_malformed_oversized_and_bad_identifiers_change_nothing(self):
        self.contribute(0, [item()])
        before = self.snapshot()
        cases = [
            (b"{not json", 400, "invalid_json"),
            (b"[]", 400, "invalid_type"),
            (json.dumps({"batch_id": "batch-x-0001", "items": [item()]}).encode(), 400, "missing_field"),
            (json.dumps({"batch_id": "batch-x-0001", "period_end": str(self.today()),
                         "items": [item(), item("FR-SIREN:732829321")]}).encode(), 400, "invalid_identifier"),
            (json.dumps({"batch_id": "batch-x-0001", "period_end": str(self.today()),
                         "items": [item(paid_count="3")]}).encode(), 400, "invalid_type"),
            (json.dumps({"batch_id": "batch-x-0001", "period_end": str(self.today()),
                         "items": [item(f"VAT:BE0403170701{i}") for i in range(1001)]}).encode(), 400,
             "too_many_items"),
            (b'{"batch_id": "' + b"x" * (1024 * 1024) + b'"}', 413, "body_too_large"),
        ]
        for raw, expected_status, code in cases:
            with self.subTest(code=code):
                status, answer = self.api("/contributions", raw=raw, key=self.keys[0])
                self.assertEqual((status, answer["error"]["code"]), (expected_status, code))
                self.assertTrue(answer["error"]["message"])
        status, answer = self.api("/scores", {"keys": ["FR-SIREN:123"]}, key=self.keys[0])
        self.assertEqual((status, answer["error"]["code"]), (400, "invalid_identifier"))
        self.assertEqual(self.snapshot(), before)

    def test_same_batch_twice_changes_nothing(self):
        status, answer = self.contribute(0, [item(KEY_A, avg_days_late=5.0), item(KEY_B)], batch_id="batch-same-01")
        self.assertEqual((status, answer["status"], answer["items"]), (201, "accepted", 2))
        before = self.snapshot()
        for items in ([item(KEY_A, avg_days_late=5.0), item(KEY_B)], [item(KEY_A, avg_days_late=99.0)]):
            status, answer = self.contribute(0, items, batch_id="batch-same-01")
            self.assertEqual((status, answer["status"], answer["items"]), (200, "duplicate", 2))
            self.assertEqual(self.snapshot(), before)
        # another member may use the same batch id
        self.assertEqual(self.contribute(1, [item()], batch_id="batch-same-01")[0], 201)
        # a new batch replaces the member's figures for the identifier (latest wins)
        self.contribute(0, [item(KEY_A, avg_days_late=40.0)], batch_id="batch-same-02")
        mine = self.env["credit.community.contribution"].search(
            [("member_id", "=", self.members[0].id), ("key", "=", KEY_A)])
        self.assertEqual((len(mine), mine.avg_days_late, mine.batch_id.name), (1, 40.0, "batch-same-02"))

    def test_rate_limit_per_key(self):
        self.env["ir.config_parameter"].set_param("credit_community.rate_limit", 2)
        statuses = [self.api("/scores", {"keys": [KEY_A]}, key=self.keys[0])[0] for _i in range(3)]
        self.assertEqual(statuses, [200, 200, 429])
        # another key has its own counter
        self.assertEqual(self.api("/scores", {"keys": [KEY_A]}, key=self.keys[1])[0], 200)

    def test_not_a_hub_and_openapi(self):
        status, answer = self.api("/openapi.json", method="GET")
        self.assertEqual(status, 200)
        self.assertEqual(answer["openapi"][:2], "3.")
        self.assertIn("/contributions", answer["paths"])
        self.env.company.credit_community_role = "member"
        status, answer = self.api("/scores", {"keys": [KEY_A]}, key=self.keys[0])
        self.assertEqual((status, answer["error"]["code"]), (404, "not_a_hub"))

    def test_retention_purge(self):
        self.contribute(0, [item()])
        self.env["credit.community.contribution"].search([]).received_at = "2020-01-01 00:00:00"
        self.env["credit.community.service"]._cron_hub_purge()
        self.assertFalse(self.env["credit.community.contribution"].search([]))
