#!/usr/bin/env python3
"""Benchmark: 10,000 SMS through our provider layer against a bare ``requests`` loop.

Run it with the Python of an Odoo 18 install, against an Odoo config naming a local
PostgreSQL (the script creates and drops its own database):

    python bench/bench_sms.py -c config/odoo.conf [--count 10000]

A local HTTP server on 127.0.0.1 answers like a Kavenegar-style panel. Ours: the
messages are queued as ``sms.sms`` records and sent by Odoo's queue method
(``send(auto_commit=True)``) through the company's provider: batches, one connection
pool, one write per outcome. The floor: the same messages posted one by one with a
bare ``requests.Session`` loop to the same server.

Last lines: ``BENCH <name> <metric>=<value> ... ratio=<ours/anchor>``.
"""

import argparse
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench_requests import create_database, finish, setup_odoo  # noqa: E402


class Panel(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    received = 0

    def log_message(self, *args):
        pass

    def setup(self):
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and
        # delayed ACKs cost ~40 ms a request and the floor would be artificially low.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        form = parse_qs(self.rfile.read(length).decode())
        if self.path.endswith("/sendarray.json"):
            receptors = json.loads(form["receptor"][0])
        else:
            receptors = form["receptor"]
        Panel.received += len(receptors)
        entries = [{"messageid": i, "status": 1} for i, _r in enumerate(receptors)]
        body = json.dumps({"return": {"status": 200, "message": "ok"}, "entries": entries}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-c", "--config", required=True)
    parser.add_argument("--count", type=int, default=10000)
    parser.add_argument("--keep-db", action="store_true")
    args = parser.parse_args()

    server = ThreadingHTTPServer(("127.0.0.1", 0), Panel)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    endpoint = f"http://127.0.0.1:{server.server_address[1]}/v1"

    odoo = setup_odoo(args)
    from odoo import SUPERUSER_ID, api

    db_name = f"aftersales_bench_sms_{os.getpid()}"
    registry = create_database(odoo, db_name, modules=("aftersales_base",))
    results = []
    try:
        with registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            env["aftersales.sms.provider"].create(
                {"name": "Bench panel", "endpoint": endpoint, "api_key": "KEY", "sender": "1000"}
            )
            texts = [f"درخواست AS{i:07d} ثبت شد" for i in range(args.count)]
            numbers = [f"+98912{i:07d}" for i in range(args.count)]
            sms = env["sms.sms"].create(
                [{"number": n, "body": t} for n, t in zip(numbers, texts, strict=True)]
            )
            cr.commit()
            Panel.received = 0
            started = time.perf_counter()
            sms.send(unlink_sent=False, auto_commit=True)
            ours_secs = time.perf_counter() - started
            env.invalidate_all()
            sent = env["sms.sms"].search_count([("state", "=", "pending")])
            assert sent == args.count, f"{sent} of {args.count} sent"
            assert Panel.received == args.count

        session = requests.Session()
        Panel.received = 0
        started = time.perf_counter()
        for number, text in zip(numbers, texts, strict=True):
            response = session.post(
                f"{endpoint}/KEY/sms/send.json",
                data={"receptor": number, "sender": "1000", "message": text},
                timeout=10,
            )
            response.raise_for_status()
        floor_secs = time.perf_counter() - started
        session.close()
        assert Panel.received == args.count

        ours_rate = args.count / ours_secs
        floor_rate = args.count / floor_secs
        results.append(
            f"BENCH sms_send messages_per_s={ours_rate:.0f} "
            f"anchor_bare_requests_per_s={floor_rate:.0f} messages={args.count} "
            f"ratio={ours_rate / floor_rate:.2f}"
        )
    finally:
        server.shutdown()
        finish(odoo, db_name, results, args.keep_db)
    return 0


if __name__ == "__main__":
    sys.exit(main())
