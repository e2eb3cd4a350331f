from .common import AftersalesCase


class TestSearch(AftersalesCase):
    """What the search bar and many2one fields find (``name_search`` on requests)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.request = cls._create_request(partner_name="Shirin Kazemi", phone="021 7712 9876")
        cls.other = cls._create_request(partner_name="Babak Nouri", phone="031 3999 8811")

    def _found(self, text):
        Request = self.env["aftersales.request"].with_user(self.operator)
        return Request.browse([rid for rid, _name in Request.name_search(text, limit=50)])

    def test_by_part_of_the_customer_name(self):
        self.assertEqual(self._found("kazem"), self.request)

    def test_by_tracking_number_whole_or_part(self):
        self.assertEqual(self._found(self.request.name), self.request)
        self.assertIn(self.request, self._found(self.request.name[-4:]))

    def test_by_whole_phone_in_any_spelling(self):
        self.assertEqual(self._found("+98 21 7712 9876"), self.request)
        self.assertEqual(self._found("۰۳۱۳۹۹۹۸۸۱۱"), self.other)

    def test_search_domain_uses_display_name(self):
        Request = self.env["aftersales.request"].with_user(self.operator)
        self.assertEqual(Request.search([("display_name", "ilike", "Nouri")]), self.other)
