#!/usr/bin/env python3
"""Benchmark: warranty cards issued in batch against the serials they are issued on, and
the warranty check at 1,000,000 cards.

Run it with the Python of an Odoo 18 install, against an Odoo config naming a local
PostgreSQL (the script creates and drops its own database, ``bench_warranty_<pid>``):

    python bench/bench_warranty.py -c config/odoo.conf [--count 100000] [--total 1000000]

1. Creates ``--count`` ``stock.lot`` records of a serial-tracked product through the ORM
   (the anchor: what Odoo itself pays for a serial), then issues a warranty card on each
   through the "Issue Cards" wizard in serial-range mode (the path an operator takes:
   the wizard checks every row, then ``_issue_cards`` numbers, validates and fills the
   cards, inserts them with one statement and logs their "issue" events with another). Both sides run in batches of ``--batch``, with the
   same user and context, flushed and committed per batch. Target: ratio cards/lots at
   most 1.5, and the cards in under 60 s. Most of the anchor's cost is Odoo's chatter
   message "Lot/Serial Number created" on each new serial; a card logs its creation as
   one row of its own history instead.
2. Fills the database up to ``--total`` cards by SQL (this part measures the check, not
   creating): one ``INSERT ... SELECT generate_series`` for the serials and one for
   their cards (consistent by construction: active cards of a few products, their lots,
   their normalized serials), plain indexes dropped during the insert and rebuilt after,
   then ``ANALYZE``.
3. Times the warranty check by serial, ``_check_warranty``, on ``--lookups`` random
   existing serials typed as at a reception desk: lower case, Persian digits, spaces
   around, with the user's context (language, time zone) as in a request. Cache emptied
   before each check (a new request). Median and p95; target: median under 5 ms.

Last lines, one per figure: ``BENCH <name> <metric>=<value> ... ratio=<ours/anchor>``
(for the check, the anchor is the target).
"""

import argparse
import logging
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_requests import (  # noqa: E402
    create_database,
    finish,
    indexes_rebuilt,
    rows_missing,
    sample_values,
    setup_odoo,
    skip_foreign_key_triggers,
)

ISSUE_TARGET_RATIO = 1.5
ISSUE_TARGET_S = 60
CHECK_TARGET_MS = 5
RANGE_PREFIX = "BW"
FILL_PREFIXES = ["R58M", "SM", "LG912", "SN", "HQ", "GR", "BSH", "DL"]

_logger = logging.getLogger("bench_warranty")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True, help="Odoo configuration file")
    parser.add_argument("--count", type=int, default=100000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--total", type=int, default=1000000)
    parser.add_argument("--lookups", type=int, default=500)
    parser.add_argument("--db-name", help="database to create (default bench_warranty_<pid>)")
    parser.add_argument("--keep-db", action="store_true")
    return parser.parse_args()


def timed(env, batches, func):
    """Seconds for ``func(batch)`` over ``batches``, flushed and committed per batch."""
    started = time.perf_counter()
    for batch in batches:
        func(batch)
        env.flush_all()
        env.cr.commit()
        env.invalidate_all()
    return time.perf_counter() - started


def fill_to_total(env, total, products, policy, customer):
    """Lots and active cards by SQL up to ``total`` cards, then ``ANALYZE``."""
    cr = env.cr
    missing = rows_missing(cr, "aftersales_warranty_card", total)
    if not missing:
        return
    env.flush_all()
    started = time.perf_counter()
    skip_foreign_key_triggers(cr)
    cr.execute("SELECT COALESCE(max(id), 0) FROM stock_lot")
    first_lot = cr.fetchone()[0] + 1
    params = {
        "missing": missing,
        "first_lot": first_lot,
        "prefixes": FILL_PREFIXES,
        "product_ids": products.ids,
        "template_ids": products.product_tmpl_id.ids,
        "company_id": env.company.id,
        "policy_id": policy.id,
        "partner_id": customer.id,
        "uid": env.uid,
    }
    with indexes_rebuilt(cr, ["stock_lot", "aftersales_warranty_card"]):
        # Serials like LG91200012345: a prefix and a number, unique by the number.
        cr.execute(
            """
            INSERT INTO stock_lot (id, name, aftersales_serial, product_id, company_id,
                                   create_uid, write_uid, create_date, write_date)
            SELECT %(first_lot)s + n, s, s,
                   (%(product_ids)s::int[])[1 + n %% cardinality(%(product_ids)s::int[])],
                   %(company_id)s, %(uid)s, %(uid)s, now(), now()
              FROM generate_series(0, %(missing)s - 1) n,
                   LATERAL (SELECT (%(prefixes)s::text[])[1 + n %% cardinality(%(prefixes)s::text[])]
                                   || lpad(n::text, 8, '0') AS s) serial
            """,
            params,
        )
        cr.execute("SELECT setval('stock_lot_id_seq', (SELECT max(id) FROM stock_lot))")
        # Active cards started within the last three years, 12 months each.
        cr.execute(
            """
            INSERT INTO aftersales_warranty_card (
                name, company_id, lot_id, product_id, product_tmpl_id, serial_number,
                partner_id, policy_id, state, start_rule, duration_months, dealer_months,
                extension_months, issue_date, start_date, end_date, activation_source,
                verification_token, create_uid, write_uid, create_date, write_date)
            SELECT 'WF' || lpad(l.id::text, 9, '0'), l.company_id, l.id, l.product_id,
                   (%(template_ids)s::int[])[array_position(%(product_ids)s::int[], l.product_id)],
                   l.aftersales_serial, %(partner_id)s, %(policy_id)s,
                   CASE WHEN d.start + 365 < current_date THEN 'expired' ELSE 'active' END,
                   'delivery', 12, 0, 0, d.start, d.start, d.start + 364, 'delivery',
                   md5(l.id::text || random()::text) || md5(random()::text),
                   %(uid)s, %(uid)s, now(), now()
              FROM stock_lot l,
                   LATERAL (SELECT current_date - (random() * 1095)::int AS start) d
             WHERE l.id >= %(first_lot)s
            """,
            params,
        )
    cr.execute("SET LOCAL session_replication_role = origin")
    cr.commit()
    seeded = time.perf_counter() - started
    cr.execute("ANALYZE stock_lot; ANALYZE aftersales_warranty_card")
    cr.commit()
    env.invalidate_all()
    _logger.info(
        "seeded %s serials and cards in %.0f s, ANALYZE %.0f s",
        missing,
        seeded,
        time.perf_counter() - started - seeded,
    )


def reception_spelling(serial, index):
    """How a serial arrives at the desk: lower case, Persian digits, spaces around."""
    from odoo.addons.aftersales_base.tools import to_persian_digits

    spellings = (
        lambda s: s.lower(),
        lambda s: to_persian_digits(s),
        lambda s: f"  {to_persian_digits(s.lower())} ",
    )
    return spellings[index % len(spellings)](serial)


def main():
    args = parse_args()
    odoo = setup_odoo(args)
    from odoo import SUPERUSER_ID, api

    db_name = args.db_name or f"bench_warranty_{os.getpid()}"
    registry = create_database(odoo, db_name, modules=("aftersales_warranty",))
    results = []
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env.company.country_id = env.ref("base.ir")
            admin = env.ref("base.user_admin")
            admin.tz = "Asia/Tehran"
            # The user's context, as in a request of the web client (language, time zone):
            # read as that user (``context_get`` answers for the environment's user).
            env = env(user=admin.id)
            env = env(context=env.user.context_get())
            policy = env["aftersales.warranty.policy"].create(
                {"name": "Bench 12 months", "code": "BENCH", "duration_months": 12}
            )
            products = env["product.product"].create(
                [
                    {
                        "name": f"Bench heater {i}",
                        "default_code": f"BH-{i}",
                        "is_storable": True,
                        "tracking": "serial",
                        "aftersales_warranty_policy_id": policy.id,
                    }
                    for i in range(4)
                ]
            )
            product = products[0]
            customer = env["res.partner"].create(
                {"name": "Bench customer", "mobile": "09120000000"}
            )
            cr.commit()

            # 1. The anchor: Odoo's own serials; ours: a card on each through the wizard.
            starts = range(0, args.count, args.batch)
            ranges = [(start, min(start + args.batch, args.count) - 1) for start in starts]
            Lot = env["stock.lot"]

            def create_lots(bounds):
                Lot.create(
                    [
                        {
                            "name": f"{RANGE_PREFIX}{n:07d}",
                            "product_id": product.id,
                            "company_id": env.company.id,
                        }
                        for n in range(bounds[0], bounds[1] + 1)
                    ]
                )

            def issue_cards(bounds):
                wizard = env["aftersales.warranty.batch.issue"].create(
                    {
                        "mode": "range",
                        "product_id": product.id,
                        "prefix": RANGE_PREFIX,
                        "first_number": bounds[0],
                        "last_number": bounds[1],
                        "padding": 7,
                        "partner_id": customer.id,
                    }
                )
                wizard.action_issue()

            lots_s = timed(env, ranges, create_lots)
            cards_s = timed(env, ranges, issue_cards)
            issued = env["aftersales.warranty.card"].search_count([])
            assert issued == args.count, f"{issued} cards of {args.count}"
            ratio = cards_s / lots_s
            results.append(
                f"BENCH issue_cards cards_s={cards_s:.1f} anchor_lots_s={lots_s:.1f} "
                f"cards={args.count} batch={args.batch} target_ratio={ISSUE_TARGET_RATIO} "
                f"target_cards_s={ISSUE_TARGET_S} ratio={ratio:.2f}"
            )
            _logger.info(results[-1])

            # 2. A million cards by SQL.
            fill_to_total(env, args.total, products, policy, customer)
            total = env["aftersales.warranty.card"].search_count([])

            # 3. The warranty check by serial.
            serials = sample_values(
                cr, "SELECT serial_number FROM aftersales_warranty_card", args.lookups
            )
            random.Random(18).shuffle(serials)
            Card = env["aftersales.warranty.card"]
            Card._check_warranty(serials[0])  # warm up the registry's caches
            times = []
            for index, serial in enumerate(serials):
                typed = reception_spelling(serial, index)
                env.invalidate_all()
                started = time.perf_counter()
                result = Card._check_warranty(typed)
                times.append((time.perf_counter() - started) * 1000)
                assert result.card.serial_number == serial, (typed, result)
            median = statistics.median(times)
            p95 = statistics.quantiles(times, n=20)[-1]
            results.append(
                f"BENCH warranty_check median_ms={median:.2f} p95_ms={p95:.2f} cards={total} "
                f"lookups={len(times)} target_ms={CHECK_TARGET_MS} "
                f"ratio={median / CHECK_TARGET_MS:.2f}"
            )
    finally:
        finish(odoo, db_name, results, args.keep_db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
