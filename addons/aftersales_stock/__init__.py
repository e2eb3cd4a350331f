from . import controllers
from . import models
from . import report
from . import wizards


def _post_init_hook(env):
    """The after-sales warehouse layout of the main company (and of every company that
    has a warehouse), with the consignment location of every agent."""
    companies = env["res.company"].search([])
    with_warehouse = env["stock.warehouse"].search([("company_id", "in", companies.ids)]).company_id
    with_warehouse._aftersales_stock_layout()
