#!/usr/bin/env python3
"""Benchmark: settlement of agent work reports in vendor bills, against the same number of
plain vendor bill lines created and posted directly.

Run it with the Python of an Odoo 18 install, against an Odoo config naming a local
PostgreSQL (the script creates and drops its own database, ``bench_settlement_<pid>``):

    python bench/bench_settlement.py -c config/odoo.conf [--reports 10000] [--agents 50]

1. Fixtures by SQL: ``--agents`` agents (ORM), ``--reports`` jobs with one device each and
   an approved work report on each (one ``INSERT ... SELECT generate_series`` per table),
   devices in two categories, one with an analytic account; the company's agent journal
   and fee expense account set.
2. The floor: ``--agents`` vendor bills of ``reports / agents`` lines each (the same
   accounts, partners, labels, amounts and analytic distribution as the settlement's),
   made by one ``account.move`` ``create`` and posted by one ``action_post``.
3. Ours: a settlement of the period for every agent (the "Settle" button): finds the
   reports, locks them, makes one bill per agent in one ``create``, posts them, marks
   the reports settled. Both sides flushed and committed inside the timing.

4. The agent's cartable: one more agent with ``--cartable-jobs`` open jobs (by SQL) and
   a portal user; Odoo's HTTP application started in this process on 127.0.0.1, the
   user logged in, the first page of ``/my/jobs`` requested ``--portal-samples`` times
   (after three warm-ups) at page sizes 20 and 80: median server time and the SQL
   queries of one page. Target: under 300 ms, and as many queries at 80 as at 20.

Last lines: ``BENCH <name> <metric>=<value> ... ratio=<ours/anchor>``: for the settlement
the anchor is the floor (target 1.5), for the cartable the 300 ms target.
"""

import argparse
import logging
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_requests import create_database, finish, portal_page, setup_odoo  # noqa: E402

TARGET_RATIO = 1.5
CARTABLE_TARGET_MS = 300
CARTABLE_LOGIN = "bench-agent"

_logger = logging.getLogger("bench_settlement")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--reports", type=int, default=10000)
    parser.add_argument("--agents", type=int, default=50)
    parser.add_argument("--db-name", help="database to create (default bench_settlement_<pid>)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--cartable-jobs", type=int, default=10000)
    parser.add_argument("--portal-samples", type=int, default=10)
    parser.add_argument(
        "--from-db",
        help="copy this database (aftersales_agent installed, no demo) instead of installing",
    )
    return parser.parse_args()


def setup_ledger(env):
    """A chart of accounts (generic when none was loaded), the agent journal and fee
    account on the company, two device categories (one with an analytic account)."""
    company = env.company
    if not env["account.account"].search_count([("company_ids", "in", company.ids)], limit=1):
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    account = env["account.account"].create(
        {"name": "Agent fees", "code": "AGF900", "account_type": "expense"}
    )
    journal = env["account.journal"].create(
        {"name": "Agent Bills", "code": "AGB", "type": "purchase"}
    )
    company.write(
        {"aftersales_agent_journal_id": journal.id, "aftersales_agent_fee_account_id": account.id}
    )
    plan = env["account.analytic.plan"].create({"name": "After-sales"})
    analytic = env["account.analytic.account"].create({"name": "Heaters", "plan_id": plan.id})
    Category = env["product.category"]
    heaters = Category.create({"name": "Heaters", "aftersales_analytic_account_id": analytic.id})
    coolers = Category.create({"name": "Coolers"})
    products = env["product.product"].create(
        [{"name": f"Bench heater {i}", "categ_id": heaters.id, "type": "consu"} for i in range(2)]
        + [{"name": f"Bench cooler {i}", "categ_id": coolers.id, "type": "consu"} for i in range(2)]
    )
    return account, journal, products


def seed_reports(env, agents, products, count):
    """``count`` jobs (one device each) and their approved work reports, by SQL; agents
    in turn. Fees of 300,000 to 1,500,000 Rials, approved over the last ten days."""
    cr = env.cr
    env.flush_all()
    customer = env["res.partner"].create({"name": "Bench customer", "mobile": "09120000000"})
    service_type = env.ref("aftersales_base.service_type_wrp")
    cr.execute("SELECT COALESCE(max(id), 0) FROM aftersales_request")
    first_request = cr.fetchone()[0] + 1
    params = {
        "count": count,
        "first": first_request,
        "company": env.company.id,
        "customer": customer.id,
        "type": service_type.id,
        "agents": agents.ids,
        "products": products.ids,
        "categs": [product.categ_id.id for product in products],
        "uid": env.uid,
    }
    cr.execute(
        """
        INSERT INTO aftersales_request (id, name, company_id, partner_id,
            commercial_partner_id, service_type_id, agent_id, request_date, active,
            create_uid, write_uid, create_date, write_date)
        SELECT %(first)s + g, 'BS' || lpad(g::text, 8, '0'), %(company)s, %(customer)s,
               %(customer)s, %(type)s,
               (%(agents)s::int[])[1 + g %% cardinality(%(agents)s::int[])],
               now() - interval '12 days', true, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(0, %(count)s - 1) g
        """,
        params,
    )
    cr.execute(
        "SELECT setval('aftersales_request_id_seq', (SELECT max(id) FROM aftersales_request))"
    )
    cr.execute(
        """
        INSERT INTO aftersales_request_line (request_id, company_id, partner_id, product_id,
            create_uid, write_uid, create_date, write_date)
        SELECT id, company_id, partner_id,
               (%(products)s::int[])[1 + id %% cardinality(%(products)s::int[])],
               %(uid)s, %(uid)s, now(), now()
          FROM aftersales_request WHERE id >= %(first)s
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO aftersales_work_report (name, company_id, request_id, agent_id,
            request_line_id, product_id, categ_id, report_type, state, travel, travel_zone,
            labour_hours, fee_amount, travel_amount, fee_adjustment, fee_total,
            chargeback_amount, settled_amount, is_settled, chargeback_settled,
            customer_confirmed, confirmation_method, is_repeat, code_tries, code_sent_count,
            submitted_date, approved_date, approved_user_id,
            create_uid, write_uid, create_date, write_date)
        SELECT 'BWR' || lpad(r.id::text, 8, '0'), r.company_id, r.id, r.agent_id, l.id,
               l.product_id,
               (%(categs)s::int[])[array_position(%(products)s::int[], l.product_id)],
               CASE WHEN r.id %% 3 = 0 THEN 'installation' WHEN r.id %% 3 = 1
                    THEN 'warranty_repair' ELSE 'paid_repair' END,
               'approved', 'in_city', 'in_city', 1, fee, 100000, 0, fee + 100000,
               0, 0, false, false, true, 'code', false, 0, 1,
               now() - (r.id %% 10) * interval '1 day' - interval '1 hour',
               now() - (r.id %% 10) * interval '1 day', %(uid)s,
               %(uid)s, %(uid)s, now(), now()
          FROM aftersales_request r
          JOIN aftersales_request_line l ON l.request_id = r.id,
               LATERAL (SELECT 300000 + (r.id %% 13) * 100000 AS fee) f
         WHERE r.id >= %(first)s
        """,
        params,
    )
    cr.execute("ANALYZE aftersales_request; ANALYZE aftersales_request_line")
    cr.execute("ANALYZE aftersales_work_report")
    cr.commit()


def seed_cartable(env, products, count):
    """An agent with ``count`` open jobs (one device each, by SQL) and a portal user
    (login and password ``CARTABLE_LOGIN``)."""
    from odoo import Command

    cr = env.cr
    agent = env["res.partner"].create(
        {
            "name": "Bench cartable agent",
            "is_company": True,
            "is_aftersales_agent": True,
            "aftersales_agent_code": "BCART",
            "city": "Tehran",
        }
    )
    contact = env["res.partner"].create({"name": "Bench agent staff", "parent_id": agent.id})
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": "Bench agent staff",
            "login": CARTABLE_LOGIN,
            "password": CARTABLE_LOGIN,
            "partner_id": contact.id,
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
        }
    )
    customer = env["res.partner"].create({"name": "Cartable customer", "mobile": "09121112233"})
    stage = env["aftersales.request"]._default_stage()
    env.flush_all()
    params = {
        "count": count,
        "company": env.company.id,
        "customer": customer.id,
        "type": env.ref("aftersales_base.service_type_wrp").id,
        "agent": agent.id,
        "stage": stage.id,
        "products": products.ids,
        "uid": env.uid,
    }
    cr.execute(
        """
        INSERT INTO aftersales_request (name, company_id, partner_id, commercial_partner_id,
            service_type_id, agent_id, agent_state, stage_id, is_closed, mobile, city,
            request_date, active, create_uid, write_uid, create_date, write_date)
        SELECT 'BC' || lpad(g::text, 8, '0'), %(company)s, %(customer)s, %(customer)s,
               %(type)s, %(agent)s, 'new', %(stage)s, false, '09121112233', 'Tehran',
               now() - g * interval '1 minute', true, %(uid)s, %(uid)s, now(), now()
          FROM generate_series(1, %(count)s) g
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO aftersales_request_line (request_id, company_id, partner_id, product_id,
            serial_number, create_uid, write_uid, create_date, write_date)
        SELECT id, company_id, partner_id,
               (%(products)s::int[])[1 + id %% cardinality(%(products)s::int[])],
               'CS' || id, %(uid)s, %(uid)s, now(), now()
          FROM aftersales_request WHERE agent_id = %(agent)s
        """,
        params,
    )
    cr.execute("ANALYZE aftersales_request; ANALYZE aftersales_request_line")
    cr.commit()
    return agent


def floor_values(env, reports, account, journal):
    """The settlement's bills written by hand: per agent, a line per report."""
    today = env.context.get("bench_today")
    by_agent = reports.grouped("agent_id")
    return [
        {
            "move_type": "in_invoice",
            "partner_id": agent.id,
            "journal_id": journal.id,
            "invoice_date": today,
            "date": today,
            "ref": f"floor {agent.aftersales_agent_code}",
            "invoice_line_ids": [
                (
                    0,
                    0,
                    {
                        "name": f"Fee {report.name} ({report.request_id.name})",
                        "account_id": account.id,
                        "quantity": 1.0,
                        "price_unit": report.fee_total,
                        "analytic_distribution": (
                            {str(analytic.id): 100}
                            if (analytic := report.categ_id.aftersales_analytic_account_id)
                            else False
                        ),
                    },
                )
                for report in agent_reports
            ],
        }
        for agent, agent_reports in by_agent.items()
    ]


def main():
    args = parse_args()
    odoo = setup_odoo(args)
    from odoo import SUPERUSER_ID, api, fields

    db_name = args.db_name or f"bench_settlement_{os.getpid()}"
    if args.from_db:
        with odoo.sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{args.from_db}"')
        registry = odoo.modules.registry.Registry(db_name)
    else:
        registry = create_database(odoo, db_name, modules=("aftersales_agent",))
    results = []
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.country_id = env.ref("base.ir")
            admin = env.ref("base.user_admin")
            admin.tz = "Asia/Tehran"
            admin.groups_id |= env.ref("aftersales_base.group_aftersales_manager") | env.ref(
                "account.group_account_invoice"
            )
            env = env(user=admin.id)
            env = env(context=env.user.context_get())
            account, journal, products = setup_ledger(env(su=True))
            agents = env["res.partner"].create(
                [
                    {
                        "name": f"Bench agent {i:02d}",
                        "is_company": True,
                        "is_aftersales_agent": True,
                        "aftersales_agent_code": f"BA{i:02d}",
                        "city": "Tehran",
                    }
                    for i in range(args.agents)
                ]
            )
            cr.commit()
            started = time.perf_counter()
            seed_reports(env, agents, products, args.reports)
            _logger.info("seeded %s reports in %.1f s", args.reports, time.perf_counter() - started)
            today = fields.Date.context_today(env.user)
            Report = env["aftersales.work.report"]
            reports = Report.search([("state", "=", "approved")])
            assert len(reports) == args.reports, len(reports)

            # Warm-up: one small bill through each path (registry caches, sequences).
            warm = env["account.move"].create(
                floor_values(
                    env(context=dict(env.context, bench_today=today)), reports[:2], account, journal
                )
            )
            warm.action_post()
            cr.rollback()
            env.invalidate_all()

            # 2. The floor.
            vals_list = floor_values(
                env(context=dict(env.context, bench_today=today)), reports, account, journal
            )
            env.invalidate_all()
            started = time.perf_counter()
            moves = env["account.move"].create(vals_list)
            moves.action_post()
            env.flush_all()
            cr.commit()
            floor_s = time.perf_counter() - started
            floor_lines = len(moves.invoice_line_ids)
            assert floor_lines == args.reports, floor_lines
            env.invalidate_all()

            # 3. Ours: the settlement of the period, every agent.
            settlement = env["aftersales.agent.settlement"].create(
                {
                    "period_type": "range",
                    "date_from": today - timedelta(days=15),
                    "date_to": today,
                }
            )
            cr.commit()
            env.invalidate_all()
            started = time.perf_counter()
            settlement.action_settle()
            env.flush_all()
            cr.commit()
            ours_s = time.perf_counter() - started
            env.invalidate_all()
            settled = Report.search_count([("is_settled", "=", True)])
            bills = len(settlement.move_ids)
            lines = len(settlement.move_ids.invoice_line_ids)
            assert settled == args.reports and lines == args.reports, (settled, lines)
            assert bills == args.agents, bills
            ratio = ours_s / floor_s
            results.append(
                f"BENCH settlement seconds={ours_s:.2f} reports_per_s={args.reports / ours_s:.0f} "
                f"floor_s={floor_s:.2f} floor_lines_per_s={floor_lines / floor_s:.0f} "
                f"reports={args.reports} agents={args.agents} bills={bills} "
                f"target_ratio={TARGET_RATIO} ratio={ratio:.2f}"
            )
            _logger.info(results[-1])

            # 4. The agent's cartable.
            seed_cartable(env(su=True), products, args.cartable_jobs)
            pages = portal_page(
                odoo,
                db_name,
                (20, 80),
                args.portal_samples,
                path="/my/jobs",
                login=CARTABLE_LOGIN,
                row_pattern=r"o_aftersales_agent_job_card",
            )
            small, large = pages[20], pages[80]
            assert (small["rows"], large["rows"]) == (20, 80), (small["rows"], large["rows"])
            results.append(
                f"BENCH agent_cartable server_ms={small['ms']:.1f} cpu_ms={small['cpu_ms']:.1f} "
                f"sql_ms={small['sql_ms']:.1f} queries_20={small['queries']} "
                f"server_ms_80={large['ms']:.1f} queries_80={large['queries']} "
                f"jobs={args.cartable_jobs} target_ms={CARTABLE_TARGET_MS} "
                f"ratio={small['ms'] / CARTABLE_TARGET_MS:.2f}"
            )
            _logger.info(results[-1])
    finally:
        finish(odoo, db_name, results, args.keep_db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
