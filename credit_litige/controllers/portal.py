from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request
from odoo.tools import float_is_zero

from odoo.addons.account.controllers.portal import PortalAccount
from odoo.addons.portal.controllers.portal import pager as portal_pager

MAX_ATTACHMENT_SIZE = 10 * 1024 * 1024


class CreditLitigePortal(PortalAccount):
    """Customer side of disputes: contest an invoice, follow and discuss the dispute."""

    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "credit_litige_count" in counters:
            Litige = request.env["credit.litige"]
            values["credit_litige_count"] = Litige.search_count([]) if Litige.has_access("read") else 0
        return values

    def _invoice_get_page_view_values(self, invoice, access_token, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, **kwargs)
        # sudo: the invoice was checked by _document_check_access; the customer sees the
        # disputes of this invoice and the reasons they may choose
        values["credit_litiges"] = invoice.credit_litige_line_ids.sudo().litige_id
        # sudo: the reasons are the public choices of the contest form (portal users cannot list them)
        values["credit_litige_reasons"] = request.env["credit.litige.reason"].sudo().search(
            [("company_id", "in", [invoice.company_id.id, False])]
        )
        values["credit_litige_can_contest"] = (
            invoice.move_type == "out_invoice" and invoice.state == "posted"
            and not invoice.currency_id.is_zero(invoice.amount_residual)
        )
        values["credit_litige_error"] = kwargs.get("credit_litige_error")
        return values

    @http.route(["/my/invoices/<int:invoice_id>/dispute"], type="http", auth="public", methods=["POST"], website=True)
    def portal_invoice_dispute(self, invoice_id, access_token=None, reason_id=None, amount=None, message=None,
                               **kwargs):
        """Create a dispute on the invoice from the portal form, then show it."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        error = self._check_dispute_form(invoice_sudo, reason_id, amount)
        if error:
            return request.redirect(invoice_sudo.get_portal_url(query_string=f"&credit_litige_error={error}"))
        reason = request.env["credit.litige.reason"].sudo().browse(int(reason_id))
        amount = float(amount) if amount else invoice_sudo.amount_residual
        files = [
            (upload.filename, upload.read())
            for upload in request.httprequest.files.getlist("attachment") if upload.filename
        ]
        if any(len(content) > MAX_ATTACHMENT_SIZE for _name, content in files):
            return request.redirect(invoice_sudo.get_portal_url(query_string="&credit_litige_error=file"))
        user = request.env.user
        author = user.partner_id if not user._is_public() else invoice_sudo.partner_id
        # sudo: access to the invoice was checked above (token or portal user); the customer
        # may not create records, the dispute is created on their behalf
        litige = request.env["credit.litige"].sudo()._create_from_portal(
            invoice_sudo, reason, amount, message, author, attachments=files,
        )
        return request.redirect(litige.get_portal_url())

    def _check_dispute_form(self, invoice_sudo, reason_id, amount):
        """Return an error code for bad input on the contest form, or ``None``."""
        if invoice_sudo.move_type != "out_invoice" or invoice_sudo.state != "posted" or float_is_zero(
            invoice_sudo.amount_residual, precision_rounding=invoice_sudo.currency_id.rounding
        ):
            return "invoice"
        if not reason_id or not str(reason_id).isdigit():
            return "reason"
        # sudo: a reason is a public choice of the form; its company is checked against the invoice below
        reason = request.env["credit.litige.reason"].sudo().browse(int(reason_id)).exists()
        if not reason or not reason.active or (reason.company_id and reason.company_id != invoice_sudo.company_id):
            return "reason"
        if amount and not invoice_sudo._credit_is_valid_portal_amount(amount):
            return "amount"
        return None

    @http.route(["/my/disputes", "/my/disputes/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_disputes(self, page=1, **kwargs):
        values = self._prepare_portal_layout_values()
        Litige = request.env["credit.litige"]
        domain = []
        count = Litige.search_count(domain) if Litige.has_access("read") else 0
        pager = portal_pager(url="/my/disputes", total=count, page=page, step=self._items_per_page)
        litiges = Litige.search(domain, order="date_open desc, id desc", limit=self._items_per_page,
                                offset=pager["offset"]) if count else Litige
        request.session["my_disputes_history"] = litiges.ids[:100]
        values.update({"litiges": litiges, "pager": pager, "page_name": "credit_litige", "default_url": "/my/disputes"})
        return request.render("credit_litige.portal_my_disputes", values)

    @http.route(["/my/disputes/<int:litige_id>"], type="http", auth="public", website=True)
    def portal_my_dispute(self, litige_id, access_token=None, **kwargs):
        try:
            litige_sudo = self._document_check_access("credit.litige", litige_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        values = self._get_page_view_values(
            litige_sudo, access_token, {"page_name": "credit_litige", "litige": litige_sudo},
            "my_disputes_history", False, **kwargs,
        )
        return request.render("credit_litige.portal_my_dispute", values)
