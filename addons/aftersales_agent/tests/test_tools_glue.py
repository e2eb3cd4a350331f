from odoo.addons.aftersales_agent import tools as atools
from odoo.tests import TransactionCase, tagged


@tagged("post_install", "-at_install")
class TestToolsGlue(TransactionCase):
    """The pure helpers as the addon imports them (their own tests are in tier 1)."""

    def test_jalali_month(self):
        first, last = atools.jalali_month_bounds(1404, 12)
        self.assertEqual((str(first), str(last)), ("2026-02-20", "2026-03-20"))
