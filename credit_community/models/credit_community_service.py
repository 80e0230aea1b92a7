import datetime
import hashlib
import json
import logging
from collections import defaultdict

import requests
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..tools import aggregate, behaviour, payload
from .credit_community_member import hash_api_key

_logger = logging.getLogger(__name__)

TIMEOUT = 30
API_PREFIX = "/credit_community/v1"


class CreditCommunityService(models.AbstractModel):
    """The community engine: hub side (enrol, receive, aggregate, publish, purge) and member
    side (compute behaviour, build and send batches, read scores, alert).

    Controllers, crons, wizards and buttons only collect input and call these methods; the
    arithmetic lives in ``credit_community/tools``.
    """

    _name = "credit.community.service"
    _description = "Community engine"

    # ------------------------------------------------------------------ hub

    @api.model
    def _hub_enabled(self):
        # sudo: the API runs without a user; the role of the companies decides if this is a hub
        return bool(self.env["res.company"].sudo().search_count(
            [("credit_community_role", "in", ("hub", "both"))], limit=1))

    @api.model
    def _hub_params(self):
        # sudo: hub settings are read by the API, which runs without a user
        params = self.env["ir.config_parameter"].sudo()

        def number(name, default, kind=int):
            try:
                return kind(params.get_param(name, default))
            except (TypeError, ValueError):
                return default

        return {
            "min_members": max(aggregate.MIN_MEMBERS, number("credit_community.min_members", aggregate.MIN_MEMBERS)),
            "max_member_share": number("credit_community.max_member_share", aggregate.MAX_MEMBER_SHARE, float),
            "retention_months": max(1, number("credit_community.retention_months", 24)),
            "rate_limit": max(1, number("credit_community.rate_limit", 60)),
            "max_items": max(1, min(payload.MAX_ITEMS, number("credit_community.max_items", payload.MAX_ITEMS))),
        }

    @api.model
    def _hub_authenticate(self, token):
        """The active member owning the API key ``token``, or an empty recordset."""
        # sudo: looking the key up is the authentication itself; no user is logged in
        Member = self.env["credit.community.member"].sudo()
        if not token or not token.startswith("ccm_") or len(token) > 128:
            return Member
        return Member.search([("api_key_hash", "=", hash_api_key(token)), ("active", "=", True)], limit=1)

    @api.model
    def _hub_check_rate(self, member, now=None):
        """Count one request of ``member`` in the current minute; False when over the limit.

        One atomic UPDATE: concurrent requests of the same key cannot both pass the limit.
        """
        minute = (now or fields.Datetime.now()).strftime("%Y-%m-%d %H:%M")
        self.env.cr.execute(SQL(
            """UPDATE credit_community_member
                  SET rate_count = CASE WHEN rate_minute = %(minute)s THEN rate_count + 1 ELSE 1 END,
                      rate_minute = %(minute)s
                WHERE id = %(id)s
            RETURNING rate_count""",
            minute=minute, id=member.id,
        ))
        count = self.env.cr.fetchone()[0]
        member.invalidate_recordset(["rate_count", "rate_minute"])
        return count <= self._hub_params()["rate_limit"]

    @api.model
    def _hub_enrol(self, code):
        """Exchange an enrolment code for a new API key, once. Return the key or ``None``."""
        # sudo: the one-time code is the caller's only credential
        member = self.env["credit.community.member"].sudo().search([("enrolment_code", "=", code)], limit=1)
        if not member:
            return None
        key = member._new_api_key()
        member.write({"enrolment_code": False, "enrolled_at": fields.Datetime.now()})
        return key

    @api.model
    def _hub_receive(self, member, batch_id, period_end, items):
        """Store a validated batch of ``member``; idempotent on ``batch_id``.

        :return: ``{"status": "accepted" | "duplicate", "batch_id", "items"}``
        """
        self.env.flush_all()
        cr = self.env.cr
        cr.execute(SQL(
            """INSERT INTO credit_community_batch
                      (name, member_id, period_end, item_count, state, received_at,
                       create_uid, create_date, write_uid, write_date)
               VALUES (%(name)s, %(member)s, %(period_end)s, %(count)s, 'done', now() at time zone 'UTC',
                       %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC')
               ON CONFLICT (member_id, name) DO NOTHING
            RETURNING id""",
            name=batch_id, member=member.id, period_end=period_end, count=len(items), uid=self.env.uid,
        ))
        row = cr.fetchone()
        if not row:
            # sudo: hub records, read for the authenticated member's own batch only
            previous = self.env["credit.community.batch"].sudo().search(
                [("member_id", "=", member.id), ("name", "=", batch_id)], limit=1)
            return {"status": "duplicate", "batch_id": batch_id, "items": previous.item_count}
        values = SQL(", ").join(
            SQL("(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", member.id, item["key"], period_end, item["paid_count"],
                item["amount_band"], item["avg_days_late"], item["share_late"], item["share_disputed"],
                item["trend"], row[0])
            for item in items
        )
        # One statement for the whole batch: a member's new figures replace its previous ones
        cr.execute(SQL(
            """INSERT INTO credit_community_contribution
                      (member_id, key, period_end, paid_count, amount_band, avg_days_late, share_late,
                       share_disputed, trend, batch_id, received_at, create_uid, create_date, write_uid, write_date)
               SELECT v.member_id, v.key, v.period_end::date, v.paid_count, v.amount_band, v.avg_days_late,
                      v.share_late, v.share_disputed, v.trend, v.batch_id, now() at time zone 'UTC',
                      %(uid)s, now() at time zone 'UTC', %(uid)s, now() at time zone 'UTC'
                 FROM (VALUES %(values)s) AS v(member_id, key, period_end, paid_count, amount_band, avg_days_late,
                                              share_late, share_disputed, trend, batch_id)
               ON CONFLICT (member_id, key) DO UPDATE
                  SET period_end = EXCLUDED.period_end, paid_count = EXCLUDED.paid_count,
                      amount_band = EXCLUDED.amount_band, avg_days_late = EXCLUDED.avg_days_late,
                      share_late = EXCLUDED.share_late, share_disputed = EXCLUDED.share_disputed,
                      trend = EXCLUDED.trend, batch_id = EXCLUDED.batch_id, received_at = EXCLUDED.received_at,
                      write_uid = EXCLUDED.write_uid, write_date = EXCLUDED.write_date""",
            uid=self.env.uid, values=values,
        ))
        self.env["credit.community.contribution"].invalidate_model()
        self.env["credit.community.batch"].invalidate_model()
        return {"status": "accepted", "batch_id": batch_id, "items": len(items)}

    @api.model
    def _hub_published(self, keys):
        """Published figures of each key, ``{key: figures or None}``, from one query."""
        params = self._hub_params()
        # sudo: raw contributions are aggregated here and never returned as such
        rows = self.env["credit.community.contribution"].sudo().search_fetch(
            [("key", "in", list(keys)), ("member_id.active", "=", True)],
            ["member_id", "key", "paid_count", "amount_band", "avg_days_late", "share_late", "share_disputed", "trend"],
            order="received_at, id",
        )
        by_key = defaultdict(list)
        for row in rows:
            by_key[row.key].append({
                "member": row.member_id.id, "paid_count": row.paid_count, "amount_band": row.amount_band,
                "avg_days_late": row.avg_days_late, "share_late": row.share_late,
                "share_disputed": row.share_disputed, "trend": row.trend,
            })
        result = {}
        for key in keys:
            # every key goes through the same aggregation, known or not, so that timing does not
            # tell an unknown identifier from one below K
            figures, _reason = aggregate.aggregate(
                by_key.get(key, []), min_members=params["min_members"], max_member_share=params["max_member_share"])
            result[key] = figures
        return result

    @api.model
    def _hub_scores(self, member, keys):
        """Answer a score request of ``member`` and audit it. Same shape for every key."""
        published = self._hub_published(keys)
        results = []
        for key in keys:
            figures = published[key]
            results.append({
                "key": key,
                "published": bool(figures),
                "score": figures["score"] if figures else None,
                "contributors_band": figures["contributors_band"] if figures else None,
                "figures": {k: v for k, v in figures.items() if k not in ("score", "contributors_band")}
                if figures else None,
            })
        # sudo: the audit of reads is written by the hub, not by the caller
        self.env["credit.community.read.log"].sudo().create({
            "member_id": member.id,
            "key_count": len(keys),
            "published_count": sum(1 for r in results if r["published"]),
            "keys": "\n".join(keys),
        })
        return {"date": fields.Date.to_string(fields.Date.context_today(self)), "results": results}

    @api.model
    def _cron_hub_purge(self):
        """Delete contributions, batches and read logs older than the retention setting."""
        # sudo: retention applies to every hub record, whoever runs the job
        limit = fields.Datetime.now() - relativedelta(months=self._hub_params()["retention_months"])
        self.env["credit.community.contribution"].sudo().search([("received_at", "<", limit)]).unlink()
        self.env["credit.community.batch"].sudo().search([("received_at", "<", limit)]).unlink()
        self.env["credit.community.read.log"].sudo().search([("create_date", "<", limit)]).unlink()

    # ------------------------------------------------------------------ member

    @api.model
    def _member_invoice_rows(self, company, partner_ids, on_date):
        """Paid customer invoices of ``company`` for these commercial partners, paid in the
        12 months before ``on_date``: one set-based query.

        The payment date of an invoice is the latest date of its reconciliations.
        """
        if not partner_ids:
            return []
        start = on_date - datetime.timedelta(days=behaviour.WINDOW_DAYS)
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """SELECT move.commercial_partner_id, ABS(move.amount_total_signed), move.invoice_date_due,
                      MAX(part.max_date), COALESCE(status.category = 'dispute', FALSE)
                 FROM account_move move
                 JOIN account_move_line line ON line.move_id = move.id AND line.display_type = 'payment_term'
                 JOIN account_partial_reconcile part ON part.debit_move_id = line.id
            LEFT JOIN credit_relance_status status ON status.id = move.credit_status_id
                WHERE move.move_type = 'out_invoice'
                  AND move.state = 'posted'
                  AND move.payment_state IN ('paid', 'in_payment')
                  AND move.company_id = %(company)s
                  AND move.commercial_partner_id = ANY(%(partners)s)
             GROUP BY move.id, status.category
               HAVING MAX(part.max_date) > %(start)s AND MAX(part.max_date) <= %(end)s""",
            company=company.id, partners=list(partner_ids), start=start, end=on_date,
        ))
        return [
            {"partner_id": partner_id, "amount": amount, "due_date": due, "paid_date": paid, "disputed": disputed}
            for partner_id, amount, due, paid, disputed in self.env.cr.fetchall()
        ]

    @api.model
    def _member_behaviour(self, company, partners, on_date=None):
        """``{commercial partner id: figures}`` of our own customers (see tools/behaviour.py)."""
        on_date = on_date or fields.Date.context_today(self)
        rows = defaultdict(list)
        for row in self._member_invoice_rows(company, partners.ids, on_date):
            rows[row["partner_id"]].append(row)
        return {pid: behaviour.summarise(invoices, on_date) for pid, invoices in rows.items()}

    @api.model
    def _get_shareable_partners_domain(self, company):
        """Customers that may be shared: companies (never individuals) with a valid identifier."""
        return [
            ("is_company", "=", True),
            ("credit_community_key", "!=", False),
            ("company_id", "in", (False, company.id)),
        ]

    @api.model
    def _member_prepare_batches(self, company, on_date=None):
        """The exact JSON bodies to send for ``company``: lists of at most 1000 items.

        Customers sharing one identifier (duplicates) are merged. The batch id is a hash of
        the content, so sending the same figures twice is recognised by the hub.
        """
        on_date = on_date or fields.Date.context_today(self)
        partners = self.env["res.partner"].with_context(active_test=False).search_fetch(
            self._get_shareable_partners_domain(company), ["credit_community_key"])
        key_of = {partner.id: partner.credit_community_key for partner in partners}
        by_key = defaultdict(list)
        for row in self._member_invoice_rows(company, partners.ids, on_date):
            by_key[key_of[row["partner_id"]]].append(row)
        items = []
        for key in sorted(by_key):
            figures = behaviour.summarise(by_key[key], on_date)
            if figures:
                items.append({"key": key, **figures})
        batches = []
        for start in range(0, len(items), payload.MAX_ITEMS):
            chunk = items[start:start + payload.MAX_ITEMS]
            body = {"period_end": fields.Date.to_string(on_date), "items": chunk}
            digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()[:40]
            batches.append({"batch_id": digest, **body})
        return batches

    @api.model
    def _member_request(self, company, path, body, operation, batch_ref=None, item_count=0, api_key=None):
        """POST ``body`` to the hub, write the audit log, return ``(log, status, answer)``."""
        # sudo: the hub URL and key are restricted to administrators; the exchange is audited
        company_sudo = company.sudo()
        url = (company_sudo.credit_community_hub_url or "").rstrip("/")
        key = api_key if api_key is not None else company_sudo.credit_community_api_key
        text = json.dumps(body, sort_keys=True)
        status, answer, error = 0, None, None
        if not url:
            error = self.env._("No hub URL is set.")
        else:
            headers = {"Content-Type": "application/json"}
            if key:
                headers["Authorization"] = f"Bearer {key}"
            try:
                response = requests.post(url + API_PREFIX + path, data=text.encode(), headers=headers, timeout=TIMEOUT)
                status = response.status_code
                try:
                    answer = response.json()
                except ValueError:
                    error = self.env._("The hub answered %(status)s without JSON.", status=status)
            except requests.RequestException as exc:
                error = self.env._("The hub cannot be reached: %(error)s", error=exc)
        if not error and status >= 400:
            err = (answer or {}).get("error") or {}
            error = self.env._("The hub refused the request (%(status)s %(code)s): %(message)s",
                               status=status, code=err.get("code", ""), message=err.get("message", ""))
        state = "error" if error else ("duplicate" if (answer or {}).get("status") == "duplicate" else "success")
        # sudo: the audit log is written by the system; users only read it
        log = self.env["credit.community.sync.log"].sudo().create({
            "company_id": company.id,
            "operation": operation,
            "batch_ref": batch_ref,
            "item_count": item_count,
            "state": state,
            "http_status": status,
            # secrets (enrolment code, API key) never reach the audit log
            "payload": text if operation != "enrol" else json.dumps({"code": "***"}),
            "response": error or json.dumps(
                dict(answer, api_key="***") if "api_key" in (answer or {}) else answer, sort_keys=True),
        })
        return log, status, (None if error else answer), error

    @api.model
    def _member_enrol(self, company, hub_url, code):
        """Enrol ``company`` at the hub with the enrolment code; store the API key received."""
        if not hub_url or not code:
            raise UserError(self.env._("Enter the hub URL and the enrolment code the hub manager gave you."))
        # sudo: hub URL and API key are settings restricted to administrators
        company.sudo().credit_community_hub_url = hub_url
        _log, _status, answer, error = self._member_request(company, "/enrol", {"code": code}, "enrol", api_key="")
        if error or not (answer or {}).get("api_key"):
            raise UserError(error or self.env._("The hub did not return an API key."))
        # sudo: the API key is restricted to administrators
        company.sudo().write({
            "credit_community_api_key": answer["api_key"],
            "credit_community_role": "both" if company.credit_community_role in ("hub", "both") else "member",
        })
        return True

    @api.model
    def _member_send(self, company, batches, raise_on_error=False):
        """Send prepared batches (exactly these bodies) and return the audit logs."""
        if not company.credit_community_optin:
            raise UserError(self.env._("%(company)s has not opted in to share payment behaviour.",
                                       company=company.name))
        logs = self.env["credit.community.sync.log"]
        for body in batches:
            log, _status, _answer, error = self._member_request(
                company, "/contributions", body, "contribute",
                batch_ref=body["batch_id"], item_count=len(body["items"]))
            logs |= log
            if error and raise_on_error:
                raise UserError(error)
        return logs

    @api.model
    def _member_contribute(self, company, raise_on_error=False):
        return self._member_send(company, self._member_prepare_batches(company), raise_on_error=raise_on_error)

    @api.model
    def _member_fetch_scores(self, company, partners=None, raise_on_error=False):
        """Read community scores of ``partners`` (default: all shareable customers) from the hub,
        store them on the customers and alert on sharp drops."""
        if partners is None:
            partners = self.env["res.partner"].search(self._get_shareable_partners_domain(company))
        partners = partners.commercial_partner_id.filtered("credit_community_key")
        keys = sorted(set(partners.mapped("credit_community_key")))
        results = {}
        for start in range(0, len(keys), payload.MAX_ITEMS):
            chunk = keys[start:start + payload.MAX_ITEMS]
            _log, _status, answer, error = self._member_request(
                company, "/scores", {"keys": chunk}, "read", item_count=len(chunk))
            if error:
                if raise_on_error:
                    raise UserError(error)
                return False
            for result in answer.get("results", []):
                results[result["key"]] = result
        self._member_store_scores(company, partners, results, fields.Date.context_today(self))
        return True

    @api.model
    def _member_store_scores(self, company, partners, results, on_date):
        """Write the hub's answers on the customers in one statement, then raise the alerts."""
        drop = company.credit_community_score_drop or 15
        previous = {partner.id: partner.credit_community_score for partner in partners}
        rows = []
        for partner in partners:
            result = results.get(partner.credit_community_key) or {}
            if result.get("published"):
                figures = dict(result.get("figures") or {}, score=result["score"],
                               contributors_band=result.get("contributors_band"))
                rows.append((partner.id, int(result["score"]), on_date, json.dumps(figures, sort_keys=True),
                             result.get("contributors_band")))
            else:
                rows.append((partner.id, 0, None, None, None))
        if not rows:
            return
        self.env.flush_all()
        self.env.cr.execute(SQL(
            """UPDATE res_partner p
                  SET credit_community_score = v.score, credit_community_date = v.day::date,
                      credit_community_figures = v.figures, credit_community_contributors_band = v.band
                 FROM (VALUES %s) AS v(id, score, day, figures, band)
                WHERE p.id = v.id""",
            SQL(", ").join(SQL("(%s, %s, %s, %s, %s)", *row) for row in rows),
        ))
        self.env["res.partner"].invalidate_model([
            "credit_community_score", "credit_community_date", "credit_community_figures",
            "credit_community_contributors_band",
        ])
        dropped = partners.filtered(
            lambda p: previous[p.id] and p.credit_community_score
            and previous[p.id] - p.credit_community_score >= drop)
        self._member_alert_drops(dropped, previous)

    @api.model
    def _member_alert_drops(self, partners, previous):
        """A to-do for each customer whose community score dropped sharply: for its collector,
        else the administrator."""
        if not partners:
            return
        admin = self.env.ref("base.user_admin", raise_if_not_found=False) or self.env.user
        activity_type = self.env.ref("mail.mail_activity_data_todo", raise_if_not_found=False)
        model_id = self.env["ir.model"]._get_id("res.partner")
        # sudo: alerts are raised by the daily job or a button for any collector
        self.env["mail.activity"].sudo().create([{
            "res_model_id": model_id,
            "res_id": partner.id,
            "activity_type_id": activity_type.id if activity_type else False,
            "user_id": (partner.credit_collector_id or admin).id,
            "summary": self.env._("Community score dropped from %(old)s to %(new)s",
                                  old=previous[partner.id], new=partner.credit_community_score),
        } for partner in partners])

    @api.model
    def _cron_member_sync(self):
        """Daily: every opted-in member company sends its batch, then reads its customers' scores."""
        companies = self.env["res.company"].search([("credit_community_role", "in", ("member", "both"))])
        for company in companies:
            if company.credit_community_optin:
                self._member_contribute(company)
            self._member_fetch_scores(company)
