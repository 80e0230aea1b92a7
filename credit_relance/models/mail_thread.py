from odoo import models


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    def _routing_handle_bounce(self, email_message, message_dict):
        """A bounced reminder puts its dunning action in error."""
        result = super()._routing_handle_bounce(email_message, message_dict)
        bounced_message = message_dict.get("bounced_message")
        if bounced_message:
            reason = self.env._("The e-mail to %(email)s bounced.", email=message_dict.get("bounced_email"))
            self.env["credit.relance.action"]._set_error_from_messages(bounced_message, reason)
        return result
