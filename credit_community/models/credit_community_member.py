import hashlib
import secrets

from odoo import api, fields, models

KEY_PREFIX = "ccm_"


def hash_api_key(key):
    """SHA-256 of an API key.

    Keys are 256-bit random tokens, so a fast hash is enough (no dictionary to brute-force,
    as for GitHub tokens) and lets the hub find the key with one indexed equality lookup.
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


class CreditCommunityMember(models.Model):
    """A supplier database enrolled at this hub.

    The hub manager creates the member and hands its enrolment code to the supplier, whose
    database exchanges it once for an API key (``POST /credit_community/v1/enrol``); or the hub
    manager issues a key by hand (shown once). Only the key's hash is stored. Revoking a key
    archives the member: its requests are refused at once (401).
    """

    _name = "credit.community.member"
    _description = "Community hub member"
    _order = "name, id"

    _sql_constraints = [
        ("api_key_hash_uniq", "unique(api_key_hash)", "An API key belongs to one member."),
        ("enrolment_code_uniq", "unique(enrolment_code)", "An enrolment code belongs to one member."),
    ]

    name = fields.Char(required=True, help="For the hub manager only; never published.")
    active = fields.Boolean(default=True)
    enrolment_code = fields.Char(
        copy=False, readonly=True, default=lambda self: self._default_enrolment_code(),
        help="Give this code to the member: its database exchanges it once for an API key.",
    )
    enrolled_at = fields.Datetime(readonly=True, copy=False)
    api_key_hash = fields.Char(readonly=True, copy=False, index=True, groups="base.group_system")
    has_api_key = fields.Boolean(compute="_compute_has_api_key", string="Has an API key")
    revoked_at = fields.Datetime(readonly=True, copy=False)
    rate_minute = fields.Char(readonly=True, copy=False, help="Minute of the current rate-limit window (UTC).")
    rate_count = fields.Integer(readonly=True, copy=False, help="Requests in the current rate-limit window.")
    contribution_ids = fields.One2many("credit.community.contribution", "member_id", string="Contributions")
    contribution_count = fields.Integer(compute="_compute_contribution_count")
    batch_ids = fields.One2many("credit.community.batch", "member_id", string="Batches")
    read_log_ids = fields.One2many("credit.community.read.log", "member_id", string="Reads")

    def _default_enrolment_code(self):
        return secrets.token_urlsafe(12)

    @api.depends("revoked_at", "enrolled_at")
    def _compute_has_api_key(self):
        # sudo: the hash itself is restricted to administrators; only its presence is shown
        hashes = {member.id: member.api_key_hash for member in self.sudo()}
        for member in self:
            member.has_api_key = bool(hashes.get(member.id))

    def _compute_contribution_count(self):
        counts = dict(self.env["credit.community.contribution"]._read_group(
            [("member_id", "in", self.ids)], ["member_id"], ["__count"]))
        for member in self:
            member.contribution_count = counts.get(member, 0)

    def _new_api_key(self):
        """Give the member a fresh API key (replacing any previous one) and return it in clear."""
        self.ensure_one()
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        # sudo: the hash field is restricted to administrators; hub managers may rotate keys
        self.sudo().write({"api_key_hash": hash_api_key(key), "revoked_at": False, "active": True})
        return key

    def action_issue_key(self):
        """Issue a new API key and show it once in a wizard."""
        self.ensure_one()
        wizard = self.env["credit.community.member.key"].create({"member_id": self.id, "api_key": self._new_api_key()})
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("API key of %(member)s", member=self.name),
            "res_model": "credit.community.member.key",
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_new_enrolment_code(self):
        for member in self:
            member.enrolment_code = self._default_enrolment_code()

    def action_revoke(self):
        """Revoke the members' keys: every request with them is refused from now on."""
        # sudo: clearing the restricted hash field
        self.sudo().write({"active": False, "revoked_at": fields.Datetime.now(), "enrolment_code": False})

    def action_view_contributions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("credit_community.credit_community_contribution_action")
        action["domain"] = [("member_id", "=", self.id)]
        return action
