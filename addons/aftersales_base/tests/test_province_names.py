from odoo.tests import TransactionCase


class TestProvinceNames(TransactionCase):
    """Provinces are stored in Persian; other readers also see the English name."""

    def test_english_reader_sees_english_and_persian(self):
        tehran = self.env.ref("aftersales_base.state_ir_23")
        self.assertEqual(tehran.with_context(lang="en_US").display_name, "Tehran / تهران (IR)")
        self.env["res.lang"]._activate_lang("fa_IR")
        self.assertEqual(tehran.with_context(lang="fa_IR").display_name, "تهران (IR)")

    def test_english_name_finds_the_province(self):
        States = self.env["res.country.state"].with_context(lang="en_US")
        found = States.name_search("Isfahan")
        self.assertIn(self.env.ref("aftersales_base.state_ir_10").id, [i for i, _n in found])
        # Other countries' states are untouched by the English names of Iran's.
        self.assertFalse(
            States.search([("display_name", "ilike", "Isfahan")])
            - States.search([("country_id.code", "=", "IR")])
        )
        self.assertTrue(States.search([("display_name", "ilike", "تهران")]))
