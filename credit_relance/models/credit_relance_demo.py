import datetime
import logging
import random

from odoo import Command, api, fields, models

_logger = logging.getLogger(__name__)

CUSTOMERS = [
    "Boulangeries Lemaire", "Transports Girard", "Menuiserie Roux", "Clinique Saint-Roch",
    "Garage Fontaine", "Hôtel des Cordeliers", "Imprimerie Vidal", "Maraîchers du Forez",
    "Électricité Morel", "Pharmacie Centrale Lyon", "Cabinet Fabre Architectes", "Agence Nova Digital",
    "Brasserie du Rhône", "Scierie Perrin", "Laboratoires Blanc", "Toitures Chevalier",
    "Ambulances Masson", "Fromagerie Bonnet", "Plomberie Dumas", "Éditions Lambert",
    "Carrosserie Robin", "Coopérative Alpine", "Domaine Mathieu", "Textiles Garnier",
    "Nettoyage Lefèvre", "Informatique Gauthier", "Menuiseries Aubert", "Traiteur Marchand",
    "Serrurerie Guerin", "Pépinières Barbier",
]
CITIES = [("69002", "Lyon"), ("42000", "Saint-Étienne"), ("38000", "Grenoble"), ("73000", "Chambéry"),
          ("01000", "Bourg-en-Bresse"), ("26000", "Valence"), ("63000", "Clermont-Ferrand")]
STREETS = ["Jean Jaurès", "Foch", "de la Gare", "Victor Hugo"]
# (share of customers, mean days late, spread, share of invoices paid late)
PROFILES = {
    "early": (-4, 3, 0.05),
    "on_time": (0, 3, 0.2),
    "late": (12, 8, 0.6),
    "bad": (40, 20, 0.9),
}
PROFILE_MIX = ["early"] * 6 + ["on_time"] * 12 + ["late"] * 8 + ["bad"] * 4
DEMO_USERS = [
    # login, name, credit group, accounting group
    ("supervisor", "Sophie Martin", "credit_relance.credit_relance_group_supervisor", "account.group_account_manager"),
    ("collector1", "Julien Petit", "credit_relance.credit_relance_group_collector", "account.group_account_invoice"),
    ("collector2", "Camille Durand", "credit_relance.credit_relance_group_collector", "account.group_account_invoice"),
    ("salesrep1", "Thomas Bernard", "credit_relance.credit_relance_group_salesrep", "account.group_account_readonly"),
    ("salesrep2", "Léa Moreau", "credit_relance.credit_relance_group_salesrep", "account.group_account_readonly"),
]


def siren_with_key(rng):
    """A random SIREN with a valid Luhn key."""
    body = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
    for key in range(10):
        digits = body + [key]
        total = 0
        for index, digit in enumerate(reversed(digits)):
            if index % 2:
                digit *= 2
                digit -= 9 if digit > 9 else 0
            total += digit
        if total % 10 == 0:
            return "".join(map(str, digits))
    raise AssertionError("unreachable: one Luhn key always exists")


def french_vat(siren):
    return "FR%02d%s" % ((12 + 3 * (int(siren) % 97)) % 97, siren)


class CreditRelanceDemo(models.AbstractModel):
    """Builds the demo database: a French company, its credit team, customers, open invoices
    over every aging bucket and a year of paid history, all from a fixed seed (repeatable)."""

    _name = "credit.relance.demo"
    _description = "Dunning demo data generator"

    @api.model
    def _generate(self, seed=2026, customers=30, history_per_customer=14, open_invoices=260, today=None):
        existing = self.env.ref("credit_relance.demo_company_credit", raise_if_not_found=False)
        if existing:
            return existing
        today = today or fields.Date.context_today(self)
        rng = random.Random(seed)
        company = self._demo_company()
        env = self.with_company(company).with_context(
            tracking_disable=True, mail_create_nolog=True, mail_notrack=True, no_reset_password=True
        ).env
        users = self._demo_users(env, company)
        partners = self._demo_customers(env, company, rng, customers, users)
        profiles = {p.id: PROFILE_MIX[i % len(PROFILE_MIX)] for i, p in enumerate(partners)}
        history = self._demo_history(env, company, rng, partners, profiles, history_per_customer, today)
        open_moves = self._demo_open_invoices(env, company, rng, partners, open_invoices, today)
        self._demo_portal_user(env, partners[0])
        self._demo_dunning(env, company, rng, partners, users, today)
        _logger.info("Credit demo: %d customers, %d paid invoices, %d open invoices",
                     len(partners), len(history), len(open_moves))
        return company

    # ------------------------------------------------------------------ company and people
    def _demo_company(self):
        company = self.env["res.company"].create({
            "name": "Ateliers Mercier SAS",
            "street": "12 rue de la République",
            "zip": "69002",
            "city": "Lyon",
            "country_id": self.env.ref("base.fr").id,
            "email": "compta@ateliers-mercier.example",
            "phone": "+33 4 72 00 00 00",
            "vat": french_vat("732829320"),
            "company_registry": "732829320",
        })
        self.env["ir.model.data"].create({
            "module": "credit_relance", "name": "demo_company_credit", "model": "res.company",
            "res_id": company.id, "noupdate": True,
        })
        french = self.env["ir.module.module"].search_count(
            [("name", "=", "l10n_fr_account"), ("state", "=", "installed")]
        )
        chart = "fr" if french else "generic_coa"
        self.env["account.chart.template"].try_loading(chart, company, install_demo=False)
        # the generic chart sets USD; the demo company books in euros whatever the chart
        euro = self.env.ref("base.EUR")
        euro.active = True
        company.currency_id = euro
        self.env.user.company_ids = [Command.link(company.id)]
        admin = self.env.ref("base.user_admin", raise_if_not_found=False)
        if admin:
            admin.write({"company_ids": [Command.link(company.id)], "company_id": company.id})
        return company

    def _demo_users(self, env, company):
        users = {}
        for login, name, credit_group, account_group in DEMO_USERS:
            user = env["res.users"].search([("login", "=", login)], limit=1)
            if not user:
                user = env["res.users"].create({
                    "login": login, "password": login, "name": name,
                    "email": f"{login}@ateliers-mercier.example",
                    "company_id": company.id, "company_ids": [Command.set(company.ids)],
                    "groups_id": [Command.link(env.ref(credit_group).id), Command.link(env.ref(account_group).id)],
                })
            users[login] = user
        return users

    def _demo_customers(self, env, company, rng, count, users):
        reps = [users["salesrep1"], users["salesrep2"]]
        vals_list = []
        for index in range(count):
            name = CUSTOMERS[index % len(CUSTOMERS)] + ("" if index < len(CUSTOMERS) else f" {index}")
            siren = siren_with_key(rng)
            zip_code, city = rng.choice(CITIES)
            slug = "".join(ch for ch in name.lower() if ch.isalnum())[:18]
            vals_list.append({
                "name": name, "is_company": True, "company_id": False,
                "street": f"{rng.randint(1, 120)} avenue {rng.choice(STREETS)}",
                "zip": zip_code, "city": city, "country_id": env.ref("base.fr").id,
                "email": f"comptabilite@{slug}.example", "mobile": f"+33 6 {rng.randint(10, 99)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)}", "phone": f"+33 4 {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                "company_registry": siren, "vat": french_vat(siren), "ref": f"C{index + 1:04d}",
                "user_id": reps[index % 2].id, "lang": "fr_FR" if index % 5 else "en_US",
                "customer_rank": 1,
            })
        if "fr_FR" not in env["res.lang"].get_installed():
            for vals in vals_list:
                vals["lang"] = "en_US"
        return env["res.partner"].create(vals_list)

    def _demo_portal_user(self, env, partner):
        # "portal" is taken by Odoo's own demo portal user; ours logs in as "customer"
        if env["res.users"].search([("login", "=", "customer")], limit=1):
            return
        contact = env["res.partner"].create({
            "name": "Marc Lemaire", "parent_id": partner.id, "type": "invoice",
            "email": "marc.lemaire@boulangeries-lemaire.example",
        })
        company = partner.env.company
        env["res.users"].create({
            "login": "customer", "password": "customer", "partner_id": contact.id,
            "company_id": company.id, "company_ids": [Command.set(company.ids)],
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        })

    def _demo_dunning(self, env, company, rng, partners, users, today):
        """Collectors on the default groups, one promise to pay, and this morning's actions.

        Actions are planned, not executed: the demo shows the agenda as a collector finds it
        before the run sends anything (the demo database has no outgoing mail server).
        """
        collectors = [users["collector1"], users["collector2"]]
        tags = {xmlid: env.ref(f"credit_relance.res_partner_category_{xmlid}", raise_if_not_found=False)
                for xmlid in ("strategic", "recurring")}
        for partner in partners[2:5]:
            partner.category_id = [Command.link(tags["strategic"].id)] if tags["strategic"] else []
        for partner in partners[5:9]:
            partner.category_id = [Command.link(tags["recurring"].id)] if tags["recurring"] else []
        for index, name in enumerate(("high_risk", "standard", "strategic", "recurring")):
            group = env.ref(f"credit_relance.credit_relance_customer_group_{name}", raise_if_not_found=False)
            if group:
                group.collector_id = collectors[index % 2]
        promised = env["account.move"].search([
            ("company_id", "=", company.id), ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
            ("payment_state", "=", "not_paid"), ("invoice_date_due", "<", today),
            ("partner_id", "=", partners[1].id),
        ], limit=2)
        if promised:
            env["credit.relance.promise"].create({
                "partner_id": partners[1].id, "company_id": company.id, "move_ids": [Command.set(promised.ids)],
                "date": today + datetime.timedelta(days=7), "amount": sum(promised.mapped("amount_residual")),
                "source": "call", "user_id": collectors[1].id,
                "note": "Le client règle les deux factures par virement la semaine prochaine.",
            })
        env["credit.relance.group"]._recompute_all()
        env["credit.relance.engine"].with_company(company)._plan(company, today)

    # ------------------------------------------------------------------ invoices
    def _invoice_vals(self, env, company, partner, invoice_date, due_date, amount):
        tax = company.account_sale_tax_id
        return {
            "move_type": "out_invoice", "partner_id": partner.id, "company_id": company.id,
            "invoice_date": invoice_date, "invoice_date_due": due_date, "date": invoice_date,
            "invoice_line_ids": [Command.create({
                "name": "Prestations et fournitures", "quantity": 1, "price_unit": amount,
                "tax_ids": [Command.set(tax.ids)],
            })],
        }

    def _demo_history(self, env, company, rng, partners, profiles, per_customer, today):
        vals_list, paid_on = [], []
        for partner in partners:
            mean, spread, late_share = PROFILES[profiles[partner.id]]
            for _ in range(per_customer):
                invoice_date = today - datetime.timedelta(days=rng.randint(75, 365))
                due_date = invoice_date + datetime.timedelta(days=rng.choice([30, 30, 45, 60]))
                late = rng.random() < late_share
                delay = max(1, round(rng.gauss(mean if mean > 0 else 6, spread))) if late else -rng.randint(0, 10)
                paid = min(due_date + datetime.timedelta(days=delay), today - datetime.timedelta(days=1))
                vals_list.append(self._invoice_vals(env, company, partner, invoice_date, due_date,
                                                    round(rng.lognormvariate(7, 0.8), 2)))
                paid_on.append(max(paid, invoice_date))
        order = sorted(range(len(vals_list)), key=lambda i: vals_list[i]["invoice_date"])
        moves = env["account.move"].create([vals_list[i] for i in order])
        moves.action_post()
        self._demo_pay(env, company, moves, [paid_on[i] for i in order], [None] * len(moves))
        return moves

    def _demo_open_invoices(self, env, company, rng, partners, count, today):
        buckets = [(-40, -1), (1, 30), (31, 60), (61, 90), (91, 200)]
        weights = [35, 30, 15, 10, 10]
        vals_list = []
        for _ in range(count):
            low, high = rng.choices(buckets, weights)[0]
            days_late = rng.randint(low, high)
            due_date = today - datetime.timedelta(days=days_late)
            invoice_date = due_date - datetime.timedelta(days=rng.choice([30, 30, 45, 60]))
            vals_list.append(self._invoice_vals(env, company, rng.choice(partners), invoice_date, due_date,
                                                round(rng.lognormvariate(7, 0.9), 2)))
        vals_list.sort(key=lambda vals: vals["invoice_date"])
        moves = env["account.move"].create(vals_list)
        moves.action_post()
        partial = moves.filtered(lambda m: m.invoice_date_due < today and rng.random() < 0.12)
        self._demo_pay(env, company, partial, [today - datetime.timedelta(days=rng.randint(1, 20)) for _ in partial],
                       [round(m.amount_total * rng.choice([0.3, 0.5]), 2) for m in partial])
        return moves

    def _demo_pay(self, env, company, moves, dates, amounts):
        """Pay each invoice on its date, in full or for the given amount (partial payment)."""
        journal = env["account.journal"].search(
            [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
        )
        payments = env["account.payment"].create([{
            "payment_type": "inbound", "partner_type": "customer", "partner_id": move.partner_id.id,
            "amount": amount or move.amount_total, "date": date, "journal_id": journal.id,
            "company_id": company.id, "memo": move.name,
        } for move, date, amount in zip(moves, dates, amounts, strict=True)])
        payments.action_post()
        for move, payment in zip(moves, payments, strict=True):
            lines = (move.line_ids + payment.move_id.line_ids).filtered(
                lambda line: line.account_id.account_type == "asset_receivable" and not line.reconciled
            )
            lines.reconcile()
