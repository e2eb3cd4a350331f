#!/usr/bin/env python3
"""Benchmark: service requests against Odoo's own repair orders, and search at scale.

Run it with the Python of an Odoo 18 install, against an Odoo config naming a local
PostgreSQL (the script creates and drops its own database):

    python bench/bench_requests.py -c config/odoo.conf [--count 10000] [--total 100000]

1. Creates ``--count`` service requests with 2 device lines each through the ORM, in
   batches, and in the same run the same number of ``repair.order`` records (Odoo's
   repair app, the anchor). Both go through ``create`` with the same user and context
   and are flushed and committed per batch. Ours also finds the customer by phone,
   computes the province and routing, the SLA and seasonality, and normalizes serials.
2. Fills the table up to ``--total`` requests (the extra rows by one SQL insert: this
   part measures searching, not creating) and times the ORM search by serial number and
   by phone number (median of 200 look-ups each, 50 ms is the target).

Last lines, one per figure: ``BENCH <name> <metric>=<value> ... ratio=<ours/anchor>``.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--total", type=int, default=100000)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args()


def setup_odoo(args):
    import odoo
    from odoo.tools import config

    addons_path = [str(ROOT / "addons")]
    config.parse_config(["-c", args.config, "--addons-path", ",".join(addons_path)])
    config["addons_path"] = ",".join([*addons_path, *config["addons_path"].split(",")[1:]])
    odoo.netsvc.init_logger()
    return odoo


def create_database(odoo, name, modules=("aftersales_base", "repair")):
    from odoo.service import db as db_service

    db_service._create_empty_database(name)
    odoo.tools.config["init"] = dict.fromkeys(modules, 1)
    odoo.tools.config["without_demo"] = "all"
    registry = odoo.modules.registry.Registry.new(name, update_module=True)
    odoo.tools.config["init"] = {}
    return registry


def timed_batches(env, model, vals_list, batch):
    Model = env[model]
    started = time.perf_counter()
    for start in range(0, len(vals_list), batch):
        Model.create(vals_list[start : start + batch])
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()
    return (time.perf_counter() - started) * 1000 / len(vals_list)


def fill_to_total(env, total):
    """Bulk rows for the search benchmark: same columns the ORM fills, by SQL."""
    cr = env.cr
    cr.execute("SELECT count(*) FROM aftersales_request")
    existing = cr.fetchone()[0]
    missing = max(total - existing, 0)
    if not missing:
        return
    company = env.company.id
    partner = env["res.partner"].create({"name": "Bulk customer"}).id
    stype = env.ref("aftersales_base.service_type_wrp").id
    stage = env.ref("aftersales_base.stage_new").id
    product = env["product.product"].search([("name", "like", "Bench device")], limit=1).id
    cr.execute(
        """
        INSERT INTO aftersales_request
            (name, company_id, partner_id, commercial_partner_id, service_type_id, stage_id,
             priority, active, is_closed, is_workshop, is_in_season, request_date,
             phone, phone_e164, create_uid, write_uid, create_date, write_date)
        SELECT 'BULK' || lpad(g::text, 8, '0'), %(company)s, %(partner)s, %(partner)s,
               %(stype)s, %(stage)s, '0', true, false, false, false,
               now() - (g || ' minutes')::interval,
               '021' || (30000000 + g)::text, '+9821' || (30000000 + g)::text,
               1, 1, now(), now()
          FROM generate_series(1, %(missing)s) g
        """,
        {
            "company": company,
            "partner": partner,
            "stype": stype,
            "stage": stage,
            "missing": missing,
        },
    )
    cr.execute(
        """
        INSERT INTO aftersales_request_line
            (request_id, company_id, partner_id, product_id, serial_number, sequence, qc_state,
             create_uid, write_uid, create_date, write_date)
        SELECT r.id, r.company_id, r.partner_id, %(product)s, 'BLK-' || r.id || '-' || n, 10,
               'none', 1, 1, now(), now()
          FROM aftersales_request r CROSS JOIN generate_series(1, 2) n
         WHERE r.name LIKE 'BULK%%'
        """,
        {"product": product},
    )
    cr.execute("ANALYZE aftersales_request; ANALYZE aftersales_request_line;")
    cr.commit()


def median_ms(func, samples):
    times = []
    for sample in samples:
        started = time.perf_counter()
        func(sample)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main():
    args = parse_args()
    odoo = setup_odoo(args)
    from odoo import SUPERUSER_ID, Command, api

    db_name = f"aftersales_bench_{os.getpid()}"
    registry = create_database(odoo, db_name)
    results = []
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.country_id = env.ref("base.ir")
            admin = env.ref("base.user_admin")
            env = env(user=admin.id)
            rng = random.Random(18)
            devices = env["product.product"].create(
                [{"name": f"Bench device {i}", "type": "consu"} for i in range(50)]
            )
            customers = env["res.partner"].create(
                [
                    {"name": f"Bench customer {i}", "phone": f"021{22000000 + i}"}
                    for i in range(2000)
                ]
            )
            tehran = env.ref("aftersales_base.state_ir_23")
            team = env["aftersales.team"].create({"name": "Bench team"})
            env["aftersales.routing.rule"].create({"state_id": tehran.id, "team_id": team.id})
            stype = env.ref("aftersales_base.service_type_wrp")
            fault = env.ref("aftersales_base.fault_code_f01")
            cr.commit()

            ours = []
            anchor = []
            for i in range(args.count):
                customer = customers[i % len(customers)]
                ours.append(
                    {
                        "phone": f"021 {22000000 + i % len(customers)}",
                        "service_type_id": stype.id,
                        "line_ids": [
                            Command.create(
                                {
                                    "product_id": rng.choice(devices).id,
                                    "serial_number": f"sn-{i}-a",
                                    "fault_code_ids": [Command.link(fault.id)],
                                }
                            ),
                            Command.create(
                                {"product_id": rng.choice(devices).id, "serial_number": f"sn-{i}-b"}
                            ),
                        ],
                    }
                )
                anchor.append({"partner_id": customer.id, "product_id": rng.choice(devices).id})
            anchor_ms = timed_batches(env, "repair.order", anchor, args.batch)
            ours_ms = timed_batches(env, "aftersales.request", ours, args.batch)
            results.append(
                f"BENCH create_request ms_per_record={ours_ms:.2f} "
                f"anchor_repair_order_ms_per_record={anchor_ms:.2f} records={args.count} "
                f"lines_per_request=2 ratio={ours_ms / anchor_ms:.2f}"
            )

            fill_to_total(env, args.total)
            Request = env["aftersales.request"]
            total = Request.search_count([])
            cr.execute("SELECT serial_number FROM aftersales_request_line")
            serials = [row[0] for row in cr.fetchall()]
            cr.execute("SELECT phone FROM aftersales_request WHERE phone IS NOT NULL")
            phones = [row[0] for row in cr.fetchall()]
            serial_samples = [s.lower() for s in rng.sample(serials, args.lookups)]
            phone_samples = ["+98" + p[1:] for p in rng.sample(phones, args.lookups)]

            def by_serial(serial):
                env.invalidate_all()
                assert Request.search([("serial_search", "=", serial)], limit=80)

            def by_phone(phone):
                env.invalidate_all()
                assert Request.search([("phone_search", "=", phone)], limit=80)

            for name, func, samples in (
                ("search_serial", by_serial, serial_samples),
                ("search_phone", by_phone, phone_samples),
            ):
                median = median_ms(func, samples)
                results.append(
                    f"BENCH {name} median_ms={median:.2f} requests={total} lookups={args.lookups} "
                    f"target_ms=50 ratio={median / 50:.2f}"
                )
    finally:
        finish(odoo, db_name, results, args.keep_db)
    return 0


def finish(odoo, db_name, results, keep_db=False):
    """Print the BENCH lines (even after a failure), then drop the database."""
    print("\n".join(results), flush=True)
    odoo.modules.registry.Registry.delete(db_name)
    odoo.sql_db.close_db(db_name)
    if not keep_db:
        drop_database(odoo, db_name)


def drop_database(odoo, name):
    # Direct DROP: the database manager may be disabled (list_db = False) in the config.
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'DROP DATABASE IF EXISTS "{name}"')


if __name__ == "__main__":
    sys.exit(main())
