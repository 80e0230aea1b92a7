import datetime

from freezegun import freeze_time

from .common import CreditLitigeCommon

D = datetime.date


@freeze_time("2026-03-02")
class TestAgendaDisputes(CreditLitigeCommon):
    @staticmethod
    def _coming_disputes(agenda):
        rows = {row["key"]: row for row in agenda["sections"][1]["rows"]}
        return rows["dispute"]["cells"]["coming"]

    def test_coming_disputes_are_those_whose_deadline_falls_due(self):
        soon = self._open_dispute(self.invoice_a1, date_deadline=D(2026, 3, 9))
        self._open_dispute(self.invoice_a2, date_deadline=D(2026, 3, 20))  # beyond the 10 days
        self._open_dispute(self.invoice_b1, date_deadline=D(2026, 3, 5), user_id=self.collector_2.id)
        Agenda = self.env["credit.relance.agenda"].with_user(self.collector)
        agenda = Agenda.get_agenda({})
        cell = self._coming_disputes(agenda)
        self.assertEqual(cell["res_model"], "credit.litige")
        self.assertEqual(self.env["credit.litige"].with_user(self.collector).search(cell["domain"]), soon)
        self.assertEqual(cell["count"], 1)
        # the filters on top apply
        self.assertEqual(self._coming_disputes(Agenda.get_agenda({"amount_min": 5000}))["count"], 0)
        everybody = self.env["credit.relance.agenda"].with_user(self.supervisor).get_agenda({"user_id": False})
        self.assertEqual(self._coming_disputes(everybody)["count"], 2)
        for section in agenda["sections"]:
            for row in section["rows"]:
                for key, each in row["cells"].items():
                    records = self.env[each["res_model"]].with_user(self.collector)
                    self.assertEqual(each["count"], records.search_count(each["domain"]), (row["key"], key))
