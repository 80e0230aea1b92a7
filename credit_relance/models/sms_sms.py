from odoo import models


class SmsSms(models.Model):
    _inherit = "sms.sms"

    def _send(self, unlink_failed=False, unlink_sent=True, raise_exception=False):
        result = super()._send(unlink_failed=unlink_failed, unlink_sent=unlink_sent, raise_exception=raise_exception)
        self._credit_report_failures()
        return result

    def _update_sms_state_and_trackers(self, new_state, failure_type=None):
        result = super()._update_sms_state_and_trackers(new_state, failure_type=failure_type)
        if new_state == "error":
            self._credit_report_failures()
        return result

    def _credit_report_failures(self):
        """An SMS reminder the provider refused puts its dunning action in error."""
        failed = self.exists().filtered(lambda sms: sms.state == "error" and sms.mail_message_id)
        labels = dict(self._fields["failure_type"]._description_selection(self.env))
        for sms in failed:
            self.env["credit.relance.action"]._set_error_from_messages(
                sms.mail_message_id, labels.get(sms.failure_type, sms.failure_type or "error"))
