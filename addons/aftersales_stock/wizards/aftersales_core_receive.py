import re

from odoo import api, fields, models
from odoo.exceptions import UserError


class AftersalesCoreReceive(models.TransientModel):
    """The warehouse scans the labels of the cores that came in (one per line) and
    receives them together."""

    _name = "aftersales.core.receive"
    _description = "Receive Cores"

    labels = fields.Text(help="Scan or type the core labels, one per line.")

    def action_receive(self):
        self.ensure_one()
        labels = [text for text in re.split(r"[\s,;]+", self.labels or "") if text]
        if not labels:
            raise UserError(self.env._("Scan the labels of the cores to receive."))
        Core = self.env["aftersales.core"]
        cores = Core.browse()
        for label in dict.fromkeys(labels):
            cores |= Core._find_by_label(label)
        cores.action_receive()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "aftersales_stock.aftersales_core_action"
        )
        action.update({"domain": [("id", "in", cores.ids)], "context": {}})
        return action


class AftersalesCoreInspect(models.TransientModel):
    _name = "aftersales.core.inspect"
    _description = "Inspect Cores"

    core_ids = fields.Many2many("aftersales.core", string="Cores")
    result = fields.Selection(
        [("damaged", "Damaged"), ("wrong_part", "Wrong Part"), ("accepted", "Accepted")],
        required=True,
        default="damaged",
    )
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "aftersales.core":
            values["core_ids"] = [(6, 0, self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        self.core_ids.action_inspect(self.result, self.note)
        return {"type": "ir.actions.act_window_close"}
