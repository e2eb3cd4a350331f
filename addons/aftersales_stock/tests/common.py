from odoo import Command
from odoo.addons.aftersales_agent.tests.test_settlement import SettlementCase


class StockCase(SettlementCase):
    """The after-sales layout of the company (made on install), the agents' consignment
    locations (made with the agents), parts in spare parts stock:

    - ``core_part``: a burner whose core must come back (10 days), cost 2,000,000;
    - ``cons_part``: a thermocouple that may go on consignment (uplift 20%);
    - ``hv_part``: a high-value control board (never on consignment);
    - ``serial_core_part``: an igniter tracked by serial, core required.

    A warehouse user (``keeper``) and a sales journal for charges and purchases."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company._aftersales_stock_layout()
        cls.parts_location = cls.company.aftersales_parts_location_id
        cls.cores_location = cls.company.aftersales_cores_location_id
        cls.customers_location = env.ref("stock.stock_location_customers")
        cls.loc_a = cls.agent_a._aftersales_consignment_location(cls.company)
        cls.loc_b = cls.agent_b._aftersales_consignment_location(cls.company)
        cls.core_part = cls._part(
            "S Burner",
            "HTR-BRN-001",
            cost=2000000,
            price=3000000,
            aftersales_core_required=True,
            aftersales_core_days=10,
        )
        cls.cons_part = cls._part(
            "S Thermocouple",
            "HTR-IGN-002",
            cost=100000,
            price=200000,
            aftersales_consignment_ok=True,
            aftersales_consignment_uplift=20,
        )
        cls.hv_part = cls._part(
            "S Control Board",
            "HTR-CTL-003",
            cost=9000000,
            price=12000000,
            aftersales_high_value=True,
        )
        cls.serial_core_part = cls._part(
            "S Igniter",
            "HTR-IGN-004",
            cost=500000,
            price=800000,
            tracking="serial",
            aftersales_core_required=True,
        )
        for product in (cls.core_part, cls.cons_part, cls.hv_part):
            cls._stock(product, cls.parts_location, 50)
        cls.keeper = cls._user("stk_keeper", "stock.group_stock_user")
        cls.stock_manager = cls._user(
            "stk_manager", "stock.group_stock_manager,aftersales_base.group_aftersales_operator"
        )
        if not env["account.journal"].search(
            [("company_id", "=", cls.company.id), ("type", "=", "sale")], limit=1
        ):
            env["account.journal"].create({"name": "Sales", "code": "SAJ", "type": "sale"})

    @classmethod
    def _part(cls, name, code, cost=0.0, price=0.0, **values):
        return cls.env["product.product"].create(
            {
                "name": name,
                "is_storable": True,
                "aftersales_part_code": code,
                "standard_price": cost,
                "lst_price": price,
                **values,
            }
        )

    @classmethod
    def _stock(cls, product, location, quantity, lot=None):
        cls.env["stock.quant"]._update_available_quantity(product, location, quantity, lot_id=lot)

    def _qty(self, product, location):
        quants = self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", location.id)]
        )
        return sum(quants.mapped("quantity"))

    def _part_request(self, request_type, lines, agent=None, job=None, submit=True, user=None):
        """A part request as an agent files it (``lines``: ``[(product, qty)]``)."""
        request = (
            self.env["aftersales.part.request"]
            .with_user(user or self.env.user)
            .create(
                {
                    "request_type": request_type,
                    "agent_id": (agent or self.agent_a).id,
                    "request_id": job.id if job else False,
                    "line_ids": [
                        Command.create({"product_id": product.id, "quantity": qty})
                        for product, qty in lines
                    ],
                }
            )
        )
        if submit:
            request.action_submit()
        return request

    def _validate(self, pickings):
        for move in pickings.move_ids:
            move.quantity = move.product_uom_qty
        pickings.move_ids.picked = True
        pickings.button_validate()
        self.assertEqual(set(pickings.mapped("state")), {"done"})

    def _approved_with_parts(self, parts, agent=None, report_type="warranty_repair"):
        """An approved report of ``agent`` using ``parts`` (``[(product, qty, extra)]``)."""
        job = self._job(agent or self.agent_a)
        report = self._report(job, report_type=report_type, parts=parts)
        report.action_submit()
        report.with_user(self.manager).action_approve_unconfirmed("Photos checked")
        return report
