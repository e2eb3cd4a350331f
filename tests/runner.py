#!/usr/bin/env python3
"""The one test runner of the suite (README: ``tests/run``).

Tier 1, everywhere: pytest over the pure ``tools/`` code and the static checks of every
addon, ruff (lint + format), pylint-odoo and the OCA module/PO checks.

Tier 2, whenever an Odoo 18 is importable (by this Python, or by ``$ODOO_PYTHON``):
a private PostgreSQL cluster in a temporary directory (loopback only, dropped at the
end), every aftersales addon installed with its tests into a fresh database, then
``-u`` of the same addons on the same database with the tests again. It fails on any
failed test, any ERROR, any WARNING that concerns our addons, and on skipped tests
(a browser tour that cannot find Chromium or websocket-client is skipped by Odoo).

This runner never fetches or installs Odoo: it uses the one it finds.
"""

import argparse
import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
ADDONS = ROOT / "addons"
OWN_PREFIX = "aftersales_"

LOG_RE = re.compile(
    r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (?P<level>[A-Z]+) (?P<db>\S+) "
    r"(?P<logger>\S+): (?P<message>.*)$"
)
START_RE = re.compile(r"odoo\.addons\.(?P<addon>\w+)\.tests\.\S+: Starting (?P<test>\S+) \.\.\.")
RESULT_RE = re.compile(
    r"(?P<failed>\d+) failed, (?P<errors>\d+) error\(s\) of (?P<total>\d+) tests"
)
OWN_RE = re.compile(r"\baftersales[._]")
SKIP_HINTS = ("skipped", "chrome not found", "websocket-client", "skipping")
# Tools tier 2 needs besides Odoo and PostgreSQL: the browser tours, the printouts and
# the printout margin test. Odoo would skip the tours silently without a browser.
TIER2_TOOLS = {
    "chromium": ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"),
    "wkhtmltopdf": ("wkhtmltopdf",),
    "pdftoppm": ("pdftoppm",),
}
TIMINGS = []  # (phase, seconds), printed at the end: CI allows 90 minutes in all


def timed(phase, started):
    TIMINGS.append((phase, time.monotonic() - started))


def banner(text):
    line = "=" * 78
    print(f"\n{line}\n{text}\n{line}", flush=True)


def our_addons():
    return sorted(
        p.name
        for p in ADDONS.iterdir()
        if p.is_dir() and p.name.startswith(OWN_PREFIX) and (p / "__manifest__.py").exists()
    )


# ----------------------------------------------------------------------------
# Tier 1
# ----------------------------------------------------------------------------


def run_step(name, cmd, results):
    print(f"\n--- {name}: {' '.join(str(c) for c in cmd)}", flush=True)
    started = time.monotonic()
    rc = subprocess.call(cmd, cwd=ROOT)
    results.append((name, rc == 0, time.monotonic() - started))
    return rc


def tier1():
    banner("TIER 1: pure tools, static checks, ruff, pylint-odoo, OCA checks")
    started = time.monotonic()
    results = []
    py = sys.executable
    junit = Path(tempfile.gettempdir()) / f"aftersales-tier1-{os.getpid()}.xml"
    run_step(
        "pytest",
        [
            py,
            "-m",
            "pytest",
            "-q",
            "-rs",
            "-p",
            "no:cacheprovider",
            f"--junitxml={junit}",
            "tests/unit",
            "tests/static",
        ],
        results,
    )
    passed = failed = 0
    if junit.exists():
        for suite in ElementTree.parse(junit).getroot().iter("testsuite"):
            bad = int(suite.get("failures", 0)) + int(suite.get("errors", 0))
            failed += bad
            passed += int(suite.get("tests", 0)) - bad - int(suite.get("skipped", 0))
        junit.unlink()
    run_step("ruff check", [py, "-m", "ruff", "check", "."], results)
    run_step("ruff format", [py, "-m", "ruff", "format", "--check", "."], results)
    addon_dirs = [str(ADDONS / a) for a in our_addons()]
    run_step(
        "pylint-odoo",
        [py, "-m", "pylint", "--rcfile", str(ROOT / ".pylintrc"), *addon_dirs],
        results,
    )
    oca_module = shutil.which("oca-checks-odoo-module", path=str(Path(py).parent)) or shutil.which(
        "oca-checks-odoo-module"
    )
    oca_po = shutil.which("oca-checks-po", path=str(Path(py).parent)) or shutil.which(
        "oca-checks-po"
    )
    if oca_module and oca_po:
        manifests = [str(ADDONS / a / "__manifest__.py") for a in our_addons()]
        run_step("oca-checks-odoo-module", [oca_module, "--no-verbose", *manifests], results)
        po_files = [
            str(p) for a in our_addons() for p in sorted((ADDONS / a / "i18n").glob("*.po*"))
        ]
        run_step("oca-checks-po", [oca_po, "--no-verbose", *po_files], results)
    else:
        results.append(
            ("oca checks (not installed: pip install -r requirements-dev.txt)", False, 0)
        )
    print("\nTier 1 summary:")
    for name, ok, secs in results:
        print(f"  {'PASS' if ok else 'FAIL'}  {name} ({secs:.1f}s)")
    print(f"  pytest: {passed} passed, {failed} failed")
    timed("tier 1", started)
    return all(ok for _n, ok, _s in results), passed, failed


# ----------------------------------------------------------------------------
# Tier 2
# ----------------------------------------------------------------------------


def launcher_python(launcher):
    """The Python named in the first line of an ``odoo`` launcher script, if any."""
    try:
        with open(launcher, "rb") as handle:
            first = handle.readline(512).decode(errors="replace").strip()
    except OSError:
        return None
    if not first.startswith("#!"):
        return None
    words = first[2:].split()
    if not words:
        return None
    if Path(words[0]).name == "env":  # "#!/usr/bin/env python3"
        words = [w for w in words[1:] if not w.startswith("-")]
        return shutil.which(words[0]) if words else None
    return words[0]


def find_odoo_python():
    """The Python of an Odoo 18: ``$ODOO_PYTHON``, this Python, ``python3``, or the
    Python of the ``odoo`` launcher on ``PATH`` (as Odoo's packages and pip install it)."""
    launcher = shutil.which("odoo")
    candidates = [
        os.environ.get("ODOO_PYTHON"),
        sys.executable,
        shutil.which("python3"),
        launcher_python(launcher) if launcher else None,
    ]
    seen = set()
    for candidate in filter(None, candidates):
        if candidate in seen:
            continue
        seen.add(candidate)
        try:
            probe = subprocess.run(
                [candidate, "-c", "import odoo.release as r; print(r.version_info[0])"],
                capture_output=True,
                text=True,
                check=False,
            )
        except OSError:
            continue
        if probe.returncode == 0 and probe.stdout.strip() == "18":
            return candidate, None
        if probe.returncode == 0:
            return None, f"{candidate} imports Odoo {probe.stdout.strip()}, not 18"
    return None, (
        "no Python here can import odoo and no `odoo` launcher is on PATH "
        "(set ODOO_PYTHON to the Python of an Odoo 18)"
    )


def find_pg_bindir():
    if os.environ.get("PG_BINDIR"):
        return Path(os.environ["PG_BINDIR"])
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        bindir = Path(out.stdout.strip())
        if (bindir / "initdb").exists():
            return bindir
    for version_dir in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (version_dir / "initdb").exists():
            return version_dir
    return None


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A throwaway PostgreSQL cluster on 127.0.0.1, run as a non-root user."""

    def __init__(self, bindir):
        self.bindir = bindir
        self.tmp = Path(tempfile.mkdtemp(prefix="aftersales-pg-"))
        self.data = self.tmp / "data"
        self.port = free_port()
        self.user = "odoo"
        self.runas = []
        if os.geteuid() == 0:
            # PostgreSQL refuses to run as root: use the packaged 'postgres' account.
            owner = "postgres"
            shutil.chown(self.tmp, owner)
            self.runas = ["runuser", "-u", owner, "--"]

    def _run(self, *cmd):
        subprocess.run([*self.runas, *cmd], check=True, stdout=subprocess.DEVNULL)

    def start(self):
        self._run(
            str(self.bindir / "initdb"),
            "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8", "--no-locale",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.tmp} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.tmp / "postgres.log"), "-w", "start",
        )  # fmt: skip
        print(f"PostgreSQL cluster on 127.0.0.1:{self.port} in {self.tmp}", flush=True)

    def stop(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.tmp, ignore_errors=True)


def parse_log(path, addons):
    """Return (problems, per-addon test counts, totals) from an Odoo log file."""
    problems = []
    counts = dict.fromkeys(addons, 0)
    failed = errors = total = 0
    record = None
    records = []
    for raw in path.read_text(errors="replace").splitlines():
        match = LOG_RE.match(raw)
        if match:
            record = dict(match.groupdict(), lines=[raw])
            records.append(record)
        elif record:
            record["lines"].append(raw)
    for rec in records:
        level, logger, message = rec["level"], rec["logger"], rec["message"]
        start = START_RE.search(rec["lines"][0])
        if start and start.group("addon") in counts:
            counts[start.group("addon")] += 1
        result = RESULT_RE.search(message)
        if logger == "odoo.tests.result" and result:
            failed += int(result.group("failed"))
            errors += int(result.group("errors"))
            total += int(result.group("total"))
        first = rec["lines"][0]
        # Ours: our loggers, or a message naming one of our addons or models.
        ours = logger.startswith(f"odoo.addons.{OWN_PREFIX}") or OWN_RE.search(message)
        if level in ("ERROR", "CRITICAL") or (level == "WARNING" and ours):
            problems.append(first)
        elif ours and any(hint in message.lower() for hint in SKIP_HINTS):
            problems.append(f"skipped test: {first}")
        elif level == "WARNING" and any(h in message.lower() for h in ("chrome", "websocket")):
            problems.append(f"browser tests cannot run: {first}")
    return problems, counts, (failed, errors, total)


def po_msgids(path):
    """The (msgctxt, msgid) pairs of a PO/POT file, without a PO library."""
    entries, current, field = set(), {}, None
    for line in [*Path(path).read_text().splitlines(), ""]:
        line = line.strip()
        match = re.match(r'^(msgctxt|msgid|msgstr)\s+"(.*)"$', line)
        if match:
            field = match.group(1)
            if field in ("msgctxt", "msgid") and "msgstr" in current:
                current = {}
            current[field] = match.group(2)
        elif line.startswith('"') and field:
            current[field] = current.get(field, "") + line[1:-1]
        elif not line and "msgid" in current:
            if current["msgid"]:
                entries.add((current.get("msgctxt"), current["msgid"]))
            current, field = {}, None
    return entries


def check_translations(odoo_python, common, addons, logdir):
    """Every string Odoo exports for an addon must be in its committed .pot."""
    ok = True
    for addon in addons:
        exported = logdir / f"{addon}.pot"
        args = [a for a in common if not a.startswith(("--test", "--log-level"))]
        rc, _secs = run_odoo(
            odoo_python,
            [*args, "--log-level=warn", f"--i18n-export={exported}", f"--modules={addon}"],
            logdir / f"{addon}-export.log",
        )
        committed = ADDONS / addon / "i18n" / f"{addon}.pot"
        if rc != 0 or not exported.exists():
            print(f"  PROBLEM: could not export the terms of {addon}")
            ok = False
            continue
        missing = po_msgids(exported) - po_msgids(committed)
        if missing:
            ok = False
            print(
                f"  PROBLEM: {addon}: {len(missing)} strings not in {committed.name} (re-export it):"
            )
            for _ctx, msgid in sorted(missing)[:10]:
                print(f"    {msgid[:100]}")
        else:
            print(f"  {addon}: the committed .pot holds every exported string")
    return ok


def run_odoo(odoo_python, args, log_path):
    cmd = [odoo_python, "-m", "odoo", *args, f"--logfile={log_path}"]
    print("$ " + " ".join(cmd), flush=True)
    started = time.monotonic()
    rc = subprocess.call(cmd, cwd=ROOT)
    return rc, time.monotonic() - started


def tier2(keep_logs=False):
    banner("TIER 2: real Odoo 18 + PostgreSQL")
    odoo_python, why = find_odoo_python()
    if not odoo_python:
        print(
            f"\n!!!!! TIER 2 SKIPPED: {why}.\n!!!!! Only tier 1 ran; nothing was tested against Odoo.\n"
        )
        return None, 0, 0
    bindir = find_pg_bindir()
    if not bindir:
        print(
            "\n!!!!! TIER 2 FAILED: Odoo is importable but no PostgreSQL server binaries (initdb) found."
        )
        return False, 0, 0
    missing = [
        tool for tool, names in TIER2_TOOLS.items() if not any(shutil.which(n) for n in names)
    ]
    if missing:
        print(
            "\n!!!!! TIER 2 FAILED: Odoo is importable but these tools are missing: "
            + ", ".join(missing)
            + " (browser tours and printout tests cannot run without them)."
        )
        return False, 0, 0
    addons = our_addons()
    cluster = Cluster(bindir)
    logdir = Path(tempfile.mkdtemp(prefix="aftersales-logs-"))
    ok = True
    passed_total = failed_total = 0
    try:
        cluster.start()
        db = f"aftersales_test_{os.getpid()}"
        addons_path = ",".join(filter(None, [str(ADDONS), os.environ.get("ODOO_ADDONS_PATH")]))
        common = [
            f"--addons-path={addons_path}",
            "--db_host=127.0.0.1",
            f"--db_port={cluster.port}",
            f"--db_user={cluster.user}",
            f"--database={db}",
            f"--http-port={free_port()}",
            "--http-interface=127.0.0.1",
            "--test-enable",
            "--test-tags=" + ",".join(f"/{a}" for a in addons),
            "--stop-after-init",
            "--log-level=info",
            "--max-cron-threads=0",
        ]
        for phase, flag in (("install", "-i"), ("upgrade", "-u")):
            log = logdir / f"{phase}.log"
            rc, secs = run_odoo(odoo_python, [*common, flag, ",".join(addons)], log)
            TIMINGS.append((f"tier 2 {phase}", secs))
            problems, counts, (failed, errors, total) = parse_log(log, addons)
            print(f"\n{phase}: exit {rc} in {secs:.0f}s; log {log}")
            for addon in addons:
                print(f"  {addon}: {counts[addon]} tests")
            print(f"  total: {total} tests, {failed} failed, {errors} errors")
            if rc != 0 or problems or failed or errors or not total:
                ok = False
                for line in problems[:40]:
                    print(f"  PROBLEM: {line}")
                if not total:
                    print("  PROBLEM: no test ran")
                if rc != 0:
                    print(f"  PROBLEM: odoo exited with {rc}")
            failed_total += failed + errors
            passed_total += total - failed - errors
        print("\ntranslations:")
        started = time.monotonic()
        ok &= check_translations(odoo_python, common, addons, logdir)
        timed("tier 2 translations", started)
    finally:
        cluster.stop()
        if ok and not keep_logs:
            shutil.rmtree(logdir, ignore_errors=True)
    return ok, passed_total, failed_total


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tier", choices=["1", "2", "all"], default="all")
    parser.add_argument(
        "--keep-logs", action="store_true", help="keep Odoo logs of a passing tier 2"
    )
    args = parser.parse_args()
    started = time.monotonic()
    ok = True
    passed = failed = 0
    if args.tier in ("1", "all"):
        ok1, p1, f1 = tier1()
        ok &= ok1
        passed, failed = passed + p1, failed + f1
    if args.tier in ("2", "all"):
        ok2, p2, f2 = tier2(keep_logs=args.keep_logs)
        if ok2 is False:
            ok = False
        passed, failed = passed + p2, failed + f2
    timed("total", started)
    print("\nTime per phase: " + ", ".join(f"{name} {secs:.0f}s" for name, secs in TIMINGS))
    banner("RESULT: " + ("PASS" if ok else "FAIL"))
    print(f"{passed} passed, {failed} failed")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
