#!/usr/bin/env python3
"""Benchmark: work reports approved with a part each (consumption + core obligation) and
their cores received, against the same stock moves validated plainly.

Run it with the Python of an Odoo 18 install, against an Odoo config naming a local
PostgreSQL (the script creates and drops its own databases, ``sbench_stock_<pid>`` and
``sbench_stock_<pid>_seed``):

    python bench/bench_stock.py -c config/odoo.conf [--count 20000] [--chunk 1000]

1. Fixtures (not timed) in the seed database: ``aftersales_stock`` installed without
   demo data; ``--agents`` agents (ORM: each gets its consignment location) with a rate
   card; a serial-tracked heater with a warranty policy; a burner part whose core must
   come back (storable, untracked, cost 2,000,000), stocked in every agent's consignment
   location and (for the floor) in spare parts stock. Then by SQL (one ``INSERT ...
   SELECT generate_series`` per table): ``--count`` heater serials with an active
   warranty card each, a job per serial (assigned to the agents in turn, one device
   line), a submitted warranty-repair work report per job, confirmed by the customer's
   code, with one burner on it; the reports' and parts' stored fields computed by the
   ORM. The timing runs on a copy of the seed database (``--keep-db`` keeps both;
   ``--from-db`` reruns the timing on a copy of a kept seed database;
   ``--installed-db`` copies a database with ``aftersales_stock`` installed instead of
   installing it).
2. Ours, as an after-sales manager, in chunks of ``--chunk``: "Approve" on the reports
   (``action_approve``: the fee, a validated stock move out of the agent's consignment
   location per part, the consignment items settled, a core obligation per part), then
   "Receive" on the cores (``action_receive``: a validated stock move per core into the
   defective-cores location). Flushed and committed per chunk.
3. The floor: Odoo's cheapest validated moves, internal moves from spare parts stock to
   another internal location, each created with its move line (quantity set, picked)
   and validated by ``_action_done`` in the same chunks: ``--count`` moves before ours
   and ``--count`` after (so growing tables weigh on both sides alike). Ours makes two
   moves per report (consumption and core receipt) and the documents around them, so
   the headline ratio is ours against the floor's 2 x ``--count`` moves; the ratio
   against ``--count`` moves is printed too.

``--profile FILE`` writes a cProfile of ours (``pstats`` format).

Each figure: wall seconds, this process's CPU seconds (``cpu_s``: less sensitive to other
load on the machine; PostgreSQL's own time is not in it) and SQL queries, for ours and
the floor. Last lines: ``BENCH stock_approve ...`` and ``BENCH stock_receive ...``
(against ``--count`` floor moves), then ``BENCH stock_approve_receive seconds=...
floor_s=... ratio=<ours/floor_2N>`` (target 2; ``ratio_n`` against ``--count`` moves).
"""

import argparse
import cProfile
import logging
import os
import sys
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_requests import create_database, drop_database, setup_odoo  # noqa: E402

TARGET_RATIO = 2.0
DB_PREFIX = "sbench"
SERIAL_PREFIX = "BSH"
PART_CODE = "HTR-BRN-900"

_logger = logging.getLogger("bench_stock")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--count", type=int, default=20000, help="work reports (and moves)")
    parser.add_argument("--chunk", type=int, default=1000, help="records per call")
    parser.add_argument("--agents", type=int, default=10)
    parser.add_argument(
        "--db-name", help=f"database of the timing (default {DB_PREFIX}_stock_<pid>)"
    )
    parser.add_argument("--keep-db", action="store_true", help="keep the seed and run databases")
    parser.add_argument("--from-db", help="a kept seed database: copy it and rerun only the timing")
    parser.add_argument(
        "--installed-db",
        help="copy this database (aftersales_stock installed, no demo) instead of installing",
    )
    parser.add_argument("--profile", help="write a cProfile of ours to this file")
    args = parser.parse_args()
    if args.db_name and not args.db_name.startswith(DB_PREFIX):
        parser.error(f"database names start with {DB_PREFIX}")
    return args


# ----------------------------------------------------------------------
# Databases
# ----------------------------------------------------------------------


def copy_database(odoo, source, target):
    odoo.modules.registry.Registry.delete(source)
    odoo.sql_db.close_db(source)
    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        cr.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def release_database(odoo, name, keep):
    odoo.modules.registry.Registry.delete(name)
    odoo.sql_db.close_db(name)
    if not keep:
        drop_database(odoo, name)


# ----------------------------------------------------------------------
# Fixtures
# ----------------------------------------------------------------------


def bench_user(env):
    """The administrator as an after-sales and stock manager, with the user's context."""
    from odoo import SUPERUSER_ID

    admin = env(user=SUPERUSER_ID).ref("base.user_admin")
    env = env(user=admin.id)
    return env(context=env.user.context_get())


def setup_master_data(env, args):
    """Company, user, layout, agents, device, part, stock; returns what seeding needs."""
    from odoo import Command

    company = env.company
    company.country_id = env.ref("base.ir")
    admin = env.ref("base.user_admin")
    admin.tz = "Asia/Tehran"
    admin.groups_id |= (
        env.ref("aftersales_base.group_aftersales_manager")
        | env.ref("stock.group_stock_manager")
        | env.ref("account.group_account_invoice")
    )
    company._aftersales_stock_layout()
    rate_card = env["aftersales.agent.rate.card"].create(
        {
            "name": "Bench rates",
            "rate_ids": [
                Command.create({"report_type": "warranty_repair", "zone": "any", "amount": 800000})
            ],
        }
    )
    agents = env["res.partner"].create(
        [
            {
                "name": f"Bench agent {i:02d}",
                "is_company": True,
                "is_aftersales_agent": True,
                "aftersales_agent_code": f"BA{i:02d}",
                "city": "Tehran",
                "aftersales_rate_card_id": rate_card.id,
            }
            for i in range(args.agents)
        ]
    )
    policy = env["aftersales.warranty.policy"].create(
        {"name": "Bench 12 months", "code": "BENCH", "duration_months": 12}
    )
    heater = env["product.product"].create(
        {
            "name": "Bench heater",
            "default_code": "BH-1",
            "is_storable": True,
            "tracking": "serial",
            "aftersales_warranty_policy_id": policy.id,
        }
    )
    part = env["product.product"].create(
        {
            "name": "Bench burner",
            "is_storable": True,
            "aftersales_is_part": True,
            "aftersales_part_code": PART_CODE,
            "aftersales_core_required": True,
            "aftersales_core_days": 15,
            "standard_price": 2000000,
            "lst_price": 3000000,
        }
    )
    Quant = env["stock.quant"].sudo()
    per_agent = -(-args.count // args.agents) + 10
    for agent in agents:
        Quant._update_available_quantity(
            part, agent._aftersales_consignment_location(company), per_agent
        )
    # The floor's stock: 2 x count moves, plus the warm-up.
    Quant._update_available_quantity(
        part, company.aftersales_parts_location_id, 2 * args.count + 100
    )
    env["stock.location"].sudo().create(
        {
            "name": "Bench shelf",
            "usage": "internal",
            "location_id": company.aftersales_stock_warehouse_id.view_location_id.id,
            "company_id": company.id,
        }
    )
    customer = env["res.partner"].create({"name": "Bench customer", "mobile": "09120000000"})
    return agents, policy, heater, part, customer


def seed_jobs(env, count, agents, policy, heater, part, customer):
    """By SQL: serials with active cards, a job per serial, a submitted and confirmed
    warranty-repair report per job with one part; then the ORM computes the reports'
    and parts' stored fields."""
    cr = env.cr
    env.flush_all()
    company = env.company
    cr.execute("SELECT COALESCE(max(id), 0) FROM stock_lot")
    first_lot = cr.fetchone()[0] + 1
    cr.execute("SELECT COALESCE(max(id), 0) FROM aftersales_request")
    first_request = cr.fetchone()[0] + 1
    params = {
        "count": count,
        "first_lot": first_lot,
        "first_request": first_request,
        "prefix": SERIAL_PREFIX,
        "company": company.id,
        "customer": customer.id,
        "policy": policy.id,
        "heater": heater.id,
        "heater_tmpl": heater.product_tmpl_id.id,
        "categ": heater.categ_id.id,
        "part": part.id,
        "type": env.ref("aftersales_base.service_type_wrp").id,
        "agents": agents.ids,
        "uid": env.uid,
    }
    cr.execute(
        """
        INSERT INTO stock_lot (id, name, aftersales_serial, product_id, company_id,
                               create_uid, write_uid, create_date, write_date)
        SELECT %(first_lot)s + n, s, s, %(heater)s, %(company)s, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(count)s - 1) n,
               LATERAL (SELECT %(prefix)s || lpad(n::text, 8, '0') AS s) serial
        """,
        params,
    )
    cr.execute("SELECT setval('stock_lot_id_seq', (SELECT max(id) FROM stock_lot))")
    cr.execute(
        """
        INSERT INTO aftersales_warranty_card (
            name, company_id, lot_id, product_id, product_tmpl_id, serial_number,
            partner_id, policy_id, state, start_rule, duration_months, dealer_months,
            extension_months, issue_date, start_date, end_date, activation_source,
            verification_token, create_uid, write_uid, create_date, write_date)
        SELECT 'WB' || lpad(l.id::text, 9, '0'), l.company_id, l.id, l.product_id,
               %(heater_tmpl)s, l.aftersales_serial, %(customer)s, %(policy)s, 'active',
               'delivery', 12, 0, 0, current_date - 60, current_date - 60,
               current_date + 304, 'delivery', md5(l.id::text || random()::text),
               %(uid)s, %(uid)s, now(), now()
          FROM stock_lot l
         WHERE l.id >= %(first_lot)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO aftersales_request (id, name, company_id, partner_id,
            commercial_partner_id, service_type_id, agent_id, agent_state, request_date,
            active, create_uid, write_uid, create_date, write_date)
        SELECT %(first_request)s + n, 'BJ' || lpad(n::text, 8, '0'), %(company)s,
               %(customer)s, %(customer)s, %(type)s,
               (%(agents)s::int[])[1 + n %% cardinality(%(agents)s::int[])], 'reported',
               now() - interval '3 days', true, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(count)s - 1) n
        """,
        params,
    )
    cr.execute(
        "SELECT setval('aftersales_request_id_seq', (SELECT max(id) FROM aftersales_request))"
    )
    cr.execute(
        """
        INSERT INTO aftersales_request_line (request_id, company_id, partner_id, product_id,
            serial_number, lot_id, create_uid, write_uid, create_date, write_date)
        SELECT r.id, r.company_id, r.partner_id, %(heater)s, l.name, l.id,
               %(uid)s, %(uid)s, now(), now()
          FROM aftersales_request r
          JOIN stock_lot l ON l.id = %(first_lot)s + (r.id - %(first_request)s)
         WHERE r.id >= %(first_request)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO aftersales_work_report (name, company_id, request_id, agent_id,
            request_line_id, lot_id, product_id, categ_id, report_type, state, travel,
            travel_zone, labour_hours, fee_amount, travel_amount, fee_adjustment, fee_total,
            chargeback_amount, settled_amount, is_settled, chargeback_settled,
            customer_confirmed, confirmation_method, confirmation_date, is_repeat,
            code_tries, code_sent_count, submitted_date, warranty_status,
            create_uid, write_uid, create_date, write_date)
        SELECT 'BWR' || lpad(r.id::text, 8, '0'), r.company_id, r.id, r.agent_id, l.id,
               l.lot_id, l.product_id, %(categ)s, 'warranty_repair', 'submitted', 'in_city',
               'in_city', 1, 0, 0, 0, 0, 0, 0, false, false, true, 'code',
               now() - interval '1 day', false, 0, 1, now() - interval '1 day',
               'In warranty', %(uid)s, %(uid)s, now(), now()
          FROM aftersales_request r
          JOIN aftersales_request_line l ON l.request_id = r.id
         WHERE r.id >= %(first_request)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO aftersales_work_report_part (sequence, report_id, company_id, product_id,
            quantity, device_lot_id, voided, create_uid, write_uid, create_date, write_date)
        SELECT 10, w.id, w.company_id, %(part)s, 1, w.lot_id, false,
               %(uid)s, %(uid)s, now(), now()
          FROM aftersales_work_report w
         WHERE w.request_id >= %(first_request)s
        """,
        params,
    )
    cr.execute(
        "ANALYZE stock_lot; ANALYZE aftersales_warranty_card; ANALYZE aftersales_request; "
        "ANALYZE aftersales_request_line; ANALYZE aftersales_work_report; "
        "ANALYZE aftersales_work_report_part"
    )
    env.invalidate_all()
    # The stored computed fields of the reports and parts, as the ORM makes them.
    for model in ("aftersales.work.report", "aftersales.work.report.part"):
        records = env[model].search([])
        for field in records._fields.values():
            if field.store and field.compute:
                env.add_to_compute(field, records)
        records.flush_model()
    env.flush_all()
    cr.commit()


# ----------------------------------------------------------------------
# The two sides
# ----------------------------------------------------------------------


def chunks(records, size):
    for start in range(0, len(records), size):
        yield records[start : start + size]


def approve(reports):
    reports.action_approve()


def receive(cores):
    cores.action_receive()


class Floor:
    """Plain internal moves of the part, one move line each, validated together."""

    def __init__(self, env, part):
        company = env.company
        self.env = env
        self.part = part
        self.source = company.aftersales_parts_location_id
        self.dest = env["stock.location"].search([("name", "=", "Bench shelf")], limit=1)
        self.company = company
        self.done = 0

    def values(self, index):
        from odoo import Command

        part = self.part
        return {
            "name": f"Bench move {index}",
            "product_id": part.id,
            "product_uom_qty": 1.0,
            "product_uom": part.uom_id.id,
            "location_id": self.source.id,
            "location_dest_id": self.dest.id,
            "company_id": self.company.id,
            "origin": f"BF{index:08d}",
            "picked": True,
            "move_line_ids": [
                Command.create(
                    {
                        "product_id": part.id,
                        "product_uom_id": part.uom_id.id,
                        "quantity": 1.0,
                        "location_id": self.source.id,
                        "location_dest_id": self.dest.id,
                        "company_id": self.company.id,
                    }
                )
            ],
        }

    def __call__(self, size):
        first = self.done
        self.done += size
        moves = self.env["stock.move"].sudo().create([self.values(first + i) for i in range(size)])
        moves._action_done()
        return moves


def timed(env, batches, func):
    """Seconds, SQL queries and this process's CPU seconds of ``func(batch)`` over
    ``batches``, flushed and committed per batch (the cache emptied between batches)."""
    cr = env.cr
    queries = cr.sql_log_count
    cpu = time.process_time()
    started = time.perf_counter()
    for batch in batches:
        func(batch)
        env.flush_all()
        cr.commit()
        env.invalidate_all()
    _logger.info("%s done", getattr(func, "__name__", type(func).__name__))
    return Timing(
        time.perf_counter() - started, cr.sql_log_count - queries, time.process_time() - cpu
    )


class Timing:
    def __init__(self, seconds, queries, cpu):
        self.seconds, self.queries, self.cpu = seconds, queries, cpu

    def __add__(self, other):
        return Timing(
            self.seconds + other.seconds, self.queries + other.queries, self.cpu + other.cpu
        )


def sizes(count, chunk):
    return [min(chunk, count - start) for start in range(0, count, chunk)]


@contextmanager
def profiled(path):
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(path)
        _logger.info("profile of ours written to %s", path)


def run_timing(env, args):
    cr = env.cr
    Report = env["aftersales.work.report"]
    Core = env["aftersales.core"]
    part = env["product.product"].search([("aftersales_part_code", "=", PART_CODE)])
    reports = Report.search([("state", "=", "submitted")], order="id")
    count = len(reports)
    assert count, "no submitted work report: was the seed database made by this script?"
    floor = Floor(env, part)

    # Warm-up (registry caches, prepared sequences), rolled back.
    approve(reports[:5])
    receive(Core.search([("report_id", "in", reports[:5].ids)]))
    floor(5)
    env.flush_all()
    cr.rollback()
    env.invalidate_all()
    floor.done = 0

    floor_a = timed(env, sizes(count, args.chunk), floor)
    report_ids = reports.ids
    env.invalidate_all()
    with profiled(args.profile) if args.profile else nullcontext():
        approved = timed(
            env, (Report.browse(ids) for ids in chunks(report_ids, args.chunk)), approve
        )
        core_ids = Core.search([("state", "=", "pending")], order="id").ids
        received = timed(env, (Core.browse(ids) for ids in chunks(core_ids, args.chunk)), receive)
    floor_b = timed(env, sizes(count, args.chunk), floor)

    # What ours did, read back.
    done = Report.search_count([("state", "=", "approved")])
    consumed = env["stock.move"].search_count(
        [("aftersales_work_report_part_id", "!=", False), ("state", "=", "done")]
    )
    cores = Core.search_count([("state", "=", "received"), ("move_ids.state", "=", "done")])
    floor_moves = env["stock.move"].search_count(
        [("origin", "=like", "BF%"), ("state", "=", "done")]
    )
    assert done == count and consumed == count and cores == count, (done, consumed, cores)
    assert floor_moves == 2 * count, floor_moves
    ours = approved + received
    floor_2n = floor_a + floor_b

    def line(name, side, floor, per, **extra):
        figures = " ".join(f"{key}={value}" for key, value in extra.items())
        return (
            f"BENCH {name} seconds={side.seconds:.2f} floor_s={floor.seconds:.2f} "
            f"cpu_s={side.cpu:.2f} floor_cpu_s={floor.cpu:.2f} queries={side.queries} "
            f"floor_queries={floor.queries} {per}={count / side.seconds:.0f} {figures} "
            f"cpu_ratio={side.cpu / floor.cpu:.2f} ratio={side.seconds / floor.seconds:.2f}"
        )

    return (
        line("stock_approve", approved, floor_a, "reports_per_s", floor_moves=count),
        line("stock_receive", received, floor_a, "cores_per_s", floor_moves=count),
        line(
            "stock_approve_receive",
            ours,
            floor_2n,
            "reports_per_s",
            floor_moves=2 * count,
            floor_n_s=f"{floor_a.seconds:.2f}",
            floor_n2_s=f"{floor_b.seconds:.2f}",
            ratio_n=f"{ours.seconds / floor_a.seconds:.2f}",
            reports=count,
            chunk=args.chunk,
            target_ratio=TARGET_RATIO,
        ),
    )


def main():
    args = parse_args()
    odoo = setup_odoo(args)
    from odoo import api

    db_name = args.db_name or f"{DB_PREFIX}_stock_{os.getpid()}"
    seed_db = args.from_db or f"{db_name}_seed"
    results = []
    made_seed = False
    made_run = False
    try:
        if not args.from_db:
            started = time.perf_counter()
            made_seed = True
            if args.installed_db:
                copy_database(odoo, args.installed_db, seed_db)
                registry = odoo.modules.registry.Registry(seed_db)
            else:
                registry = create_database(odoo, seed_db, modules=("aftersales_stock",))
            _logger.info("installed in %.0f s", time.perf_counter() - started)
            with registry.cursor() as cr:
                env = bench_user(api.Environment(cr, 1, {}))
                master = setup_master_data(env(su=True), args)
                cr.commit()
                started = time.perf_counter()
                seed_jobs(env(su=True), args.count, *master)
                _logger.info("seeded %s jobs in %.0f s", args.count, time.perf_counter() - started)
        copy_database(odoo, seed_db, db_name)
        made_run = True
        registry = odoo.modules.registry.Registry(db_name)
        with registry.cursor() as cr:
            env = bench_user(api.Environment(cr, 1, {}))
            results.extend(run_timing(env, args))
    finally:
        print("\n".join(results), flush=True)
        if made_run:
            release_database(odoo, db_name, args.keep_db)
        if made_seed:
            release_database(odoo, seed_db, args.keep_db)
        if args.keep_db:
            print(f"kept: {db_name} (after the run), {seed_db} (seed: --from-db {seed_db})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
