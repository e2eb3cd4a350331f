#!/usr/bin/env python3
"""Benchmark: service requests against Odoo's own repair orders, and search at scale.

Run it with the Python of an Odoo 18 install, against an Odoo config naming a local
PostgreSQL (the script creates and drops its own database, ``bench_requests_<pid>``):

    python bench/bench_requests.py -c config/odoo.conf [--count 10000] [--total 100000]

1. Creates ``--count`` service requests with 2 device lines each through the ORM, in
   batches, and in the same run the same number of ``repair.order`` records (Odoo's
   repair app, the anchor). Both go through ``create`` with the same user and context
   and are flushed and committed per batch. Ours also finds the customer by phone,
   computes the province and routing, the SLA and seasonality, and normalizes serials.
2. Fills the database up to ``--total`` requests by SQL (this part measures searching,
   not creating): ``--customers`` contacts (default 30% of the total) with Persian and
   Latin names, mobiles and landlines of every province; requests spread over five
   years with 2 serial-numbered devices each, the customers drawn at random; one
   portal customer with ``--portal-requests`` requests. Then ``ANALYZE``.
3. Times what the back office search bar does, as the median of ``--lookups`` searches
   of existing values, ``search(domain, limit=80)`` with the request's default order:
   by serial number (``serial_search``), phone (``phone_search``), tracking number
   (``name ilike``), customer name (``partner_id ilike``: the "Customer" entry of the
   search bar) and the request's own ``name_search`` (a many2one to a request). The
   target is one figure at every size: median under 20 ms.
4. Starts Odoo's HTTP application on 127.0.0.1 in this process, logs the portal customer
   in over HTTP, and times the first page of ``/my/service-requests`` on the server
   (from the request reaching Odoo's WSGI application to the last byte of the page),
   median of ``--portal-samples`` after warming up, with the number of SQL queries, at
   two page sizes: the query count must not grow with the page size. Target 150 ms.

``--explain`` prints the SQL of one search of each kind with its ``EXPLAIN ANALYZE``.

Last lines, one per figure: ``BENCH <name> <metric>=<value> ... ratio=<ours/anchor>``
(for the searches and the portal, the anchor is the target).
"""

import argparse
import json
import logging
import os
import random
import re
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEARCH_TARGET_MS = 20
PORTAL_TARGET_MS = 150
PORTAL_LOGIN = "bench-portal"

_logger = logging.getLogger("bench_requests")


def _words(text):
    return text.split()


# Customers' names: most Persian, some written in Latin letters (foreign-made devices
# registered by dealers, customers who type their name in English on the web form).
PERSIAN_FIRST = _words(
    "علی محمد حسین رضا مهدی امیر حسن مرتضی سعید مجید حمید جواد احمد مصطفی محسن "
    "فاطمه زهرا مریم سارا نرگس معصومه زینب الهام لیلا نازنین مینا فرشته شیما پریسا سمیرا"
)
PERSIAN_LAST = _words(
    "محمدی حسینی احمدی رضایی موسوی کریمی جعفری صادقی رحیمی قاسمی کاظمی هاشمی ابراهیمی "
    "نوری اکبری عباسی مرادی زارعی سلیمانی شریفی طاهری یوسفی نجفی عسگری بهرامی فراهانی "
    "تهرانی اصفهانی شیرازی کرمانی قربانی امیری باقری فتحی خلیلی ملکی رستمی نیکخواه "
    "پورمحمد دهقان"
)
# Compound family names (محمدی‌نژاد) are joined with a zero-width non-joiner.
PERSIAN_SUFFIX = ["\u200c" + s for s in _words("نژاد پور زاده فر راد نیا مهر کیا")]
LATIN_FIRST = _words(
    "Ali Mohammad Hossein Reza Mehdi Amir Hassan Morteza Saeed Majid Hamid Javad Ahmad "
    "Mostafa Mohsen Fatemeh Zahra Maryam Sara Narges Masoumeh Zeinab Elham Leila Nazanin "
    "Mina Fereshteh Shima Parisa Samira"
)
LATIN_LAST = _words(
    "Mohammadi Hosseini Ahmadi Rezaei Mousavi Karimi Jafari Sadeghi Rahimi Ghasemi Kazemi "
    "Hashemi Ebrahimi Nouri Akbari Abbasi Moradi Zarei Soleimani Sharifi Taheri Yousefi "
    "Najafi Asgari Bahrami Farahani Tehrani Esfahani Shirazi Kermani Ghorbani Amiri "
    "Bagheri Fathi Khalili Maleki Rostami Nikkhah Pourmohammad Dehghan"
)
LATIN_SUFFIX = _words("nejad pour zadeh far rad nia mehr kia")
MOBILE_PREFIXES = _words(
    "0910 0911 0912 0913 0914 0915 0916 0917 0918 0919 0901 0902 0903 0905 0930 0933 "
    "0935 0936 0937 0938 0939 0990 0991 0992 0921 0922"
)
# Landline area codes, Tehran and the big cities weighted roughly as their population.
AREA_CODES = [
    *["21"] * 8,
    *["31", "51", "41", "71", "26"] * 2,
    *_words("11 13 17 23 24 25 28 34 35 38 44 45 54 56 58 61 66 74 76 77 81 83 84 86 87"),
]
DESCRIPTIONS = [
    "دستگاه روشن نمی‌شود و چراغ برق چشمک می‌زند",
    "صدای غیرعادی هنگام کار و لرزش زیاد",
    "آب از زیر دستگاه نشت می‌کند",
    "خنک نمی‌کند، کمپرسور مرتب خاموش و روشن می‌شود",
    "نصب دستگاه جدید و آموزش کار با آن",
    "صفحه نمایش خطای E4 نشان می‌دهد",
    "The unit stops after a few minutes and shows error code E21",
    "سرویس دوره‌ای و بازدید گارانتی",
]
STREETS = [
    "خیابان ولیعصر، کوچه بهار، پلاک ۱۲",
    "بلوار کشاورز، خیابان نادری، پلاک ۴۵، واحد ۳",
    "میدان آزادی، خیابان امام، کوچه ۷",
    "شهرک غرب، فاز ۲، بلوک ۱۸",
    "No. 8, Golestan St., Saadat Abad",
]
SERIAL_PREFIXES = ["R58M", "SM", "LG912", "SN", "HQ", "GR", "BSH", "DL"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--total", type=int, default=100000)
    parser.add_argument(
        "--customers", type=int, help="contacts seeded by SQL (default: 30%% of --total)"
    )
    parser.add_argument("--portal-requests", type=int, default=1000)
    parser.add_argument("--portal-samples", type=int, default=20)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument(
        "--lc-ctype",
        default="C.UTF-8",
        help="LC_CTYPE of the benchmark database ('' for the cluster's)",
    )
    parser.add_argument("--explain", action="store_true", help="print the plans of the searches")
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


def create_database(odoo, name, modules=("aftersales_base", "repair"), lc_ctype=None):
    """A new database with ``modules`` installed, without demo data.

    ``lc_ctype``: the database's character classification (Odoo takes the cluster's).
    Under the ``C`` locale pg_trgm finds no letters in Persian text, so no trigram index
    can serve a search by a Persian name; production clusters (the official PostgreSQL
    image, Debian's default) have a UTF-8 one.
    """
    from odoo.service import db as db_service

    if not (lc_ctype and create_database_with_ctype(odoo, name, lc_ctype)):
        db_service._create_empty_database(name)
    odoo.tools.config["init"] = dict.fromkeys(modules, 1)
    odoo.tools.config["without_demo"] = "all"
    registry = odoo.modules.registry.Registry.new(name, update_module=True)
    odoo.tools.config["init"] = {}
    return registry


def create_database_with_ctype(odoo, name, lc_ctype):
    """Odoo's empty database (template0, C collation, pg_trgm) with ``lc_ctype``.

    False when the server does not know the locale: Odoo's default applies then.
    """
    import psycopg2

    with odoo.sql_db.db_connect("postgres").cursor() as cr:
        cr._cnx.autocommit = True
        try:
            cr.execute(
                f"CREATE DATABASE \"{name}\" ENCODING 'unicode' LC_COLLATE 'C' "
                "LC_CTYPE %s TEMPLATE template0",
                [lc_ctype],
            )
        except psycopg2.Error as error:
            _logger.warning("database with LC_CTYPE %s: %s", lc_ctype, error)
            return False
    with odoo.sql_db.db_connect(name).cursor() as cr:
        cr.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        if odoo.tools.config["unaccent"]:
            cr.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cr.execute("ALTER FUNCTION unaccent(text) IMMUTABLE")
        cr.execute("GRANT CREATE ON SCHEMA PUBLIC TO PUBLIC")
    return True


def database_ctype(cr):
    cr.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
    return cr.fetchone()[0]


def timed_batches(env, model, vals_list, batch):
    Model = env[model]
    started = time.perf_counter()
    for start in range(0, len(vals_list), batch):
        Model.create(vals_list[start : start + batch])
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()
    return (time.perf_counter() - started) * 1000 / len(vals_list)


# ----------------------------------------------------------------------
# Seeding by SQL
# ----------------------------------------------------------------------


def _pick(array_param, random_expr="random()"):
    """SQL picking one element of an array parameter at random."""
    return f"(%({array_param})s::text[])[1 + floor({random_expr} * cardinality(%({array_param})s::text[]))::int]"


def seed_customers(env, count):
    """``count`` contacts by one INSERT; returns the first new id."""
    from odoo.addons.aftersales_base.tools.regions import AREA_CODE_PROVINCES

    cr = env.cr
    iran = env.ref("base.ir")
    states = {
        state.code: state.id
        for state in env["res.country.state"].search([("country_id", "=", iran.id)])
    }
    areas = [area for area in AREA_CODES if AREA_CODE_PROVINCES.get(area) in states]
    area_states = [states[AREA_CODE_PROVINCES[area]] for area in areas]
    cr.execute("SELECT last_value + 1 FROM res_partner_id_seq")
    first_id = cr.fetchone()[0]
    cr.execute(
        f"""
        INSERT INTO res_partner
            (id, commercial_partner_id, name, complete_name, type, active, is_company,
             partner_share, employee, lang, tz, country_id, state_id, phone, mobile,
             phone_sanitized, aftersales_phone_e164, aftersales_mobile_e164, email,
             email_normalized, customer_rank, supplier_rank, autopost_bills,
             is_aftersales_agent, street, create_uid, write_uid, create_date, write_date)
        SELECT id, id, name, name, 'contact', true, false, true, false, %(lang)s, 'Asia/Tehran',
               %(iran)s, CASE WHEN phone IS NOT NULL THEN (%(area_states)s::int[])[area] END,
               phone, mobile, coalesce('+98' || substr(mobile, 2), '+98' || substr(phone, 2)),
               '+98' || substr(phone, 2), '+98' || substr(mobile, 2), email, email,
               1, 0, 'ask', false, street, 1, 1, created, created
          FROM (
            SELECT nextval('res_partner_id_seq') AS id, area, created,
                   (%(streets)s::text[])[1 + g %% %(street_count)s] AS street,
                   CASE WHEN latin THEN first_latin || ' ' || last_latin
                        ELSE first_fa || ' ' || last_fa END AS name,
                   CASE WHEN r_mobile < 0.93
                        THEN (%(mobile_prefixes)s::text[])[1 + g %% cardinality(%(mobile_prefixes)s::text[])]
                             || lpad(((g::bigint * 104729) %% 10000000)::text, 7, '0') END AS mobile,
                   CASE WHEN r_phone < 0.45 OR r_mobile >= 0.93
                        THEN '0' || (%(areas)s::text[])[area]
                             || (20000000 + (g::bigint * 7919) %% 80000000)::text END AS phone,
                   CASE WHEN r_email < 0.35 THEN 'customer' || g || '@example.ir' END AS email
              FROM (
                SELECT g, random() < 0.3 AS latin, random() AS r_mobile, random() AS r_phone,
                       random() AS r_email,
                       1 + floor(random() * %(area_count)s)::int AS area,
                       now() - random() * interval '6 years' AS created,
                       {_pick("first_fa")} AS first_fa,
                       {_pick("last_fa")} || CASE WHEN random() < 0.35
                           THEN {_pick("suffix_fa")} ELSE '' END AS last_fa,
                       {_pick("first_latin")} AS first_latin,
                       {_pick("last_latin")} || CASE WHEN random() < 0.35
                           THEN {_pick("suffix_latin")} ELSE '' END AS last_latin
                  FROM generate_series(1, %(count)s) g
                OFFSET 0
              ) draws
          ) customers
        """,
        {
            "count": count,
            "lang": "fa_IR",
            "iran": iran.id,
            "areas": areas,
            "area_states": area_states,
            "area_count": len(areas),
            "mobile_prefixes": MOBILE_PREFIXES,
            "first_fa": PERSIAN_FIRST,
            "last_fa": PERSIAN_LAST,
            "suffix_fa": PERSIAN_SUFFIX,
            "first_latin": LATIN_FIRST,
            "last_latin": LATIN_LAST,
            "suffix_latin": LATIN_SUFFIX,
            "streets": STREETS,
            "street_count": len(STREETS),
        },
    )
    return first_id


def seed_requests(env, missing, first_customer_id, portal_partner, portal_requests):
    """``missing`` requests with 2 devices each, by two INSERTs."""
    cr = env.cr
    sequence = env.ref("aftersales_base.seq_aftersales_request")
    seq_name = f"ir_sequence_{sequence.id:03d}"
    cr.execute(f"SELECT nextval('{seq_name}')")
    first_number = cr.fetchone()[0]
    stages = env["aftersales.stage"].search([])
    types = env["aftersales.service.type"].search([])
    channels = env["aftersales.channel"].search([])
    devices = env["product.product"].search([("name", "like", "Bench device")])
    cr.execute(
        """
        CREATE TEMP TABLE bench_customer ON COMMIT DROP AS
        SELECT CASE WHEN id = %(portal)s THEN 0
                    ELSE row_number() OVER (PARTITION BY id = %(portal)s ORDER BY id) END AS n,
               id, phone, mobile, aftersales_phone_e164 AS phone_e164,
               aftersales_mobile_e164 AS mobile_e164, state_id, street
          FROM res_partner
         WHERE id >= %(first)s OR id = %(portal)s;
        ALTER TABLE bench_customer ADD PRIMARY KEY (n);
        """,
        {"first": first_customer_id, "portal": portal_partner.id},
    )
    cr.execute("SELECT count(*) - 1 FROM bench_customer")
    customers = cr.fetchone()[0]
    # Every `step`-th request (the first `portal_requests` of them) is the portal
    # customer's; the others a customer drawn at random. Requests are five years of
    # history in date order; the last two weeks are still open.
    step = max(missing // max(portal_requests, 1), 1)
    cr.execute(
        """
        INSERT INTO aftersales_request
            (name, company_id, user_id, partner_id, commercial_partner_id, service_type_id,
             is_workshop, stage_id, is_closed, channel_id, priority, active, is_in_season,
             request_date, done_date, sla_deadline, phone, mobile, phone_e164, mobile_e164,
             state_id, street, description, create_uid, write_uid, create_date, write_date)
        SELECT 'AS' || lpad((%(first_number)s + g - 1)::text, 7, '0'), %(company)s, 2,
               c.id, c.id, (%(type_ids)s::int[])[t], (%(type_workshop)s::bool[])[t],
               CASE WHEN recent THEN (%(open_stages)s::int[])[1 + (g %% %(open_count)s)]
                    WHEN r_state < 0.04 THEN %(cancel_stage)s ELSE %(done_stage)s END,
               NOT recent, (%(channel_ids)s::int[])[1 + (g %% %(channel_count)s)],
               CASE WHEN r_priority < 0.80 THEN '0' WHEN r_priority < 0.95 THEN '1'
                    WHEN r_priority < 0.99 THEN '2' ELSE '3' END,
               true, false, request_date,
               CASE WHEN NOT recent THEN request_date + r_state * interval '10 days' END,
               request_date + (%(type_sla)s::int[])[t] * interval '1 hour',
               c.phone, c.mobile, c.phone_e164, c.mobile_e164, c.state_id, c.street,
               (%(descriptions)s::text[])[1 + (g %% %(description_count)s)],
               2, 2, request_date, request_date
          FROM (
            SELECT g, random() AS r_state, random() AS r_priority,
                   1 + floor(random() * %(type_count)s)::int AS t,
                   CASE WHEN g %% %(step)s = 0 AND g / %(step)s <= %(portal_requests)s THEN 0
                        ELSE 1 + floor(random() * %(customers)s)::int END AS n,
                   now() - (%(missing)s - g) * interval '5 years' / %(missing)s AS request_date,
                   %(missing)s - g < %(missing)s / 130 AS recent
              FROM generate_series(1, %(missing)s) g
            OFFSET 0
          ) draws
          JOIN bench_customer c USING (n)
        """,
        {
            "first_number": first_number,
            "company": env.company.id,
            "type_ids": types.ids,
            "type_workshop": types.mapped("is_workshop"),
            "type_sla": [t.sla_hours or 48 for t in types],
            "type_count": len(types),
            "open_stages": stages.filtered(lambda s: not s.is_closed).ids,
            "open_count": len(stages.filtered(lambda s: not s.is_closed)),
            "cancel_stage": env.ref("aftersales_base.stage_cancel").id,
            "done_stage": env.ref("aftersales_base.stage_done").id,
            "channel_ids": channels.ids,
            "channel_count": len(channels),
            "descriptions": DESCRIPTIONS,
            "description_count": len(DESCRIPTIONS),
            "step": step,
            "portal_requests": portal_requests,
            "customers": customers,
            "missing": missing,
        },
    )
    cr.execute("SELECT setval(%s, %s)", (seq_name, first_number + missing - 1))
    # Two devices a request; 5% of the devices came without a readable serial.
    cr.execute(
        """
        INSERT INTO aftersales_request_line
            (request_id, company_id, partner_id, product_id, serial_number, sequence, qc_state,
             delivery_date, create_uid, write_uid, create_date, write_date)
        SELECT r.id, r.company_id, r.partner_id,
               (%(device_ids)s::int[])[1 + (r.id * 7 + n) %% %(device_count)s],
               CASE WHEN (r.id + n) %% 20 <> 0 THEN
                   (%(prefixes)s::text[])[1 + (r.id + n) %% %(prefix_count)s]
                   || upper(substr(md5(r.id || ':' || n), 1, 10)) END,
               10 * n,
               CASE WHEN NOT r.is_workshop THEN 'none' WHEN r.is_closed THEN 'passed'
                    ELSE 'pending' END,
               CASE WHEN r.is_workshop AND r.is_closed THEN r.done_date END,
               2, 2, r.request_date, r.request_date
          FROM aftersales_request r CROSS JOIN generate_series(1, 2) n
         WHERE r.name >= %(first_name)s AND r.name <= %(last_name)s
        """,
        {
            "device_ids": devices.ids,
            "device_count": len(devices),
            "prefixes": SERIAL_PREFIXES,
            "prefix_count": len(SERIAL_PREFIXES),
            "first_name": f"AS{first_number:07d}",
            "last_name": f"AS{first_number + missing - 1:07d}",
        },
    )


@contextmanager
def indexes_rebuilt(cr, tables):
    """Drop the plain indexes of ``tables``, and build them again after the bulk insert.

    One sorted build per index instead of a million random insertions in each. The
    indexes behind constraints (primary keys, unique) stay.
    """
    cr.execute(
        """
        SELECT i.indexname, i.indexdef
          FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename IN %s
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
        """,
        [tuple(tables)],
    )
    indexes = cr.fetchall()
    for name, _definition in indexes:
        cr.execute(f'DROP INDEX "{name}"')
    yield
    started = time.perf_counter()
    for _name, definition in indexes:
        cr.execute(definition)
    _logger.info("rebuilt %s indexes in %.0f s", len(indexes), time.perf_counter() - started)


def rows_missing(cr, table, total):
    """How many rows ``table`` lacks to hold ``total``."""
    from psycopg2 import sql

    cr.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))
    return max(total - cr.fetchone()[0], 0)


def skip_foreign_key_triggers(cr):
    """For bulk rows consistent by construction: no per-row foreign key triggers in this
    transaction (allowed to a superuser only; without it seeding is slower, not different)."""
    import psycopg2.errors

    try:
        with cr.savepoint(flush=False):
            cr.execute("SET LOCAL session_replication_role = replica")
    except psycopg2.errors.InsufficientPrivilege:
        _logger.info("not a PostgreSQL superuser: foreign keys checked row by row")


def fill_to_total(env, total, customers, portal_partner, portal_requests):
    """Bulk rows for the search benchmark, by SQL, then ``ANALYZE``."""
    cr = env.cr
    missing = rows_missing(cr, "aftersales_request", total)
    if not missing:
        return
    env.flush_all()
    started = time.perf_counter()
    skip_foreign_key_triggers(cr)
    cr.execute("SELECT setseed(0.18)")
    with indexes_rebuilt(cr, ["res_partner", "aftersales_request", "aftersales_request_line"]):
        first_customer_id = seed_customers(env, customers)
        seed_requests(
            env, missing, first_customer_id, portal_partner, min(portal_requests, missing)
        )
    cr.execute("SET LOCAL session_replication_role = origin")
    cr.commit()
    seeded = time.perf_counter() - started
    cr.execute("ANALYZE res_partner; ANALYZE aftersales_request; ANALYZE aftersales_request_line")
    cr.commit()
    env.invalidate_all()
    _logger.info(
        "seeded %s customers and %s requests (2 devices each) in %.0f s, ANALYZE %.0f s",
        customers,
        missing,
        seeded,
        time.perf_counter() - started - seeded,
    )


# ----------------------------------------------------------------------
# Searches
# ----------------------------------------------------------------------


def median_ms(func, samples, budget_s=60):
    """Median time of ``func`` over ``samples``, and how many were timed.

    A slow search stops after ``budget_s`` seconds (5 samples at least): a median of
    fewer samples is still the figure, and a baseline without an index stays runnable.
    """
    times = []
    all_started = time.perf_counter()
    for sample in samples:
        started = time.perf_counter()
        func(sample)
        times.append((time.perf_counter() - started) * 1000)
        if len(times) >= 5 and time.perf_counter() - all_started > budget_s:
            break
    return statistics.median(times), len(times)


def sample_values(cr, query, count):
    cr.execute("SELECT setseed(0.5)")
    cr.execute(f"{query} ORDER BY random() LIMIT %s", [count])
    return [row[0] for row in cr.fetchall()]


def search_cases(env, lookups):
    """``[(figure, search function, samples)]``: what an operator types in the search bar."""
    from odoo.addons.aftersales_base.tools import normalize_phone

    cr = env.cr
    Request = env["aftersales.request"]
    serials = sample_values(
        cr,
        "SELECT serial_number FROM aftersales_request_line WHERE serial_number IS NOT NULL",
        lookups,
    )
    phones = sample_values(
        cr,
        "SELECT replace(coalesce(mobile, phone), ' ', '') FROM aftersales_request "
        "WHERE coalesce(mobile, phone) IS NOT NULL",
        lookups,
    )
    # Typed the way people read them out: "0912 345 6789", or with the country code.
    phones = [
        f"{p[:4]} {p[4:7]} {p[7:]}" if i % 2 else f"+98 {p[1:4]} {p[4:]}"
        for i, p in enumerate(phones)
    ]
    assert all(normalize_phone(p) for p in phones), "samples must be valid numbers"
    numbers = sample_values(cr, "SELECT name FROM aftersales_request", lookups)
    names = sample_values(
        cr,
        "SELECT p.name FROM aftersales_request r JOIN res_partner p ON p.id = r.partner_id",
        lookups,
    )

    def searcher(field, operator):
        def search(value):
            env.invalidate_all()
            assert Request.search([(field, operator, value)], limit=80), (field, value)

        return search

    def name_search(value):
        env.invalidate_all()
        assert Request.name_search(value, limit=8), value

    return [
        ("search_serial", [("serial_search", "=")], searcher("serial_search", "="), serials),
        ("search_phone", [("phone_search", "=")], searcher("phone_search", "="), phones),
        ("search_tracking", [("name", "ilike")], searcher("name", "ilike"), numbers),
        ("search_name", [("partner_id", "ilike")], searcher("partner_id", "ilike"), names),
        ("name_search", None, name_search, names),
    ]


class QueryLog:
    """Collects the SQL this thread runs (Odoo's ``query_hooks``, as the profiler uses)."""

    def __init__(self):
        self.queries = []

    def __enter__(self):
        thread = threading.current_thread()
        self._previous = getattr(thread, "query_hooks", ())
        thread.query_hooks = (*self._previous, self._hook)
        return self

    def __exit__(self, *exc):
        threading.current_thread().query_hooks = self._previous

    def _hook(self, cr, query, params, start, delay):
        self.queries.append((cr.mogrify(query, params).decode(), delay * 1000))


def explain(env, figure, func, sample):
    """Print the SQL of one search and the plan of each of its SELECTs."""
    env.invalidate_all()
    with QueryLog() as log:
        func(sample)
    print(f"--- {figure} {sample!r}: {len(log.queries)} queries", flush=True)
    for query, delay in log.queries:
        if not query.lstrip().upper().startswith("SELECT"):
            continue
        env.cr.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query}")
        plan = "\n".join(row[0] for row in env.cr.fetchall())
        print(f"[{delay:.1f} ms] {query}\n{plan}\n", flush=True)


# ----------------------------------------------------------------------
# Portal page through HTTP
# ----------------------------------------------------------------------


class TimedApp:
    """WSGI wrapper around Odoo's application: what one request costs the server.

    ``ms`` is wall time from the request reaching Odoo to its last byte; ``cpu_ms`` the
    server thread's own CPU time (Python; not inflated when other processes share the
    cores) and ``sql_ms``/``queries`` what Odoo's cursor counts for the request.
    """

    def __init__(self, app):
        self.app = app
        self.last = None

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        cpu_started = time.thread_time()
        body = b"".join(self.app(environ, start_response))
        thread = threading.current_thread()
        self.last = {
            "ms": (time.perf_counter() - started) * 1000,
            "cpu_ms": (time.thread_time() - cpu_started) * 1000,
            "sql_ms": getattr(thread, "query_time", 0) * 1000,
            "queries": getattr(thread, "query_count", 0),
        }
        return [body]


def portal_page(
    odoo,
    db_name,
    page_sizes,
    samples,
    path="/my/service-requests",
    login=PORTAL_LOGIN,
    row_pattern=r'href="/my/service-requests/\d+"',
):
    """Figures of the first page of a portal list (``path``, by default the customer's
    ``/my/service-requests``) for the portal user ``login`` (password = login), by page
    size; ``rows`` counts the matches of ``row_pattern`` in the last page."""
    import requests
    from werkzeug.serving import make_server

    from odoo.addons.portal.controllers.portal import CustomerPortal

    odoo.tools.config["dbfilter"] = f"^{db_name}$"
    timed = TimedApp(odoo.http.root)
    server = make_server("127.0.0.1", 0, timed, threaded=False)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_port}"
    session = requests.Session()
    results = {}
    default_size = CustomerPortal._items_per_page
    try:
        response = session.post(
            f"{url}/web/session/authenticate",
            data=json.dumps(
                {
                    "jsonrpc": "2.0",
                    "method": "call",
                    "params": {"db": db_name, "login": login, "password": login},
                }
            ),
            headers={"Content-Type": "application/json"},
            timeout=120,
        )
        response.raise_for_status()
        assert response.json().get("result", {}).get("uid"), response.text[:500]
        # The page lives under the customer's language (/fa/my/...): ask for it directly,
        # as the portal's own links do, rather than timing a redirection.
        page_url = session.get(f"{url}{path}", timeout=120).url
        for size in page_sizes:
            CustomerPortal._items_per_page = size
            figures = []
            for i in range(samples + 3):
                response = session.get(page_url, allow_redirects=False, timeout=120)
                assert response.status_code == 200, response.status_code
                if i >= 3:  # the first renderings compile the templates
                    figures.append(timed.last)
            results[size] = {
                key: statistics.median(f[key] for f in figures)
                for key in ("ms", "cpu_ms", "sql_ms")
            }
            results[size]["queries"] = max(f["queries"] for f in figures)
            results[size]["rows"] = len(re.findall(row_pattern, response.text))
    finally:
        CustomerPortal._items_per_page = default_size
        session.close()
        server.shutdown()
    return results


# ----------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------


def create_portal_customer(env):
    from odoo import Command

    env["res.lang"]._activate_lang("fa_IR")
    user = (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create(
            {
                "name": "مشتری پرتال",
                "login": PORTAL_LOGIN,
                "password": PORTAL_LOGIN,
                "lang": "fa_IR",
                "tz": "Asia/Tehran",
                "groups_id": [Command.set([env.ref("base.group_portal").id])],
            }
        )
    )
    user.partner_id.mobile = "0912 000 0000"
    return user.partner_id


def main():
    args = parse_args()
    odoo = setup_odoo(args)
    from odoo import SUPERUSER_ID, Command, api

    db_name = f"bench_requests_{os.getpid()}"
    registry = create_database(odoo, db_name, lc_ctype=args.lc_ctype)
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

            portal_partner = create_portal_customer(env)
            cr.commit()
            customers_count = args.customers or max(args.total * 3 // 10, 1000)
            fill_to_total(env, args.total, customers_count, portal_partner, args.portal_requests)
            total = env["aftersales.request"].search_count([])
            partners = env["res.partner"].search_count([])
            ctype = database_ctype(cr)
            cases = search_cases(env, args.lookups)
            if args.explain:
                for name, _domain, func, samples in cases:
                    explain(env, name, func, samples[0])
            for name, _domain, func, samples in cases:
                median, timed = median_ms(func, samples)
                results.append(
                    f"BENCH {name} median_ms={median:.2f} requests={total} partners={partners} "
                    f"lookups={timed} ctype={ctype} target_ms={SEARCH_TARGET_MS} "
                    f"ratio={median / SEARCH_TARGET_MS:.2f}"
                )
            cr.execute(
                "SELECT count(*) FROM aftersales_request WHERE commercial_partner_id = %s",
                [portal_partner.id],
            )
            portal_count = cr.fetchone()[0]
            cr.commit()

        from odoo.addons.portal.controllers.portal import CustomerPortal

        small, large = 20, CustomerPortal._items_per_page
        figures = portal_page(odoo, db_name, (small, large), args.portal_samples)
        page, small_page = figures[large], figures[small]
        results.append(
            f"BENCH portal_my_requests server_ms={page['ms']:.1f} cpu_ms={page['cpu_ms']:.1f} "
            f"sql_ms={page['sql_ms']:.1f} queries={page['queries']} rows={page['rows']} "
            f"server_ms_{small}={small_page['ms']:.1f} cpu_ms_{small}={small_page['cpu_ms']:.1f} "
            f"queries_{small}={small_page['queries']} rows_{small}={small_page['rows']} "
            f"customer_requests={portal_count} requests={total} "
            f"target_ms={PORTAL_TARGET_MS} ratio={page['ms'] / PORTAL_TARGET_MS:.2f}"
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
