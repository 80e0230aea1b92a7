{
    "name": "Credit Management: Dunning",
    "summary": "Dunning scenarios, customer groups, reminders by e-mail, SMS, phone and letter",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "license": "AGPL-3",
    "author": "Credit Odoo team",
    "website": "https://github.com/credit-odoo/credit-management",
    "development_status": "Alpha",
    "depends": [
        "account",
        "account_payment",
        "mail",
        "sms",
        "portal",
        "phone_validation",
    ],
    "external_dependencies": {"python": ["lxml", "phonenumbers", "num2words"]},
    "data": [
        "security/credit_relance_groups.xml",
        "security/ir.model.access.csv",
        "security/credit_relance_security.xml",
        "views/credit_relance_status_views.xml",
        "views/credit_relance_agenda_views.xml",
        "views/credit_relance_menus.xml",
    ],
    "demo": [
        "demo/credit_relance_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "credit_relance/static/src/agenda/*",
        ],
        "web.assets_tests": [
            "credit_relance/static/tests/tours/*",
        ],
    },
    "application": True,
}
