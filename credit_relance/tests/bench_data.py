"""Set-based generation of customers and open invoices, for the benchmark and its test.

Used by the benchmark command (``tests/benchmarks`` at the top of the repository, through
``odoo.addons.credit_relance.tests.bench_data``) and checked by ``test_bench_data.py``. Odoo's
test loader ignores this module (its name does not start with ``test_``).

Creating invoices through the ORM runs at about 15 a second; 100,000 of them would take two
hours. The generator instead asks the ORM for ONE customer and ONE posted invoice (so every
column gets the value Odoo itself sets: journal, accounts, currency, sequence format, flags),
copies their rows into temporary tables, deletes them, then clones them with a few
``INSERT ... SELECT`` statements over ``generate_series``. Each column of the clones is the
template's, except:

- ids, names and sequence numbers, dates, the customer, payment term, salesperson and credit
  status, drawn per row;
- every column whose template value is the template's customer, invoice, name, e-mail, due
  date or invoice date, replaced by the clone's (``commercial_partner_id``, ``move_name``,
  ``payment_reference``, ``date_maturity``...);
- every monetary column, scaled by ``amount / template amount`` (lines stay balanced, residuals
  equal totals: the invoices are open and unpaid).

The spreads (aging buckets, amounts, payment terms, tags, statuses) are drawn by PostgreSQL's
``random()`` after ``setseed()``, so a given seed and size give the same data.
"""

import datetime
import logging
import time

from odoo import Command, fields
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

TEMPLATE_AMOUNT = 1000.0
TEMPLATE_PARTNER_NAME = "Bench template customer"
TEMPLATE_PARTNER_EMAIL = "bench-template-customer@example.com"
TEMPLATE_PARTNER_REF = "BENCH-TEMPLATE"

# Share of invoices per aging bucket, with its range of days past the due date. ``None``: not
# due yet (due within the payment term, so the invoice date is never in the future).
AGING_BUCKETS = [
    (0.35, None),
    (0.30, (1, 30)),
    (0.15, (31, 60)),
    (0.08, (61, 90)),
    (0.12, (91, 365)),
]
# Amounts are log-uniform between these bounds, skewed towards the small ones.
AMOUNT_MIN, AMOUNT_MAX, AMOUNT_SKEW = 40.0, 60000.0, 1.7
# Share of invoices carrying a credit status of each category (the rest: no status).
STATUS_SHARES = [("in_progress", 0.10), ("promise", 0.04), ("dispute", 0.03), ("litigation", 0.01)]
BLOCKED_SHARE = 0.005
DO_NOT_DUN_SHARE = 0.01
# Customer tags (res.partner.category) and the share of customers wearing each.
TAG_SHARES = [("Bench: strategic", 0.05), ("Bench: public sector", 0.10), ("Bench: recurring", 0.30),
              ("Bench: SME", 0.50)]
# Net payment terms drawn for the invoices, by days (those found in the database are used).
TERM_DAYS = (0, 15, 30, 45, 60)


class BenchDataGenerator:
    """Generate ``customers`` customers and ``invoices`` posted, unpaid customer invoices.

    :param env: an Odoo environment (superuser); data goes to ``env.company``
    :param today: the reference date of the aging buckets (default: today)
    :param seed: float in [-1, 1] for PostgreSQL's ``setseed``
    :param salesperson_ids: users spread over the customers as salespersons (default: none)
    """

    def __init__(self, env, today=None, seed=0.42, salesperson_ids=None):
        # sudo: a data-loading tool run by the benchmark and the tests, never on a user's behalf.
        self.env = env(su=True)
        self.cr = env.cr
        self.today = today or fields.Date.context_today(env["res.partner"])
        self.seed = seed
        self.salesperson_ids = list(salesperson_ids or [])
        self.company = env.company

    # ------------------------------------------------------------------ public

    def generate(self, customers, invoices):
        """Create the data; return a dict of figures (counts, seconds, invoices per bucket)."""
        if customers < 1 or invoices < 0:
            raise ValueError("customers must be >= 1 and invoices >= 0")
        started = time.perf_counter()
        env = self.env(context=dict(self.env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True))
        tag_ids = self._ensure_tags(env)
        status_by_category = self._ensure_statuses(env)
        terms = self._payment_terms(env)
        tpl_partner, tpl_move = self._create_templates(env)
        sequence = self._sequence_format(tpl_move)
        journal_id = tpl_move.journal_id.id
        self._copy_templates_and_delete(tpl_partner, tpl_move)
        self.cr.execute(SQL("SELECT setseed(%s)", self.seed))

        self._fill_partner_table(customers)
        self._insert_partners()
        self._insert_partner_tags(tag_ids)
        self._fill_invoice_table(customers, invoices, terms, status_by_category, sequence, journal_id)
        self._insert_moves()
        self._insert_move_lines()
        self.cr.execute(SQL("ANALYZE res_partner, account_move, account_move_line"))
        buckets = self._bucket_counts()
        self.cr.execute(SQL(
            "DROP TABLE bench_partner, bench_invoice, bench_tpl_partner, bench_tpl_move, bench_tpl_line"
        ))
        self.env.invalidate_all()
        return {
            "customers": customers,
            "invoices": invoices,
            "seconds": round(time.perf_counter() - started, 3),
            "aging_buckets": buckets,
        }

    # ------------------------------------------------------------ reference data

    def _ensure_tags(self, env):
        Category = env["res.partner.category"]
        ids = []
        for name, share in TAG_SHARES:
            tag = Category.search([("name", "=", name)], limit=1) or Category.create({"name": name})
            ids.append((tag.id, share))
        return ids

    def _ensure_statuses(self, env):
        """The first top-level status of each category, created when the category has none."""
        Status = env["credit.relance.status"]
        result = {}
        for category, _share in STATUS_SHARES:
            status = Status.search([("category", "=", category), ("parent_id", "=", False)], limit=1)
            if not status:
                status = Status.create({
                    "code": f"BENCH_{category.upper()}",
                    "name": category.replace("_", " ").capitalize(),
                    "category": category,
                    "pause_dunning": category in ("dispute", "litigation"),
                    "pause_until_date": category == "promise",
                })
            result[category] = status.id
        return result

    def _payment_terms(self, env):
        """``[(term id, days)]``: single-line net-days terms of TERM_DAYS, created if missing."""
        Term = env["account.payment.term"]
        terms = {}
        for term in Term.search([("company_id", "in", [False, self.company.id]), ("early_discount", "=", False)]):
            lines = term.line_ids
            if len(lines) == 1 and lines.delay_type == "days_after" and lines.value == "percent":
                terms.setdefault(lines.nb_days, term.id)
        for days in TERM_DAYS:
            if days not in terms:
                terms[days] = Term.create({
                    "name": f"Bench {days} days",
                    "line_ids": [Command.create({"value": "percent", "value_amount": 100.0, "nb_days": days})],
                }).id
        return [(terms[days], days) for days in TERM_DAYS]

    def _create_templates(self, env):
        country = env.ref("base.fr", raise_if_not_found=False)
        partner = env["res.partner"].create({
            "name": TEMPLATE_PARTNER_NAME,
            "email": TEMPLATE_PARTNER_EMAIL,
            "ref": TEMPLATE_PARTNER_REF,
            "is_company": True,
            "customer_rank": 1,
            "country_id": country.id if country else False,
        })
        invoice_date = self.today - datetime.timedelta(days=60)
        move = env["account.move"].create({
            "move_type": "out_invoice",
            "partner_id": partner.id,
            "invoice_date": invoice_date,
            "invoice_date_due": invoice_date + datetime.timedelta(days=30),
            "invoice_payment_term_id": False,
            "invoice_line_ids": [Command.create({
                "name": "Services",
                "quantity": 1.0,
                "price_unit": TEMPLATE_AMOUNT,
                "tax_ids": [Command.clear()],
            })],
        })
        move.action_post()
        env.flush_all()
        return partner, move

    def _sequence_format(self, move):
        """``(head, tail, digits)`` such that names are head || year || tail || zero-padded number."""
        prefix = move.sequence_prefix
        year = str(move.date.year)
        digits = len(move.name) - len(prefix)
        if year in prefix:
            head, tail = prefix.split(year, 1)
        else:
            head, tail = prefix, None
        return head, tail, digits

    def _copy_templates_and_delete(self, partner, move):
        cr = self.cr
        cr.execute(SQL("CREATE TEMP TABLE bench_tpl_partner AS SELECT * FROM res_partner WHERE id = %s", partner.id))
        cr.execute(SQL("CREATE TEMP TABLE bench_tpl_move AS SELECT * FROM account_move WHERE id = %s", move.id))
        cr.execute(SQL(
            "CREATE TEMP TABLE bench_tpl_line AS SELECT * FROM account_move_line WHERE move_id = %s", move.id,
        ))
        # The template invoice is posted: the ORM refuses to delete it, so it goes by SQL with
        # what posting left around it (lines cascade). Its sequence number is free again.
        for model, record_id in (("account.move", move.id), ("res.partner", partner.id)):
            cr.execute(SQL("DELETE FROM mail_followers WHERE res_model = %s AND res_id = %s", model, record_id))
            cr.execute(SQL("DELETE FROM mail_message WHERE model = %s AND res_id = %s", model, record_id))
        cr.execute(SQL("DELETE FROM account_move WHERE id = %s", move.id))
        self.env.invalidate_all()
        partner.unlink()
        self.env.flush_all()

    # ---------------------------------------------------------------- partners

    def _fill_partner_table(self, customers):
        langs = self.env["res.lang"].search([("active", "=", True)], order="code").mapped("code")
        countries = [c.id for c in (self.env.ref(x, raise_if_not_found=False) for x in
                                    ("base.fr", "base.fr", "base.fr", "base.be", "base.de", "base.es")) if c]
        self.cr.execute(SQL(
            """
            CREATE TEMP TABLE bench_partner AS
            SELECT k,
                   nextval(pg_get_serial_sequence('res_partner', 'id')) AS id,
                   'Customer ' || lpad(k::text, 6, '0') AS name,
                   'customer' || k || '@example.com' AS email,
                   'C' || lpad(k::text, 6, '0') AS ref,
                   (%(users)s::int[])[1 + mod(k, greatest(cardinality(%(users)s::int[]), 1))] AS user_id,
                   (%(langs)s::varchar[])[1 + mod(k, cardinality(%(langs)s::varchar[]))] AS lang,
                   (%(countries)s::int[])[1 + mod(k, greatest(cardinality(%(countries)s::int[]), 1))] AS country_id,
                   random() < %(do_not_dun)s AS do_not_dun
              FROM generate_series(1, %(n)s) AS k
            """,
            n=customers, users=self.salesperson_ids, langs=langs, countries=countries, do_not_dun=DO_NOT_DUN_SHARE,
        ))
        self.cr.execute(SQL("CREATE UNIQUE INDEX ON bench_partner (k)"))

    def _insert_partners(self):
        overrides = {
            "id": SQL("b.id"),
            "ref": SQL("b.ref"),
            "user_id": SQL("b.user_id"),
            "lang": SQL("b.lang"),
            "country_id": SQL("b.country_id"),
            "partner_gid": SQL("NULL"),
            "barcode": SQL("NULL"),
            "credit_do_not_dun": SQL("b.do_not_dun"),
            "credit_do_not_dun_reason": SQL("CASE WHEN b.do_not_dun THEN 'Key account' END"),
        }
        substitutions = {
            "res.partner": SQL("b.id"),
            TEMPLATE_PARTNER_NAME: SQL("b.name"),
            TEMPLATE_PARTNER_EMAIL: SQL("b.email"),
        }
        self._clone("res.partner", "bench_tpl_partner", SQL("bench_partner b"), overrides, substitutions,
                    amount=None)

    def _insert_partner_tags(self, tag_ids):
        for tag_id, share in tag_ids:
            self.cr.execute(SQL(
                """
                INSERT INTO res_partner_res_partner_category_rel (category_id, partner_id)
                SELECT %s, b.id FROM bench_partner b WHERE random() < %s
                """,
                tag_id, share,
            ))

    # ---------------------------------------------------------------- invoices

    def _fill_invoice_table(self, customers, invoices, terms, status_by_category, sequence, journal_id):
        """One row per invoice: its id, customer, dates, amount, status and name, all drawn."""
        head, tail, digits = sequence
        bucket_cases = []
        cumulated = 0.0
        for share, days in AGING_BUCKETS:
            cumulated += share
            if days is None:
                late = SQL("-floor(r_days * (term_days + 1))::int")
            else:
                late = SQL("(%s + floor(r_days * %s))::int", days[0], days[1] - days[0] + 1)
            bucket_cases.append(SQL("WHEN r_bucket < %s THEN %s", cumulated, late))
        status_cases = []
        cumulated = 0.0
        for category, share in STATUS_SHARES:
            cumulated += share
            status_cases.append(SQL("WHEN r_status < %s THEN %s", cumulated, status_by_category[category]))
        if tail is None:
            prefix = SQL("%s::varchar", head)
        else:
            prefix = SQL("%s || extract(year FROM invoice_date)::int || %s", head, tail)
        cr = self.cr
        cr.execute(SQL(
            """
            CREATE TEMP TABLE bench_invoice_raw AS
            WITH draw AS (
                SELECT i,
                       CASE WHEN i <= %(n)s THEN i ELSE 1 + floor(%(n)s * power(random(), 2))::int END AS k,
                       random() AS r_bucket, random() AS r_days, random() AS r_amount,
                       random() AS r_status, random() AS r_pause, random() AS r_blocked,
                       (%(term_ids)s::int[])[1 + floor(random() * %(nterms)s)::int] AS term_id
                  FROM generate_series(1, %(m)s) AS i
            ), termed AS (
                SELECT draw.*, t.days AS term_days
                  FROM draw JOIN unnest(%(term_ids)s::int[], %(term_days)s::int[]) AS t(id, days)
                    ON t.id = draw.term_id
            ), dated AS (
                SELECT termed.*, (%(today)s::date - (CASE %(bucket_cases)s END)) AS due
                  FROM termed
            )
            SELECT i, k, term_id, term_days, due, (due - term_days) AS invoice_date,
                   round(exp(ln(%(amin)s) + power(r_amount, %(skew)s) * ln(%(amax)s / %(amin)s))::numeric, 2)
                       AS amount,
                   CASE %(status_cases)s END AS status_id,
                   CASE WHEN r_status >= %(promise_from)s AND r_status < %(promise_to)s
                        THEN %(today)s::date + (1 + floor(r_pause * 30))::int END AS pause_until,
                   r_blocked < %(blocked)s AS blocked
              FROM dated
            """,
            n=customers, m=invoices, term_ids=[t[0] for t in terms], term_days=[t[1] for t in terms],
            nterms=len(terms), today=self.today, bucket_cases=SQL(" ").join(bucket_cases),
            amin=AMOUNT_MIN, amax=AMOUNT_MAX, skew=AMOUNT_SKEW, status_cases=SQL(" ").join(status_cases),
            promise_from=STATUS_SHARES[0][1], promise_to=STATUS_SHARES[0][1] + STATUS_SHARES[1][1],
            blocked=BLOCKED_SHARE,
        ))
        cr.execute(SQL(
            """
            CREATE TEMP TABLE bench_invoice AS
            WITH named AS (
                SELECT r.*, %(prefix)s AS prefix FROM bench_invoice_raw r
            ), numbered AS (
                SELECT named.*,
                       coalesce(last.number, 0)
                       + row_number() OVER (PARTITION BY named.prefix ORDER BY named.invoice_date, named.i) AS seq
                  FROM named
                  LEFT JOIN (SELECT sequence_prefix, max(sequence_number) AS number
                               FROM account_move WHERE journal_id = %(journal)s
                              GROUP BY sequence_prefix) AS last
                    ON last.sequence_prefix = named.prefix
            )
            SELECT numbered.*,
                   nextval(pg_get_serial_sequence('account_move', 'id')) AS move_id,
                   prefix || lpad(seq::text, greatest(%(digits)s, length(seq::text)), '0') AS name,
                   p.id AS partner_id, p.name AS partner_name, p.user_id
              FROM numbered JOIN bench_partner p ON p.k = numbered.k
            """,
            prefix=prefix, journal=journal_id, digits=digits,
        ))
        cr.execute(SQL("DROP TABLE bench_invoice_raw"))

    def _move_substitutions(self):
        tpl_move = self._template_row("bench_tpl_move")
        return {
            "res.partner": SQL("b.partner_id"),
            "account.move": SQL("b.move_id"),
            tpl_move["name"]: SQL("b.name"),
            TEMPLATE_PARTNER_NAME: SQL("b.partner_name"),
            tpl_move["invoice_date_due"]: SQL("b.due"),
            tpl_move["invoice_date"]: SQL("b.invoice_date"),
        }

    def _insert_moves(self):
        overrides = {
            "id": SQL("b.move_id"),
            "sequence_prefix": SQL("b.prefix"),
            "sequence_number": SQL("b.seq"),
            "invoice_payment_term_id": SQL("b.term_id"),
            "invoice_user_id": SQL("b.user_id"),
            "credit_status_id": SQL("b.status_id"),
            "credit_pause_until": SQL("b.pause_until"),
            "credit_dunning_blocked": SQL("b.blocked"),
            "access_token": SQL("NULL"),
            "inalterable_hash": SQL("NULL"),
            "secure_sequence_number": SQL("NULL"),
            "message_main_attachment_id": SQL("NULL"),
        }
        self._clone("account.move", "bench_tpl_move", SQL("bench_invoice b"), overrides,
                    self._move_substitutions(), amount=SQL("b.amount"))

    def _insert_move_lines(self):
        overrides = {"id": None, "price_unit": self._scaled("price_unit", SQL("b.amount"))}
        self._clone("account.move.line", "bench_tpl_line", SQL("bench_invoice b"), overrides,
                    self._move_substitutions(), amount=SQL("b.amount"))

    # ------------------------------------------------------------------ cloning

    def _template_row(self, table):
        self.cr.execute(SQL("SELECT * FROM %s LIMIT 1", SQL.identifier(table)))
        return self.cr.dictfetchone()

    def _scaled(self, column, amount):
        return SQL("round((%s * %s / %s)::numeric, 2)", SQL.identifier("t", column), amount, TEMPLATE_AMOUNT)

    def _clone(self, model_name, template_table, source, overrides, substitutions, amount):
        """INSERT into the model's table one row per (source row, template row).

        :param overrides: column -> SQL expression (``None``: leave the column to its default)
        :param substitutions: comodel name (many2one columns pointing to the template record)
            or template value (char and date columns holding it) -> SQL expression
        :param amount: SQL expression of the clone's amount; monetary columns are scaled to it
        """
        model = self.env[model_name]
        table = model._table
        self.cr.execute(SQL(
            """
            SELECT column_name FROM information_schema.columns
             WHERE table_name = %s AND table_schema = current_schema()
             ORDER BY ordinal_position
            """,
            table,
        ))
        columns = [row[0] for row in self.cr.fetchall()]
        self.cr.execute(SQL("SELECT * FROM %s", SQL.identifier(template_table)))
        template_rows = self.cr.dictfetchall()
        template_ids = {
            "res.partner": self._template_row("bench_tpl_partner")["id"],
            "account.move": self._template_row("bench_tpl_move")["id"],
        }
        targets, expressions = [], []
        for column in columns:
            if column in overrides:
                if overrides[column] is not None:
                    targets.append(column)
                    expressions.append(overrides[column])
                continue
            field = model._fields.get(column)
            expression = SQL.identifier("t", column)
            if field is not None and field.type == "monetary" and amount is not None:
                expression = self._scaled(column, amount)
            elif field is not None and field.type in ("many2one", "char", "text", "date"):
                if field.type == "many2one":
                    keys = {template_ids.get(field.comodel_name): field.comodel_name} if (
                        field.comodel_name in template_ids) else {}
                else:
                    keys = {value: value for value in substitutions if isinstance(value, (str, datetime.date))}
                found = {row[column] for row in template_rows} & set(keys)
                if found:
                    expression = SQL(
                        "CASE %s ELSE %s END",
                        SQL(" ").join(
                            SQL("WHEN %s = %s THEN %s", SQL.identifier("t", column), value, substitutions[keys[value]])
                            for value in sorted(found, key=str)
                        ),
                        SQL.identifier("t", column),
                    )
            targets.append(column)
            expressions.append(expression)
        self.cr.execute(SQL(
            "INSERT INTO %s (%s) SELECT %s FROM %s CROSS JOIN %s AS t",
            SQL.identifier(table),
            SQL(", ").join(SQL.identifier(column) for column in targets),
            SQL(", ").join(expressions),
            source,
            SQL.identifier(template_table),
        ))
        _logger.info("bench data: %s rows inserted into %s", self.cr.rowcount, table)

    def _bucket_counts(self):
        self.cr.execute(SQL(
            """
            SELECT CASE WHEN due >= %(today)s THEN 'not_due'
                        WHEN due >= %(today)s::date - 30 THEN '1_30'
                        WHEN due >= %(today)s::date - 60 THEN '31_60'
                        WHEN due >= %(today)s::date - 90 THEN '61_90'
                        ELSE '90_plus' END AS bucket, count(*)
              FROM bench_invoice GROUP BY 1 ORDER BY 1
            """,
            today=self.today,
        ))
        return dict(self.cr.fetchall())
