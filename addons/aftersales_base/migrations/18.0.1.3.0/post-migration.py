"""18.0.1.3.0: SMS status codes on the shipped stages (their data is noupdate)."""

CODES = {
    "stage_new": "1",
    "stage_assigned": "2",
    "stage_progress": "3",
    "stage_parts": "4",
    "stage_qc": "5",
    "stage_ready": "6",
    "stage_done": "7",
}


def migrate(cr, version):
    if not version:
        return
    for xmlid, code in CODES.items():
        cr.execute(
            """
            UPDATE aftersales_stage s SET sms_code = %s
              FROM ir_model_data d
             WHERE d.module = 'aftersales_base' AND d.name = %s AND d.model = 'aftersales.stage'
               AND d.res_id = s.id AND s.sms_code IS NULL
            """,
            (code, xmlid),
        )
