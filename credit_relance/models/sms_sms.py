from odoo import models

# the gateway down or out of credit may work later; a bad number or an opt-out will not
TRANSIENT_FAILURES = {"sms_server", "sms_credit", "unknown"}


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        """A reminder SMS refused by the gateway puts its dunning action in error, with the reason."""
        result = super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        # sudo: the SMS queue runs as any user; only the state of our own reminders is read
        failed = self.sudo().exists().filtered(lambda sms: sms.state == "error" and sms.mail_message_id)
        labels = dict(self._fields["failure_type"]._description_selection(self.env))
        for failure_type, sms_list in failed.grouped("failure_type").items():
            reason = labels.get(failure_type, failure_type or "")
            self.env["credit.relance.action"]._set_error_from_messages(
                sms_list.mail_message_id, reason, transient=failure_type in TRANSIENT_FAILURES,
                text=self.env._("The SMS could not be sent: %(reason)s", reason=reason),
            )
        return result
