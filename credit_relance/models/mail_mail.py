from odoo import models

TRANSIENT_FAILURES = {"mail_smtp", "unknown"}


class MailMail(models.Model):
    _inherit = "mail.mail"

    def _postprocess_sent_message(self, success_pids, failure_reason=False, failure_type=None):
        """A reminder that could not be sent puts its dunning action in error, with the reason."""
        if failure_type:
            for mail in self.filtered("mail_message_id"):
                # a server refusing or timing out may work later; a bad address or a bounce will not
                self.env["credit.relance.action"]._set_error_from_messages(
                    mail.mail_message_id, failure_reason or mail.failure_reason or failure_type,
                    transient=failure_type in TRANSIENT_FAILURES)
        return super()._postprocess_sent_message(
            success_pids, failure_reason=failure_reason, failure_type=failure_type)
