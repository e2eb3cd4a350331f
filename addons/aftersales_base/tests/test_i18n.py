from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import AftersalesCase


@tagged("post_install", "-at_install")
class TestPersian(AftersalesCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("fa_IR")
        cls.env["ir.module.module"]._load_module_terms(
            ["aftersales_base"], ["fa_IR"], overwrite=True
        )

    def test_base_data_in_persian(self):
        fa = self.env(context=dict(self.env.context, lang="fa_IR"))
        self.assertEqual(fa.ref("aftersales_base.service_type_ins").name, "نصب")
        self.assertEqual(fa.ref("aftersales_base.stage_done").name, "انجام شده")
        self.assertEqual(fa.ref("aftersales_base.channel_walkin").name, "مراجعه حضوری")

    def test_errors_in_persian(self):
        # The web client sends the user's language in the context of every call.
        Request = self.env(user=self.operator, context={"lang": "fa_IR"})["aftersales.request"]
        with self.assertRaisesRegex(ValidationError, "شماره موبایل معتبری نیست"):
            Request.create(self._request_vals(mobile="12345"))
        with self.assertRaisesRegex(ValidationError, "دستگاهی ندارد"):
            Request.create(self._request_vals(line_ids=[]))
