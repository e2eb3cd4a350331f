from odoo import Command
from odoo.addons.aftersales_warranty.tests.common import WarrantyCase
from odoo.tests import new_test_user


class AgentCase(WarrantyCase):
    """Two agents (A in Tehran, B in Isfahan) with a portal user each, a rate card, an
    after-sales manager, a warranty card on a heater serial; no demo data."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.tehran = env.ref("aftersales_base.state_ir_23")
        cls.isfahan = env.ref("aftersales_base.state_ir_10")
        cls.type_install = env.ref("aftersales_base.service_type_ins")
        cls.type_warranty = env.ref("aftersales_base.service_type_wrp")
        cls.type_paid = env.ref("aftersales_base.service_type_prp")
        cls.rate_card = env["aftersales.agent.rate.card"].create(
            {
                "name": "Test rates",
                "rate_ids": [
                    Command.create(
                        {"report_type": "installation", "zone": "any", "amount": 500000}
                    ),
                    Command.create(
                        {
                            "report_type": "warranty_repair",
                            "categ_id": cls.categ_heaters.id,
                            "zone": "in_city",
                            "amount": 800000,
                        }
                    ),
                    Command.create(
                        {
                            "report_type": "warranty_repair",
                            "categ_id": cls.categ_heaters.id,
                            "zone": "out_of_city",
                            "amount": 1100000,
                        }
                    ),
                    Command.create(
                        {"report_type": "warranty_repair", "zone": "any", "amount": 600000}
                    ),
                    Command.create({"report_type": "paid_repair", "amount": 300000}),
                ],
            }
        )
        cls.agent_a = cls._agent("Agent A Tehran", "AG-A", cls.tehran, "Tehran")
        cls.agent_b = cls._agent("Agent B Isfahan", "AG-B", cls.isfahan, "Isfahan")
        cls.user_a = cls._agent_user(cls.agent_a, "agent_a")
        cls.user_b = cls._agent_user(cls.agent_b, "agent_b")
        cls.part = env["product.product"].create(
            {"name": "W Thermocouple", "is_storable": True, "categ_id": cls.categ_plain.id}
        )
        cls.serial_part = env["product.product"].create(
            {"name": "W Control Board", "is_storable": True, "tracking": "serial"}
        )
        cls.labour = env["product.product"].create({"name": "W Labour", "type": "service"})
        [cls.heater_lot] = cls._lots(cls.heater, "AGH-0001")
        cls.heater_card = cls._issue(cls.heater_lot, partner=cls.customer)
        cls.customer.mobile = "09125551234"
        # The company's own SMS panel (unreachable here: messages fail, their text stays).
        cls.sms_provider = env["aftersales.sms.provider"].create(
            {
                "name": "Agent line",
                "endpoint": "http://127.0.0.1:9/v1",
                "api_key": "K",
                "sender": "1",
            }
        )

    @classmethod
    def _agent(cls, name, code, state, city):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "is_aftersales_agent": True,
                "aftersales_agent_code": code,
                "city": city,
                "state_id": state.id,
                "aftersales_rate_card_id": cls.rate_card.id,
                "aftersales_travel_in_city": 100000,
                "aftersales_travel_out_city": 400000,
                "aftersales_coverage_ids": [Command.create({"state_id": state.id})],
            }
        )

    @classmethod
    def _agent_user(cls, agent, login):
        contact = cls.env["res.partner"].create(
            {"name": f"{login} staff", "parent_id": agent.id, "type": "contact"}
        )
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            groups="base.group_portal",
            partner_id=contact.id,
            # English unless a test says otherwise: the database's languages vary.
            lang="en_US",
            context={"no_reset_password": True},
        )

    @classmethod
    def _job(cls, agent=None, service_type=None, lot=None, city=None, **values):
        """A request for the heater serial routed (or assigned) to ``agent``."""
        lot = lot or cls.heater_lot
        agent = agent or cls.agent_a
        vals = {
            "partner_id": cls.customer.id,
            "mobile": cls.customer.mobile,
            "service_type_id": (service_type or cls.type_warranty).id,
            "state_id": agent.state_id.id,
            "city": city or agent.city,
            "agent_id": agent.id,
            "line_ids": [
                Command.create({"product_id": lot.product_id.id, "serial_number": lot.name})
            ],
        }
        vals.update(values)
        return cls.env["aftersales.request"].create(vals)

    @classmethod
    def _report(cls, job, report_type="warranty_repair", parts=(), **values):
        vals = {
            "request_id": job.id,
            "report_type": report_type,
            "request_line_id": job.line_ids[:1].id,
            "part_ids": [
                Command.create({"product_id": product.id, "quantity": qty, **extra})
                for product, qty, extra in parts
            ],
        }
        vals.update(values)
        return cls.env["aftersales.work.report"].create(vals)

    def _confirm(self, report):
        """Send the customer's code and enter it as the agent would (the code is read
        from the SMS that went out)."""
        report._send_confirmation_code()
        sms = self.env["sms.sms"].search([], order="id desc", limit=1)
        code = "".join(ch for ch in sms.body.split(" is ")[1] if ch.isdigit())[:6]
        ok, message = report._confirm_with_code(code)
        self.assertTrue(ok, message)
        return code


class StatementCase(AgentCase):
    """Posted entries of agents A and B for the statement (R-AGT-5), made the way
    settlement and the accountant make them: vendor bills and credit notes, customer
    invoices for parts, and a payment through ``account.payment``."""

    @classmethod
    def _entry(cls, agent, date, amount, entry_type=None, move_type="in_invoice", post=True):
        move = cls.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": agent.id,
                "invoice_date": date,
                "date": date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": f"{entry_type or 'other'} {date}",
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.clear()],
                        }
                    )
                ],
            }
        )
        if entry_type:
            move.line_ids.filtered(
                lambda line: line.account_type in ("asset_receivable", "liability_payable")
            ).aftersales_agent_entry_type = entry_type
        if post:
            move.action_post()
        return move

    @classmethod
    def _pay_agent(cls, agent, date, amount):
        payment = cls.env["account.payment"].create(
            {
                "payment_type": "outbound",
                "partner_type": "supplier",
                "partner_id": agent.id,
                "amount": amount,
                "date": date,
                "journal_id": cls.env["account.journal"]
                .search([("type", "=", "bank"), ("company_id", "=", cls.env.company.id)], limit=1)
                .id,
            }
        )
        payment.action_post()
        return payment
