{
    "name": "Credit Management: Disputes and Litigation",
    "summary": "Disputes worked as a team, litigation and hand-over to a collection agency",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "AGPL-3",
    "author": "Credit Odoo team",
    "website": "https://github.com/credit-odoo/credit-management",
    "development_status": "Alpha",
    "depends": ["credit_relance"],
    "data": [
        "security/ir.model.access.csv",
        "data/credit_litige_reason_data.xml",
        "views/credit_litige_reason_views.xml",
        "views/credit_litige_menus.xml",
    ],
}
