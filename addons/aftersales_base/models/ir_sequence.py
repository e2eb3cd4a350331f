from odoo import api, models
from odoo.exceptions import UserError


class IrSequence(models.Model):
    _inherit = "ir.sequence"

    @api.model
    def _aftersales_number(self, vals_list, code, field="name"):
        """Number the new records of ``vals_list`` that have none (no value, "/" or the
        "New" placeholder) from the sequence ``code``, in one round trip; the others
        keep theirs and take no number."""
        placeholders = {"/", self.env._("New")}
        missing = [vals for vals in vals_list if not vals.get(field) or vals[field] in placeholders]
        numbers = self._aftersales_next_numbers(code, len(missing))
        for vals, number in zip(missing, numbers, strict=True):
            vals[field] = number
        return vals_list

    @api.model
    def _aftersales_next_numbers(self, code, count):
        """``count`` numbers of the sequence ``code`` in one round trip.

        A ``standard`` sequence is a PostgreSQL sequence: numbers are unique across
        concurrent transactions without locking a row. Other implementations fall back
        to Odoo's one-by-one ``next_by_id``.
        """
        if not count:
            return []
        sequence = self.sudo().search(
            [("code", "=", code), ("company_id", "in", [self.env.company.id, False])],
            order="company_id",
            limit=1,
        )
        if not sequence:
            raise UserError(self.env._("The sequence %(code)s is missing.", code=code))
        if sequence.implementation != "standard" or sequence.use_date_range:
            return [sequence.next_by_id() for _i in range(count)]
        self.env.cr.execute(
            "SELECT nextval(%s) FROM generate_series(1, %s)",
            (f"ir_sequence_{sequence.id:03d}", count),
        )
        prefix, suffix = sequence._get_prefix_suffix()
        return [
            f"{prefix}{number:0{sequence.padding}d}{suffix}" for (number,) in self.env.cr.fetchall()
        ]
