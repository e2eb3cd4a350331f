#!/usr/bin/env python3
"""Benchmark: the monthly scorecards of 200 agents over 200,000 done jobs and 50,000
answered happy calls, and the number of SQL queries as the number of agents changes.

Run it with the Python of an Odoo 18 install, against an Odoo config naming a local
PostgreSQL (the script creates and drops its own database, ``bench_scorecard_<pid>``):

    python bench/bench_scorecard.py -c config/odoo.conf [--requests 200000] [--agents 200]
        [--calls 50000]

1. Fixtures, outside the timing. ``--agents`` agents (ORM, with a daily capacity), then by
   SQL (one ``INSERT ... SELECT generate_series`` per table): ``--requests`` jobs done
   inside one Jalali month (the last complete one; done stage, agents in turn, a device
   each, half of them done after their SLA deadline), an approved work report on each
   (a share of repeats, most confirmed by the customer), ``--calls`` happy calls answered
   on as many of those jobs (state done, a score, the ``survey.user_input`` of the
   answers linked both ways, one answered attempt each), and one complaint with
   negative points for an agent job in 200 (ORM). During the inserts the plain indexes
   are dropped (rebuilt after) and, for a PostgreSQL superuser, the foreign key triggers
   off: the rows are consistent by construction (checked through the ORM after). The
   same again for the month before with ``--small-agents`` other
   agents and a tenth of the jobs and calls.
2. A warm-up: the scorecard of the small month (registry and rule caches, SQL plans).
3. TIMED: ``aftersales.scorecard`` of the big month, ``action_compute`` (the
   "Compute" button of a manager), flushed and committed: seconds and SQL queries
   (``cr.sql_log_count``). Then the scorecard of the small month, SQL queries only.
   The computation reads with one grouped query per source: both counts must be
   equal (no query per agent). Target: under 10 s.

Last line: ``BENCH scorecard seconds=... queries_200=... queries_20=... ... ratio=<s/10>``
(the anchor is the 10 s target).
"""

import argparse
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_requests import (  # noqa: E402
    QueryLog,
    create_database,
    finish,
    indexes_rebuilt,
    setup_odoo,
    skip_foreign_key_triggers,
)

TARGET_S = 10
PENALTY_EVERY = 200
SEEDED_TABLES = [
    "aftersales_request",
    "aftersales_request_line",
    "aftersales_work_report",
    "aftersales_happy_call",
    "survey_user_input",
    "aftersales_happy_call_attempt",
]

_logger = logging.getLogger("bench_scorecard")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--requests", type=int, default=200000)
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--calls", type=int, default=50000)
    parser.add_argument(
        "--small-agents",
        type=int,
        default=20,
        help="agents of the second month (the query-count check)",
    )
    parser.add_argument(
        "--show-queries", action="store_true", help="print the SQL of both computations"
    )
    parser.add_argument("--db-name", help="database to create (default bench_scorecard_<pid>)")
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument(
        "--from-db",
        help="copy this database (aftersales_survey installed) instead of installing",
    )
    args = parser.parse_args()
    if not 0 < args.calls <= args.requests or args.agents < 1 or args.small_agents < 1:
        parser.error("need 0 < calls <= requests and at least one agent")
    return args


def jalali_months(env, count):
    """The ``count`` Jalali months before the current one, latest first: ``(year, month)``."""
    Scorecard = env["aftersales.scorecard"]
    year, month = Scorecard._default_period()
    months = []
    for _i in range(count):
        months.append((year, month))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months


def make_agents(env, count, prefix):
    return env["res.partner"].create(
        [
            {
                "name": f"Bench agent {prefix}{i:03d}",
                "is_company": True,
                "is_aftersales_agent": True,
                "aftersales_agent_code": f"{prefix}{i:03d}",
                "aftersales_daily_capacity": 20 + i % 31,
                "city": "Tehran",
            }
            for i in range(count)
        ]
    )


def utc_bounds(env, year, month):
    """The scorecard's own period bounds (UTC, naive) for ``year``/``month``."""
    card = env["aftersales.scorecard"].new({"jalali_year": year, "jalali_month": str(month)})
    return card._utc_bounds()


def seed_month(env, year, month, agents, requests, calls, prefix, fixtures):
    """``requests`` done jobs of ``agents`` in Jalali ``year``/``month`` with a device and
    an approved work report each, ``calls`` answered happy calls, and negative points on
    one job in ``PENALTY_EVERY``; all by SQL but the complaints."""
    cr = env.cr
    env.flush_all()
    start, end = utc_bounds(env, year, month)
    started = time.perf_counter()
    params = {
        "count": requests,
        "calls": calls,
        "step": max(requests // calls, 1),
        "prefix": prefix,
        "start": start,
        "span": end - start,
        "company": env.company.id,
        "customers": fixtures["customers"].ids,
        "type": fixtures["service_type"].id,
        "stage": fixtures["stage"].id,
        "agents": agents.ids,
        "product": fixtures["product"].id,
        "categ": fixtures["product"].categ_id.id,
        "survey": fixtures["survey"].id,
        "uid": env.uid,
    }
    skip_foreign_key_triggers(cr)
    with indexes_rebuilt(cr, SEEDED_TABLES):
        insert_jobs(cr, params)
    cr.execute("SET LOCAL session_replication_role = origin")
    cr.execute("ANALYZE aftersales_request; ANALYZE aftersales_request_line")
    cr.execute("ANALYZE aftersales_work_report; ANALYZE aftersales_happy_call")
    cr.execute("ANALYZE survey_user_input")
    _logger.info("seeded %s jobs by SQL in %.1f s", requests, time.perf_counter() - started)
    # Complaints with negative points (ORM): one agent job in PENALTY_EVERY, received
    # two days after the job, inside the month.
    cr.execute(
        """
        SELECT r.id, r.partner_id, r.agent_id, r.done_date + interval '2 days'
          FROM bench_job j JOIN aftersales_request r ON r.id = j.id
         WHERE j.n %% %(every)s = 1 AND r.done_date < %(start)s + %(span)s - interval '3 days'
        """,
        {**params, "every": PENALTY_EVERY},
    )
    rows = cr.fetchall()
    env.invalidate_all()
    quiet = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
    complaints = quiet["aftersales.complaint"].create(
        [
            {
                "partner_id": partner,
                "request_id": request,
                "agent_id": agent,
                "received_date": received,
                "description": "Bench: the technician came late.",
            }
            for request, partner, agent, received in rows
        ]
    )
    quiet["aftersales.complaint.penalty"].create(
        [
            {
                "complaint_id": complaint.id,
                "agent_id": agent,
                "points": 1 + index % 3,
                "reason": "Late visit",
            }
            for index, (complaint, (_request, _partner, agent, _received)) in enumerate(
                zip(complaints, rows, strict=True)
            )
        ]
    )
    env.flush_all()
    cr.commit()
    _logger.info("%s complaints by the ORM in %.1f s", len(rows), time.perf_counter() - started)
    return len(rows)


def insert_jobs(cr, params):
    """The jobs of one month and their devices, work reports, happy calls and answers
    (``seed_month``), by SQL."""
    # Jobs: done evenly over the month (strictly inside it); requested 1..96 hours
    # before, with a 48-hour SLA (about half of the jobs late).
    cr.execute(
        """
        INSERT INTO aftersales_request (name, company_id, partner_id, commercial_partner_id,
            service_type_id, agent_id, agent_state, stage_id, is_closed, mobile, city,
            request_date, done_date, sla_deadline, active,
            create_uid, write_uid, create_date, write_date)
        SELECT %(prefix)s || lpad(g::text, 8, '0'), %(company)s, c, c, %(type)s,
               (%(agents)s::int[])[1 + g %% cardinality(%(agents)s::int[])], 'reported',
               %(stage)s, true, '0912' || lpad((g %% 10000000)::text, 7, '0'), 'Tehran',
               d - h * interval '1 hour', d, d - h * interval '1 hour' + interval '48 hours',
               true, %(uid)s, %(uid)s, d, d
          FROM generate_series(0, %(count)s - 1) g,
               LATERAL (SELECT %(start)s + %(span)s * ((g + 0.5) / %(count)s) AS d,
                               1 + (g * 7) %% 96 AS h,
                               (%(customers)s::int[])[1 + (g * 13) %% cardinality(%(customers)s::int[])] AS c) x
        """,
        params,
    )
    cr.execute(
        """
        CREATE TEMP TABLE bench_job ON COMMIT DROP AS
        SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
          FROM aftersales_request WHERE name LIKE %(prefix)s || '%%';
        """,
        params,
    )
    cr.execute(
        """
        INSERT INTO aftersales_request_line (request_id, company_id, partner_id, product_id,
            serial_number, create_uid, write_uid, create_date, write_date)
        SELECT r.id, r.company_id, r.partner_id, %(product)s, %(prefix)s || 'S' || r.id,
               %(uid)s, %(uid)s, r.create_date, r.create_date
          FROM aftersales_request r JOIN bench_job j ON j.id = r.id
        """,
        params,
    )
    # Work reports approved when the job was done: one in 25 a repeat repair, four in
    # five confirmed by the customer's code.
    cr.execute(
        """
        INSERT INTO aftersales_work_report (name, company_id, request_id, agent_id,
            request_line_id, product_id, categ_id, report_type, state, travel, travel_zone,
            labour_hours, fee_amount, travel_amount, fee_adjustment, fee_total,
            chargeback_amount, settled_amount, is_settled, chargeback_settled,
            customer_confirmed, confirmation_method, confirmation_date, is_repeat,
            code_tries, code_sent_count, submitted_date, approved_date, approved_user_id,
            create_uid, write_uid, create_date, write_date)
        SELECT %(prefix)s || 'W' || lpad(j.n::text, 8, '0'), r.company_id, r.id, r.agent_id,
               l.id, l.product_id, %(categ)s, 'warranty_repair', 'approved', 'in_city',
               'in_city', 1, 500000, 100000, 0, 600000, 0, 0, false, false,
               j.n %% 5 <> 0, CASE WHEN j.n %% 5 <> 0 THEN 'code' END,
               CASE WHEN j.n %% 5 <> 0 THEN r.done_date END, j.n %% 25 = 0, 0, 1,
               r.done_date - interval '10 minutes', r.done_date, %(uid)s,
               %(uid)s, %(uid)s, r.done_date, r.done_date
          FROM bench_job j
          JOIN aftersales_request r ON r.id = j.id
          JOIN aftersales_request_line l ON l.request_id = r.id
        """,
        params,
    )
    # Happy calls answered on every `step`-th job: scores 0..100 in twelfths.
    cr.execute(
        """
        INSERT INTO aftersales_happy_call (name, company_id, request_id, partner_id, agent_id,
            service_type_id, product_id, done_date, survey_id, state, priority_date,
            attempt_count, answered_date, answered_user_id, score, is_unhappy, interested,
            create_uid, write_uid, create_date, write_date)
        SELECT r.name, r.company_id, r.id, r.partner_id, r.agent_id, r.service_type_id,
               %(product)s, r.done_date, %(survey)s, 'done', r.done_date, 1,
               r.done_date + interval '1 day', %(uid)s, s.score, s.score < 50, false,
               %(uid)s, %(uid)s, r.done_date, r.done_date + interval '1 day'
          FROM bench_job j
          JOIN aftersales_request r ON r.id = j.id,
               LATERAL (SELECT ((j.n * 7) %% 13) * 100.0 / 12 AS score) s
         WHERE j.n %% %(step)s = 0 AND j.n / %(step)s < %(calls)s
        """,
        params,
    )
    # The answers (without their lines: the scorecard reads the call's score).
    cr.execute(
        """
        INSERT INTO survey_user_input (survey_id, partner_id, state, access_token,
            scoring_percentage, scoring_total, scoring_success, test_entry,
            is_session_answer, survey_first_submitted, start_datetime, end_datetime,
            aftersales_happy_call_id, create_uid, write_uid, create_date, write_date)
        SELECT c.survey_id, c.partner_id, 'done', md5(c.id::text || random()::text),
               c.score, round(c.score * 12 / 100), false, false, false, true, c.answered_date,
               c.answered_date, c.id, %(uid)s, %(uid)s, c.answered_date, c.answered_date
          FROM aftersales_happy_call c JOIN bench_job j ON j.id = c.request_id
        """,
        params,
    )
    cr.execute(
        """
        UPDATE aftersales_happy_call c SET user_input_id = i.id
          FROM survey_user_input i, bench_job j
         WHERE i.aftersales_happy_call_id = c.id AND j.id = c.request_id
        """
    )
    # The operator's one attempt on each call: answered.
    cr.execute(
        """
        INSERT INTO aftersales_happy_call_attempt (call_id, company_id, user_id, date,
            outcome, create_uid, write_uid, create_date, write_date)
        SELECT c.id, c.company_id, %(uid)s, c.answered_date, 'answered',
               %(uid)s, %(uid)s, c.answered_date, c.answered_date
          FROM aftersales_happy_call c JOIN bench_job j ON j.id = c.request_id
        """,
        params,
    )


def compute(env, year, month, show=False):
    """One "Compute" of a new scorecard of ``year``/``month``, flushed (committed after):
    ``(seconds, queries, reads, card)``, ``reads`` the queries that are not an INSERT,
    UPDATE or DELETE. ``show``: print its queries (shortened) with their milliseconds."""
    card = env["aftersales.scorecard"].create({"jalali_year": year, "jalali_month": str(month)})
    env.flush_all()
    env.cr.commit()
    env.invalidate_all()
    queries = env.cr.sql_log_count
    with QueryLog() as log:
        started = time.perf_counter()
        card.action_compute()
        env.flush_all()
        seconds = time.perf_counter() - started
    queries = env.cr.sql_log_count - queries
    reads = sum(
        1
        for query, _delay in log.queries
        if query.lstrip().split(None, 1)[0].upper() not in ("INSERT", "UPDATE", "DELETE")
    )
    if show:
        print(f"--- {card.name}: {queries} queries, {seconds:.2f} s", flush=True)
        for query, delay in log.queries:
            print(f"[{delay:8.1f} ms] {' '.join(query.split())[:160]}", flush=True)
    env.cr.commit()
    return seconds, queries, reads, card


def check_seeded(env, agents, requests, calls):
    """The seeded rows as the ORM sees them."""
    env.invalidate_all()
    domain = [("agent_id", "in", agents.ids)]
    done = env.ref("aftersales_base.stage_done")
    jobs = env["aftersales.request"].search([*domain, ("stage_id", "=", done.id)])
    assert len(jobs) == requests, len(jobs)
    answered = env["aftersales.happy.call"].search([*domain, ("state", "=", "done")])
    assert len(answered) == calls, len(answered)
    call = answered[-1]
    assert call.user_input_id.aftersales_happy_call_id == call, call
    assert call.attempt_count == len(call.attempt_ids) == 1, call
    assert call.request_id.is_closed and call.request_id.done_date == call.done_date, call
    reports = env["aftersales.work.report"].search_count([*domain, ("state", "=", "approved")])
    assert reports == requests, reports


def check(card, agents, requests, calls):
    """The lines of ``agents`` add up to the seeded figures."""
    lines = card.line_ids.filtered(lambda line: line.agent_id in agents)
    figures = (len(lines), sum(lines.mapped("jobs")), sum(lines.mapped("calls")))
    assert figures == (len(agents), requests, calls), (card.name, figures)
    assert all(line.rank for line in lines), card.name
    assert all(0 < line.sla_total == line.jobs for line in lines), card.name


def main():
    args = parse_args()
    odoo = setup_odoo(args)
    from odoo import SUPERUSER_ID, api

    db_name = args.db_name or f"bench_scorecard_{os.getpid()}"
    if args.from_db:
        with odoo.sql_db.db_connect("postgres").cursor() as cr:
            cr._cnx.autocommit = True
            cr.execute(f'CREATE DATABASE "{db_name}" TEMPLATE "{args.from_db}"')
        registry = odoo.modules.registry.Registry(db_name)
    else:
        registry = create_database(odoo, db_name, modules=("aftersales_survey",))
    results = []
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.country_id = env.ref("base.ir")
            admin = env.ref("base.user_admin")
            admin.tz = "Asia/Tehran"
            admin.groups_id |= env.ref("aftersales_base.group_aftersales_manager")
            env = env(user=admin.id)
            env = env(context=env.user.context_get())
            sudo = env(su=True)
            fixtures = {
                "customers": sudo["res.partner"].create(
                    [
                        {"name": f"Bench customer {i:03d}", "mobile": f"0912{i:07d}"}
                        for i in range(500)
                    ]
                ),
                "service_type": env.ref("aftersales_base.service_type_wrp"),
                "stage": env.ref("aftersales_base.stage_done"),
                "product": sudo["product.product"].create({"name": "Bench heater"}),
                "survey": env.ref("aftersales_survey.survey_happy_call"),
            }
            big_agents = make_agents(sudo, args.agents, "BA")
            small_agents = make_agents(sudo, args.small_agents, "BS")
            cr.commit()
            (big_y, big_m), (small_y, small_m) = jalali_months(env, 2)
            small_requests = max(args.requests // 10, args.small_agents)
            small_calls = max(args.calls // 10, 1)
            started = time.perf_counter()
            seed_month(sudo, big_y, big_m, big_agents, args.requests, args.calls, "BJ", fixtures)
            seed_month(
                sudo,
                small_y,
                small_m,
                small_agents,
                small_requests,
                small_calls,
                "BK",
                fixtures,
            )
            check_seeded(sudo, big_agents, args.requests, args.calls)
            check_seeded(sudo, small_agents, small_requests, small_calls)
            _logger.info(
                "seeded %s + %s jobs in %.1f s",
                args.requests,
                small_requests,
                time.perf_counter() - started,
            )

            # Warm-up: the small month once (registry and rule caches, SQL plans).
            compute(env, small_y, small_m)

            seconds, queries_big, reads_big, card = compute(env, big_y, big_m, args.show_queries)
            check(card, big_agents, args.requests, args.calls)
            _seconds, queries_small, reads_small, small_card = compute(
                env, small_y, small_m, args.show_queries
            )
            check(small_card, small_agents, small_requests, small_calls)
            lines_big, lines_small = len(card.line_ids), len(small_card.line_ids)
            _logger.info(
                "scorecard %s: %.2f s, %s queries (%s reads) for %s lines; "
                "%s: %s queries (%s reads) for %s lines",
                card.name,
                seconds,
                queries_big,
                reads_big,
                lines_big,
                small_card.name,
                queries_small,
                reads_small,
                lines_small,
            )
            results.append(
                f"BENCH scorecard seconds={seconds:.2f} queries_{args.agents}={queries_big} "
                f"queries_{args.small_agents}={queries_small} reads_{args.agents}={reads_big} "
                f"reads_{args.small_agents}={reads_small} agents={args.agents} "
                f"requests={args.requests} calls={args.calls} target_s={TARGET_S} "
                f"ratio={seconds / TARGET_S:.2f}"
            )
            _logger.info(results[-1])
            if reads_big != reads_small:
                _logger.warning(
                    "the reading queries grow with the agents: %s for %s, %s for %s",
                    reads_big,
                    args.agents,
                    reads_small,
                    args.small_agents,
                )
            if queries_big != queries_small:
                # Odoo's create() inserts INSERT_BATCH_SIZE rows a query, and the
                # flush updates UPDATE_BATCH_SIZE rows a query.
                _logger.warning(
                    "the writing queries grow with the lines (%s for %s lines, %s for %s): "
                    "the ORM's batches of 100 rows",
                    queries_big - reads_big,
                    lines_big,
                    queries_small - reads_small,
                    lines_small,
                )
    finally:
        finish(odoo, db_name, results, args.keep_db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
