{
    "name": "Credit Management: Community",
    "summary": "Anonymous sharing of customers' payment behaviour between suppliers, through a hub",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "AGPL-3",
    "author": "Credit Odoo team",
    "website": "https://github.com/credit-odoo/credit-management",
    "development_status": "Alpha",
    "depends": ["credit_relance"],
    "external_dependencies": {"python": ["python-stdnum"]},
    "data": [
        "security/ir.model.access.csv",
    ],
}
