{
    "name": "After-Sales Service: Spare Parts and Cores",
    "summary": "Spare parts catalog and requests, consignment stock at agents, parts "
    "consumed by work reports, defective-core returns that gate agent settlement, overdue "
    "charges, supplier warranty returns, refurbishing, parts reports",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite contributors",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["aftersales_agent", "stock_account", "purchase_stock", "repair"],
    "data": [
        "security/aftersales_stock_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/ir_cron_data.xml",
        "wizards/aftersales_stock_wizard_views.xml",
        "views/aftersales_part_request_views.xml",
        "views/aftersales_consignment_item_views.xml",
        "views/aftersales_core_views.xml",
        "views/product_template_views.xml",
        "views/res_partner_views.xml",
        "views/aftersales_work_report_views.xml",
        "views/aftersales_technician_views.xml",
        "views/purchase_order_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "report/aftersales_core_label_report.xml",
        "views/aftersales_stock_portal_templates.xml",
    ],
    "post_init_hook": "_post_init_hook",
    "assets": {
        "web.assets_tests": [
            "aftersales_stock/static/tests/tours/*.js",
        ],
    },
}
