import json

from odoo import api, fields, models

from ..tools import identifiers, score

ID_FIELDS = ("company_registry", "siret", "vat")


class ResPartner(models.Model):
    _inherit = "res.partner"

    credit_community_key = fields.Char(
        string="Community identifier", compute="_compute_credit_community_key", store=True, index="btree_not_null",
        help="Normalised legal identifier (SIREN, SIRET reduced to SIREN, or EU VAT number) under which the "
        "community knows this company. Individuals never have one.",
    )
    credit_community_score = fields.Integer(
        string="Community score", readonly=True, copy=False,
        help="0-100, in the spirit of PAYDEX: 100 pays early, 80 on terms, 50 thirty days late, 20 four months "
        "late or more. 0 = no published score.",
    )
    credit_community_date = fields.Date(string="Community score date", readonly=True, copy=False)
    credit_community_figures = fields.Text(string="Community figures (JSON)", readonly=True, copy=False)
    credit_community_contributors_band = fields.Char(string="Contributing suppliers", readonly=True, copy=False)
    credit_community_days_late = fields.Integer(
        string="Community days beyond terms", compute="_compute_credit_community_figure_fields")
    credit_community_share_late = fields.Float(
        string="Community share paid late", compute="_compute_credit_community_figure_fields")
    credit_community_share_disputed = fields.Float(
        string="Community share disputed", compute="_compute_credit_community_figure_fields")
    credit_community_trend = fields.Char(string="Community trend", compute="_compute_credit_community_figure_fields")
    credit_community_invoices_band = fields.Char(
        string="Community paid invoices", compute="_compute_credit_community_figure_fields")
    credit_community_own_paid_count = fields.Integer(
        string="Paid invoices (us, 12 months)", compute="_compute_credit_community_own")
    credit_community_own_days_late = fields.Float(
        string="Days beyond terms (us)", compute="_compute_credit_community_own", digits=(16, 1))
    credit_community_own_share_late = fields.Float(
        string="Share paid late (us)", compute="_compute_credit_community_own")
    credit_community_own_score = fields.Integer(string="Score with us", compute="_compute_credit_community_own")

    @api.depends(lambda self: ["is_company", *(name for name in ID_FIELDS if name in self._fields)])
    def _compute_credit_community_key(self):
        names = [name for name in ID_FIELDS if name in self._fields]
        for partner in self:
            key = False
            if partner.is_company:
                keys = (identifiers.community_key(partner[name]) for name in names if partner[name])
                key = next((k for k in keys if k), False)
            partner.credit_community_key = key

    @api.depends("credit_community_figures")
    def _compute_credit_community_figure_fields(self):
        for partner in self:
            try:
                figures = json.loads(partner.credit_community_figures or "{}")
            except ValueError:
                figures = {}
            partner.credit_community_days_late = figures.get("avg_days_late", 0)
            partner.credit_community_share_late = figures.get("share_late", 0.0)
            partner.credit_community_share_disputed = figures.get("share_disputed", 0.0)
            partner.credit_community_trend = figures.get("trend", False)
            partner.credit_community_invoices_band = figures.get("paid_invoices_band", False)

    @api.depends_context("company")
    def _compute_credit_community_own(self):
        partners = self.filtered("id")
        behaviour = self.env["credit.community.service"]._member_behaviour(
            self.env.company, partners.commercial_partner_id) if partners else {}
        for partner in self:
            figures = behaviour.get(partner.commercial_partner_id.id) or {}
            partner.credit_community_own_paid_count = figures.get("paid_count", 0)
            partner.credit_community_own_days_late = figures.get("avg_days_late", 0.0)
            partner.credit_community_own_share_late = figures.get("share_late", 0.0)
            partner.credit_community_own_score = (
                score.score_from_days(figures["avg_days_late"]) if figures else 0)

    def action_credit_community_refresh(self):
        """Fetch the community score of these customers from the hub now."""
        self.env["credit.community.service"]._member_fetch_scores(self.env.company, self, raise_on_error=True)
        return True
