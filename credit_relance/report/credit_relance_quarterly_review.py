from datetime import timedelta

from odoo import api, fields, models

from ..tools import behaviour as bh
from ..tools import kpi


class ReportCreditRelanceQuarterlyReview(models.AbstractModel):
    """Quarterly credit review: the figures a credit manager brings to the review meeting.

    Rendered for ``credit.relance.review.wizard`` records (quarter, company, optional
    collector). The promises and disputes sections read models of other modules when they are
    installed and are left out otherwise.
    """

    _name = "report.credit_relance.report_quarterly_review"
    _description = "Quarterly credit review"

    @api.model
    def _get_report_values(self, docids, data=None):
        reviews = self.env["credit.relance.review.wizard"].browse(docids)
        return {
            "doc_ids": docids,
            "doc_model": "credit.relance.review.wizard",
            "docs": reviews,
            "reviews": {review.id: self._get_review(review) for review in reviews},
            "aging_buckets": kpi.AGING_BUCKETS[1:],
        }

    @api.model
    def _get_review(self, review):
        """All sections of one review as plain values for the template."""
        Kpi = self.env["credit.relance.kpi"]
        months = kpi.quarter_months(review.year, int(review.quarter))
        date_from, date_to = months[0], bh.add_months(months[-1], 1) - timedelta(days=1)
        domain = Kpi._get_kpi_domain(review.company_id, review.collector_id)
        figures = Kpi._get_period_kpis(domain, months)
        # a quarter still running is reviewed at the current month
        last_month = min(months[-1], fields.Date.context_today(self).replace(day=1))
        return {
            "months": months,
            "date_from": date_from,
            "date_to": date_to,
            "figures": figures,
            "top_overdue": Kpi._get_top_overdue(domain, last_month),
            "overdue_by_status": Kpi._get_overdue_by_status(domain, last_month),
            "disputes": self._get_disputes(review, date_from, date_to),
            "promises": self._get_promises(review, date_from, date_to),
            "scenarios": self._get_scenario_results(review, date_from, date_to),
        }

    @api.model
    def _count_by(self, model_name, domain, groupby):
        """``[(label, count)]`` of ``model_name`` records grouped by ``groupby``, or None when the model or
        the field does not exist in this database."""
        if model_name not in self.env or groupby not in self.env[model_name]._fields:
            return None
        Model = self.env[model_name]
        field = Model._fields[groupby]
        groups = Model._read_group(domain, [groupby], ["__count"])
        if field.type == "selection":
            labels = dict(field._description_selection(self.env))
            return [(labels.get(value, value or ""), count) for value, count in groups]
        return [(value.display_name if hasattr(value, "display_name") else value, count) for value, count in groups]

    @api.model
    def _partner_domain(self, review, field="partner_id"):
        domain = []
        if review.collector_id:
            domain.append((f"{field}.commercial_partner_id.credit_collector_id", "=", review.collector_id.id))
        return domain

    @api.model
    def _get_disputes(self, review, date_from, date_to):
        """Disputes opened and closed in the quarter, when the dispute module is installed."""
        if "credit.litige" not in self.env:
            return None
        Litige = self.env["credit.litige"]
        base = [("company_id", "=", review.company_id.id)] if "company_id" in Litige._fields else []
        base += self._partner_domain(review) if "partner_id" in Litige._fields else []
        opened = Litige.search_count(base + [("create_date", ">=", date_from), ("create_date", "<", date_to)])
        closed = None
        if "date_closed" in Litige._fields:
            closed = Litige.search_count(base + [("date_closed", ">=", date_from), ("date_closed", "<=", date_to)])
        return {"opened": opened, "closed": closed}

    @api.model
    def _get_promises(self, review, date_from, date_to):
        """Promises to pay of the quarter by state, when the promise model exists."""
        if "credit.relance.promise" not in self.env:
            return None
        Promise = self.env["credit.relance.promise"]
        base = [("company_id", "=", review.company_id.id)] if "company_id" in Promise._fields else []
        base += self._partner_domain(review) if "partner_id" in Promise._fields else []
        base += [("create_date", ">=", date_from), ("create_date", "<", date_to)]
        return self._count_by("credit.relance.promise", base, "state") or [
            (self.env._("Promises"), Promise.search_count(base))
        ]

    @api.model
    def _get_scenario_results(self, review, date_from, date_to):
        """Dunning actions done in the quarter per scenario and channel: ``[(scenario, channel, count, amount)]``."""
        Action = self.env["credit.relance.action"]
        domain = [
            ("company_id", "=", review.company_id.id),
            ("state", "=", "done"),
            ("planned_date", ">=", date_from),
            ("planned_date", "<=", date_to),
        ] + self._partner_domain(review)
        channels = dict(Action._fields["channel"]._description_selection(self.env))
        return [
            (scenario.display_name or self.env._("Without scenario"), channels.get(channel, channel), count, amount)
            for scenario, channel, count, amount in Action._read_group(
                domain, ["scenario_id", "channel"], ["__count", "amount_total:sum"]
            )
        ]
