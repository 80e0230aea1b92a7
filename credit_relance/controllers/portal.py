from odoo import http
from odoo.exceptions import AccessError, MissingError
from odoo.http import request

from odoo.addons.account_payment.controllers.portal import PortalAccount


class CreditRelancePortal(PortalAccount):
    """Customer side of dunning on the invoice portal: how late, the reminders received, a promise to pay.

    Every route checks the invoice with ``_document_check_access`` (the invoice's access token, or
    a portal user allowed to read it) before it reads anything with ``sudo``.
    """

    def _invoice_get_page_view_values(self, invoice, access_token, payment=False, **kwargs):
        values = super()._invoice_get_page_view_values(invoice, access_token, payment=payment, **kwargs)
        # sudo: ``invoice`` was checked by _document_check_access (portal_my_invoice_detail); the
        # customer sees the dunning of this invoice only, which portal users cannot read
        invoice_sudo = invoice.sudo()
        values.update(invoice_sudo._credit_get_portal_values())
        values["credit_promise_error"] = kwargs.get("credit_promise_error")
        values["credit_promise_done"] = kwargs.get("credit_promise") == "done"
        values["credit_logged_in"] = not request.env.user._is_public()
        return values

    @http.route(["/my/invoices/<int:invoice_id>/promise"], type="http", auth="public", methods=["POST"],
                website=True)
    def portal_invoice_promise(self, invoice_id, access_token=None, date=None, amount=None, message=None,
                               **kwargs):
        """Record the customer's promise to pay the invoice (date, amount, message); dunning pauses."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        user = request.env.user
        author = user.partner_id if not user._is_public() else invoice_sudo.partner_id
        # sudo: access to the invoice was checked above; customers may not create promises,
        # the promise is recorded on their behalf
        Promise = request.env["credit.relance.promise"].sudo()
        error = Promise._get_portal_promise_error(invoice_sudo, date, amount)
        if error:
            return request.redirect(invoice_sudo.get_portal_url(query_string=f"&credit_promise_error={error}"))
        Promise._create_from_portal(invoice_sudo, date, amount, message, author)
        return request.redirect(invoice_sudo.get_portal_url(query_string="&credit_promise=done"))

    @http.route(["/my/invoices/<int:invoice_id>/reminders/<int:line_id>"], type="http", auth="public",
                methods=["GET"], website=True)
    def portal_invoice_reminder_document(self, invoice_id, line_id, access_token=None, **kwargs):
        """Download the letter of a reminder the customer received about the invoice."""
        try:
            invoice_sudo = self._document_check_access("account.move", invoice_id, access_token)
        except (AccessError, MissingError):
            raise request.not_found() from None
        # sudo: the invoice is checked above and the reminder must be one of its done reminders
        line = invoice_sudo._credit_get_reminder_lines().filtered(lambda rec: rec.id == line_id)
        attachment = line.action_id.attachment_ids[:1]
        if not attachment:
            raise request.not_found()
        return request.env["ir.binary"]._get_stream_from(attachment).get_response(as_attachment=True)
