"""Access matrix of the credit addons: every model, every menu, every profile, two companies.

The expected rights are written below as readable tables; the tests compare them with what
Odoo actually grants (access rights, record rules, menus). A model added to one of the addons
without a line in ``MODEL_ACCESS`` fails the test: decide who may touch it, then add the line.
"""

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from odoo.addons.account.tests.common import AccountTestInvoicingCommon

PROFILES = {
    "rep": "base.group_user,credit_relance.credit_relance_group_salesrep",
    "coll": "base.group_user,credit_relance.credit_relance_group_collector",
    "sup": "base.group_user,credit_relance.credit_relance_group_supervisor",
    "hub": "base.group_user,credit_community.credit_community_group_hub_manager",
    "user": "base.group_user",
    "portal": "base.group_portal",
    "public": "base.group_public",
}

# c = create, r = read, w = write, d = delete (model-level access rights, before record rules).
# rep: sales rep; coll: collector; sup: supervisor; hub: community hub manager (implies sales
# rep); user: internal user without any credit group. Transient wizards are per user anyway.
MODEL_ACCESS = """
model                              rep   coll  sup   hub   user  portal public
credit.relance.status              r     r     crwd  r     -     -      -
credit.relance.scenario            r     r     crwd  r     -     -      -
credit.relance.step                r     r     crwd  r     -     -      -
credit.relance.group               r     r     crwd  r     -     -      -
credit.relance.routing.rule        -     r     crwd  -     -     -      -
credit.relance.action              r     crw   crwd  r     -     -      -
credit.relance.action.line         r     crw   crwd  r     -     -      -
credit.relance.promise             r     crw   crwd  r     -     -      -
credit.relance.limit.request       crw   crw   crwd  crw   -     -      -
credit.relance.rate                r     r     crwd  r     r     -      -
credit.relance.call.result         -     crwd  crwd  -     -     -      -
credit.relance.pause               -     crwd  crwd  -     -     -      -
credit.relance.history.export      -     -     crwd  -     -     -      -
credit.relance.history             r     r     crwd  r     -     -      -
credit.relance.history.import      -     -     crwd  -     -     -      -
credit.relance.history.import.line -     -     crwd  -     -     -      -
credit.relance.kpi                 r     r     r     r     -     -      -
credit.relance.kpi.monthly         -     r     r     -     -     -      -
credit.relance.outstanding.report  r     r     r     r     -     -      -
credit.relance.effectiveness.report r    r     r     r     -     -      -
credit.relance.review.wizard       -     crwd  crwd  -     -     -      -
credit.litige                      crw   crw   crwd  crw   -     r      -
credit.litige.line                 crwd  crwd  crwd  crwd  -     r      -
credit.litige.reason               r     r     crwd  r     -     r      -
credit.litige.stage                r     r     crwd  r     -     r      -
credit.litige.team                 r     r     crwd  r     -     -      -
credit.litige.handover             r     crw   crwd  r     -     -      -
credit.litige.report               r     r     r     r     -     -      -
credit.litige.receivable.report    r     r     r     r     -     -      -
credit.community.member            -     -     -     crwd  -     -      -
credit.community.member.key        -     -     -     crw   -     -      -
credit.community.contribution      -     -     -     rd    -     -      -
credit.community.batch             -     -     -     rd    -     -      -
credit.community.read.log          -     -     -     r     -     -      -
credit.community.sync.log          -     -     r     -     -     -      -
credit.community.preview           -     -     crw   -     -     -      -
"""

# Services without a table: nobody reads or writes them as records.
ABSTRACT_MODELS = {
    "credit.relance.agenda", "credit.relance.demo", "credit.relance.engine", "credit.community.service",
    "credit.relance.kpi.ratios",
}

# Records a profile sees in company A (users belong to company A only). "own": a customer of
# the sales rep; "other": a customer of another sales rep; "B": any record of company B.
# Profiles without read access on the model (see above) are not listed.
RECORD_VISIBILITY = """
model                          rep        coll        sup         hub
credit.relance.action          own        own,other   own,other   -
credit.relance.action.line     own        own,other   own,other   -
credit.relance.promise         own        own,other   own,other   -
credit.relance.limit.request   own        own,other   own,other   -
credit.litige                  own        own,other   own,other   -
credit.litige.line             own        own,other   own,other   -
credit.litige.handover         own        own,other   own,other   -
credit.relance.history         own        own,other   own,other   -
"""

# Records a profile may write or delete among those it sees (same notation).
RECORD_WRITE = """
model                          rep        coll        sup
credit.relance.action          -          own,other   own,other
credit.relance.limit.request   own        own,other   own,other
credit.litige                  own        own,other   own,other
credit.litige.handover         -          own,other   own,other
"""

# Configuration shared by the companies (company_id empty) or owned by one: A and shared
# records are visible to the profiles that may read the model, records of B never.
COMPANY_SCOPED = [
    "credit.relance.status", "credit.relance.scenario", "credit.relance.group",
    "credit.relance.routing.rule", "credit.litige.reason", "credit.litige.team",
]

# Menus of the addons and the profiles that see them (portal and public have no back-end). A
# menu is seen when it and all its parents are. The settings menu is for administrators
# (res.config.settings needs the Settings rights), like every Odoo settings menu.
MENUS = """
menu                                                    rep  coll  sup  hub  user
credit_relance.credit_relance_menu_root                 x    x     x    x    -
credit_relance.credit_relance_menu_relance              x    x     x    x    -
credit_relance.credit_relance_agenda_menu               x    x     x    x    -
credit_relance.credit_relance_action_menu               x    x     x    x    -
credit_relance.credit_relance_action_menu_validation    -    x     x    -    -
credit_relance.credit_relance_action_menu_to_print      -    x     x    -    -
credit_relance.credit_relance_promise_menu              x    x     x    x    -
credit_relance.credit_relance_scenario_menu             x    x     x    x    -
credit_relance.credit_relance_group_menu                x    x     x    x    -
credit_relance.credit_relance_limit_request_menu        x    x     x    x    -
credit_relance.credit_relance_template_menu             -    -     x    -    -
credit_relance.credit_relance_mail_template_menu        -    -     x    -    -
credit_relance.credit_relance_sms_template_menu         -    -     x    -    -
credit_relance.credit_relance_engine_menu_run_today     -    -     x    -    -
credit_relance.credit_relance_menu_config               -    x     x    -    -
credit_relance.credit_relance_status_menu               -    x     x    -    -
credit_relance.credit_relance_routing_rule_menu         -    x     x    -    -
credit_relance.credit_relance_rate_menu                 -    x     x    -    -
credit_relance.credit_relance_settings_menu             -    -     -    -    -
credit_relance.credit_relance_menu_reporting            x    x     x    x    -
credit_relance.credit_relance_kpi_menu                  x    x     x    x    -
credit_relance.credit_relance_kpi_monthly_menu          -    x     x    -    -
credit_relance.credit_relance_outstanding_report_menu   x    x     x    x    -
credit_relance.credit_relance_outstanding_report_menu_customer x x  x    x    -
credit_relance.credit_relance_effectiveness_report_menu x    x     x    x    -
credit_relance.credit_relance_history_menu              x    x     x    x    -
credit_relance.credit_relance_review_wizard_menu        -    x     x    -    -
credit_relance.credit_relance_history_import_menu       -    -     x    -    -
"""


def _parse(table):
    lines = [line.split() for line in table.strip().splitlines()]
    header, rows = lines[0][1:], lines[1:]
    return header, {row[0]: dict(zip(header, row[1:], strict=True)) for row in rows}


@tagged("post_install", "-at_install")
class TestAccessMatrix(AccountTestInvoicingCommon):
    """Who reads, writes, creates and deletes what, in two companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id += cls.env.ref("credit_relance.credit_relance_group_supervisor")
        cls.company_a = cls.env.company
        cls.company_b = cls.setup_other_company(name="Credit company B")["company"]
        cls.users = {
            key: new_test_user(
                cls.env, login=f"matrix_{key}", groups=groups, company_id=cls.company_a.id,
                company_ids=[Command.set(cls.company_a.ids)],
            )
            for key, groups in PROFILES.items()
        }
        cls.other_rep = new_test_user(cls.env, login="matrix_other_rep", groups=PROFILES["rep"],
                                      company_ids=[Command.set(cls.company_a.ids)])
        Partner = cls.env["res.partner"]
        cls.customers = {
            "own": Partner.create({"name": "Own customer", "is_company": True, "user_id": cls.users["rep"].id}),
            "other": Partner.create({"name": "Other customer", "is_company": True, "user_id": cls.other_rep.id}),
            "B": Partner.create({"name": "Customer of B", "is_company": True, "user_id": cls.users["rep"].id}),
        }
        cls.records = {}
        for key, partner in cls.customers.items():
            company = cls.company_b if key == "B" else cls.company_a
            cls.records[key] = cls._create_records(partner, company)

    @classmethod
    def _create_records(cls, partner, company):
        env = cls.env(context={"allowed_company_ids": company.ids, "tracking_disable": True})
        invoice = env["account.move"].with_company(company).create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": "2026-01-10",
            "invoice_line_ids": [Command.create({"name": "Service", "quantity": 1, "price_unit": 500.0,
                                                 "tax_ids": [Command.clear()]})],
        })
        invoice.action_post()
        action = env["credit.relance.action"].create({
            "partner_id": partner.id, "company_id": company.id, "planned_date": fields.Date.today(),
            "channel": "phone", "user_id": cls.users["rep"].id,
            "line_ids": [Command.create({"move_id": invoice.id})],
        })
        reason = env["credit.litige.reason"].create(
            {"code": f"M{partner.id}", "name": "Matrix", "company_id": company.id})
        litige = env["credit.litige"].create({
            "partner_id": partner.id, "reason_id": reason.id, "company_id": company.id,
            "line_ids": [Command.create({"move_id": invoice.id, "amount": 100.0})],
        })
        agency = env["res.partner"].create({"name": f"Agency {partner.name}"})
        return {
            "credit.relance.action": action,
            "credit.relance.action.line": action.line_ids,
            "credit.relance.promise": env["credit.relance.promise"].create({
                "partner_id": partner.id, "company_id": company.id, "date": "2026-02-01", "action_id": action.id,
            }),
            "credit.relance.limit.request": env["credit.relance.limit.request"].create({
                "partner_id": partner.id, "company_id": company.id, "requested_limit": 1000, "reason": "Grows",
            }),
            "credit.litige": litige,
            "credit.litige.line": litige.line_ids,
            "credit.litige.handover": env["credit.litige.handover"].create({
                "partner_id": partner.id, "agency_id": agency.id, "company_id": company.id,
            }),
            "credit.relance.history": env["credit.relance.history"].create({
                "partner_id": partner.id, "company_id": company.id, "invoice_number": f"OLD/{partner.id}",
                "invoice_date": "2025-01-01", "due_date": "2025-01-31", "settled_date": "2025-02-15",
                "amount": 300.0, "currency_id": company.currency_id.id,
            }),
        }

    # ------------------------------------------------------------------
    # Model-level rights
    # ------------------------------------------------------------------

    def test_every_model_is_in_the_matrix(self):
        expected = set(_parse(MODEL_ACCESS)[1]) | ABSTRACT_MODELS
        ours = set(self.env["ir.model"].search([("model", "=like", "credit.%")]).mapped("model"))
        self.assertFalse(ours - expected, "models without an expected access line in MODEL_ACCESS")

    def test_model_access_rights(self):
        header, rows = _parse(MODEL_ACCESS)
        Access = self.env["ir.model.access"]
        for model, expected in rows.items():
            if model not in self.env:
                continue
            for profile in header:
                user = self.users[profile]
                granted = "".join(
                    letter for letter, operation in zip("crwd", ("create", "read", "write", "unlink"), strict=True)
                    if Access.with_user(user).check(model, operation, raise_exception=False)
                ) or "-"
                with self.subTest(model=model, profile=profile):
                    self.assertEqual(granted, expected[profile])

    def test_abstract_services_have_no_table(self):
        for model in ABSTRACT_MODELS:
            if model in self.env:
                self.assertTrue(self.env[model]._abstract, model)

    def test_every_model_with_company_has_a_company_rule(self):
        for model in self.env["ir.model"].search([("model", "=like", "credit.%")]):
            Model = self.env[model.model]
            if Model._abstract or Model._transient or "company_id" not in Model._fields:
                continue
            rules = self.env["ir.rule"].search([("model_id", "=", model.id), ("groups", "=", False)])
            with self.subTest(model=model.model):
                self.assertTrue(any("company_ids" in (rule.domain_force or "") for rule in rules),
                                "a model with company_id needs a global multi-company rule")

    # ------------------------------------------------------------------
    # Record rules on actual records
    # ------------------------------------------------------------------

    def _as(self, records, user):
        """``records`` seen by ``user`` in the user's own companies."""
        return self.env[records._name].with_user(user).browse(records.ids)

    def _keys(self, records_by_key, found):
        return ",".join(key for key in ("own", "other", "B") if records_by_key[key] & found) or "-"

    def test_record_visibility(self):
        header, rows = _parse(RECORD_VISIBILITY)
        for model, expected in rows.items():
            by_key = {key: self.records[key][model] for key in self.records}
            all_ids = [rid for records in by_key.values() for rid in records.ids]
            for profile in header:
                found = self.env[model].with_user(self.users[profile]).search([("id", "in", all_ids)])
                with self.subTest(model=model, profile=profile):
                    self.assertEqual(self._keys(by_key, found), expected[profile])
                    # reading a record outside the rules fails loudly, whatever the path
                    for key, records in by_key.items():
                        if key not in expected[profile].split(","):
                            with self.assertRaises(AccessError):
                                self._as(records, self.users[profile]).read(["display_name"])

    def test_record_write_and_delete(self):
        header, rows = _parse(RECORD_WRITE)
        for model, expected in rows.items():
            for profile in header:
                user = self.users[profile]
                writable = {key for key in self.records
                            if self._as(self.records[key][model], user).has_access("write")}
                with self.subTest(model=model, profile=profile):
                    self.assertEqual(
                        ",".join(k for k in ("own", "other", "B") if k in writable) or "-", expected[profile])
        # only supervisors delete actions, disputes, promises; and only in their companies
        for model in ("credit.relance.action", "credit.litige", "credit.relance.promise"):
            for profile in ("rep", "coll", "hub"):
                self.assertFalse(self._as(self.records["own"][model], self.users[profile]).has_access("unlink"))
            self.assertTrue(self._as(self.records["own"][model], self.users["sup"]).has_access("unlink"))
            self.assertFalse(self._as(self.records["B"][model], self.users["sup"]).has_access("unlink"))

    def test_company_scoped_configuration(self):
        for model in COMPANY_SCOPED:
            Model = self.env[model]
            vals = {"name": f"Matrix {model}"}
            if "code" in Model._fields:
                vals["code"] = f"MX{len(model)}"
            if "scenario_id" in Model._fields:
                vals["scenario_id"] = self.env["credit.relance.scenario"].create({
                    "name": "Matrix",
                    "step_ids": [Command.create({"name": "Call", "offset_days": 5, "channel": "phone"})],
                }).id
            records = {
                key: Model.with_context(allowed_company_ids=company.ids).create({**vals, "company_id": company.id})
                for key, company in (("A", self.company_a), ("B", self.company_b))
            }
            for profile, user in self.users.items():
                if not self.env["ir.model.access"].with_user(user).check(model, "read", raise_exception=False):
                    continue
                found = Model.with_user(user).search([("id", "in", [r.id for r in records.values()])])
                with self.subTest(model=model, profile=profile):
                    self.assertEqual(found, records["A"])

    def test_supervisor_of_both_companies_sees_only_the_active_ones(self):
        supervisor = self.users["sup"]
        supervisor.company_ids = [Command.link(self.company_b.id)]
        Action = self.env["credit.relance.action"].with_user(supervisor)
        both = [self.records[k]["credit.relance.action"].id for k in ("own", "B")]
        in_a = Action.with_context(allowed_company_ids=self.company_a.ids).search([("id", "in", both)])
        self.assertEqual(len(in_a), 1)
        self.assertEqual(len(Action.with_context(
            allowed_company_ids=(self.company_a | self.company_b).ids).search([("id", "in", both)])), 2)

    # ------------------------------------------------------------------
    # Sales reps are limited to their customers in the aggregates too
    # ------------------------------------------------------------------

    def test_agenda_counts_only_own_customers_for_a_sales_rep(self):
        """The rep is responsible for the actions of 'own' and 'other': only 'own' is counted."""
        self.records["other"]["credit.relance.action"].write({"user_id": self.users["rep"].id})
        agenda = self.env["credit.relance.agenda"].with_user(self.users["rep"]).get_agenda()
        counted = sum(row["cells"]["to_do"]["count"] for section in agenda["sections"] for row in section["rows"])
        self.assertEqual(counted, 1)
        with self.assertRaises(AccessError):
            self.env["credit.relance.agenda"].with_user(self.users["rep"]).get_agenda({"user_id": False})

    def test_read_group_of_a_sales_rep_counts_own_customers(self):
        for model in ("credit.relance.action", "credit.litige", "credit.relance.limit.request"):
            groups = self.env[model].with_user(self.users["rep"])._read_group([], ["partner_id"], ["__count"])
            with self.subTest(model=model):
                self.assertEqual([partner for partner, _count in groups], [self.customers["own"]])

    def test_kpis_of_a_sales_rep_cover_own_customers(self):
        KPI = self.env["credit.relance.kpi"]
        seen_by_collector = KPI.with_user(self.users["coll"]).search([]).partner_id
        self.assertTrue({self.customers["own"], self.customers["other"]} <= set(seen_by_collector),
                        "the KPI rows exist, so the rep's view below is meaningful")
        self.assertNotIn(self.customers["B"], seen_by_collector)
        self.assertEqual(KPI.with_user(self.users["rep"]).search([]).partner_id, self.customers["own"])
        groups = KPI.with_user(self.users["rep"])._read_group([], ["partner_id"], ["__count"])
        self.assertEqual([partner for partner, _count in groups], [self.customers["own"]])

    def test_sales_rep_cannot_decide_on_own_limit_request(self):
        request = self._as(self.records["own"]["credit.relance.limit.request"], self.users["rep"])
        request.action_submit()
        for vals in ({"state": "approved"}, {"state": "refused"}, {"decided_by_id": self.users["rep"].id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                request.write(vals)
        with self.assertRaises(AccessError):
            request.action_approve()
        self.assertEqual(request.state, "submitted")
        with self.assertRaises(AccessError):
            self.env["credit.relance.limit.request"].with_user(self.users["rep"]).create({
                "partner_id": self.customers["own"].id, "requested_limit": 5, "reason": "x", "state": "approved",
            })

    # ------------------------------------------------------------------
    # Menus
    # ------------------------------------------------------------------

    def _shown_menus(self, user):
        """Menus shown to ``user``: visible themselves (groups, action's model) and all their parents."""
        Menu = self.env["ir.ui.menu"]
        visible = Menu.with_user(user)._visible_menu_ids()
        shown = Menu
        for menu in Menu.browse(visible):
            parent, ok = menu, True
            while parent:
                ok = ok and parent.id in visible
                parent = parent.parent_id
            if ok:
                shown |= menu
        return shown

    def test_run_today_menu_works_for_supervisors(self):
        action = self.env.ref("credit_relance.credit_relance_engine_server_run_today")
        result = action.with_user(self.users["sup"]).with_context(allowed_company_ids=self.company_a.ids).run()
        self.assertEqual(result["tag"], "display_notification")
        with self.assertRaises(AccessError):
            action.with_user(self.users["coll"]).run()

    def test_menus(self):
        header, rows = _parse(MENUS)
        declared = set(self.env["ir.model.data"].search([
            ("module", "in", ["credit_relance", "credit_litige", "credit_community"]), ("model", "=", "ir.ui.menu"),
        ]).mapped("complete_name"))
        relance_menus = {name for name in declared if name.startswith("credit_relance.")}
        self.assertFalse(relance_menus - set(rows), "credit_relance menus missing from the MENUS table")
        for profile in header:
            visible = self._shown_menus(self.users[profile])
            for xmlid, expected in rows.items():
                menu = self.env.ref(xmlid, raise_if_not_found=False)
                if not menu:
                    continue
                with self.subTest(menu=xmlid, profile=profile):
                    self.assertEqual("x" if menu in visible else "-", expected[profile])
        # litige and community menus hang under the Credit root: hidden from users without a credit group
        user_visible = self._shown_menus(self.users["user"])
        for xmlid in declared:
            self.assertNotIn(self.env.ref(xmlid), user_visible, xmlid)
        for profile in ("portal", "public"):
            with self.subTest(profile=profile), self.assertRaises(AccessError):
                self.env["ir.ui.menu"].with_user(self.users[profile])._visible_menu_ids()
