from odoo import models

# the gateway down or out of credit may work later; a bad number or an opt-out will not
TRANSIENT_FAILURES = {"sms_server", "sms_credit", "unknown"}


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
        """An SMS reminder the provider refused puts its dunning action in error, retried when it may pass."""
        # sudo: the SMS queue and the delivery reports run as any user; only our reminders' state is read
        failed = self.sudo().exists().filtered(lambda sms: sms.state == "error" and sms.mail_message_id)
        labels = dict(self._fields["failure_type"]._description_selection(self.env))
        for failure_type, sms_list in failed.grouped("failure_type").items():
            reason = labels.get(failure_type, failure_type or "error")
            self.env["credit.relance.action"]._set_error_from_messages(
                sms_list.mail_message_id, reason, transient=failure_type in TRANSIENT_FAILURES,
                text=self.env._("The SMS could not be delivered: %(reason)s", reason=reason),
            )
