{
    "name": "After-Sales Service: Agents",
    "summary": "Service agent network: coverage and capacity in the routing, agent portal "
    "cartable on the phone, work reports confirmed by the customer's code, rate cards and "
    "fees, repeat repairs, settlement in vendor bills, agent statements",
    "version": "18.0.1.0.0",
    "category": "Services/After-Sales",
    "author": "After-Sales Suite contributors",
    "website": "https://github.com/aftersales-suite/aftersales",
    "license": "LGPL-3",
    "depends": ["aftersales_warranty", "account", "portal"],
    "external_dependencies": {"python": ["jdatetime"]},
    "data": [
        "security/aftersales_agent_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "wizards/aftersales_work_report_decide_views.xml",
        "views/aftersales_work_report_views.xml",
        "views/aftersales_agent_rate_card_views.xml",
        "views/res_partner_views.xml",
        "views/aftersales_request_views.xml",
        "views/res_config_settings_views.xml",
        "views/menus.xml",
        "data/aftersales_agent_settlement_data.xml",
        "wizards/aftersales_work_report_fee_correct_views.xml",
        "views/aftersales_agent_settlement_views.xml",
    ],
}
