{
    "name": "After-Sales Service: Happy Calls and Scorecards",
    "summary": "Happy calls on Odoo surveys after every service (in-house always, a sample "
    "of agent jobs), satisfaction scores, unhappy answers as complaints, opportunities, "
    "agent and technician scorecards with monthly snapshots",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite contributors",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["aftersales_agent", "survey", "crm"],
    "external_dependencies": {"python": ["jdatetime"]},
    "data": [
        "security/aftersales_survey_security.xml",
        "security/ir.model.access.csv",
        "data/survey_data.xml",
        "data/ir_cron_data.xml",
        "views/aftersales_happy_call_views.xml",
        "views/aftersales_scorecard_views.xml",
        "views/survey_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "wizards/aftersales_satisfaction_report_wizard_views.xml",
        "report/aftersales_satisfaction_summary_report.xml",
        "views/aftersales_survey_portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "aftersales_survey/static/tests/tours/*.js",
        ],
    },
}
