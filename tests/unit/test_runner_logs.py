"""The tier 2 verdict: what in an Odoo log fails the run."""

import importlib.util
from pathlib import Path

RUNNER = Path(__file__).resolve().parent.parent / "runner.py"
spec = importlib.util.spec_from_file_location("aftersales_runner", RUNNER)
runner = importlib.util.module_from_spec(spec)
spec.loader.exec_module(runner)

HEAD = "2026-11-22 15:52:40,399 8545"


def parse(tmp_path, *lines):
    log = tmp_path / "odoo.log"
    log.write_text("\n".join(lines) + "\n")
    return runner.parse_log(log, ["aftersales_base"])


def test_counts_tests_per_addon_and_totals(tmp_path):
    problems, counts, totals = parse(
        tmp_path,
        f"{HEAD} INFO db odoo.addons.aftersales_base.tests.test_a: Starting TestA.test_one ... ",
        f"{HEAD} INFO db odoo.addons.aftersales_base.tests.test_a: Starting TestA.test_two ... ",
        f"{HEAD} INFO db odoo.addons.crm.tests.test_x: Starting TestX.test_three ... ",
        f"{HEAD} INFO db odoo.tests.result: 0 failed, 0 error(s) of 2 tests when loading database 'db'",
    )
    assert problems == []
    assert counts == {"aftersales_base": 2}
    assert totals == (0, 0, 2)


def test_any_error_fails(tmp_path):
    problems, _counts, _totals = parse(
        tmp_path,
        f"{HEAD} ERROR db odoo.addons.aftersales_base.tests.test_a: FAIL: TestA.test_one",
        "Traceback (most recent call last):",
        f"{HEAD} ERROR db odoo.sql_db: bad query",
    )
    assert len(problems) == 2


def test_our_warnings_fail_foreign_ones_do_not(tmp_path):
    problems, _counts, _totals = parse(
        tmp_path,
        f"{HEAD} WARNING db odoo.addons.aftersales_base.models.x: something odd",
        f"{HEAD} WARNING db odoo.fields: Field aftersales.request.foo: unknown parameter",
        f"{HEAD} WARNING db py.warnings: /odoo/addons/mail/x.py:1: DeprecationWarning: old",
        '  File "/repo/addons/aftersales_base/tests/common.py", line 11, in setUpClass',
    )
    assert len(problems) == 2
    assert "something odd" in problems[0]
    assert "aftersales.request.foo" in problems[1]


def test_skipped_tour_fails(tmp_path):
    problems, _counts, _totals = parse(
        tmp_path,
        f"{HEAD} INFO db odoo.addons.aftersales_base.tests.test_ui: skipped "
        "test_reception_tour (TestUi) : Chrome executable not found",
    )
    assert len(problems) == 1
    assert problems[0].startswith("skipped test")


def test_po_msgids_reads_multiline_and_context(tmp_path):
    po = tmp_path / "x.pot"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain\\n"\n\n'
        '#. module: x\nmsgid "One"\nmsgstr ""\n\n'
        'msgctxt "ctx"\nmsgid ""\n"Two "\n"lines"\nmsgstr ""\n'
    )
    assert runner.po_msgids(po) == {(None, "One"), ("ctx", "Two lines")}


def test_launcher_python_reads_the_first_line(tmp_path):
    direct = tmp_path / "odoo"
    direct.write_text("#!/opt/odoo18/venv/bin/python3\nimport odoo\n")
    assert runner.launcher_python(direct) == "/opt/odoo18/venv/bin/python3"
    via_env = tmp_path / "odoo-env"
    via_env.write_text("#!/usr/bin/env -S python3\nimport odoo\n")
    found = runner.launcher_python(via_env)
    assert found and Path(found).name.startswith("python3")
    binary = tmp_path / "odoo-bin"
    binary.write_bytes(b"\x7fELF\x02\x01")
    assert runner.launcher_python(binary) is None
    assert runner.launcher_python(tmp_path / "missing") is None


def test_odoo_launcher_on_path_is_found(tmp_path, monkeypatch):
    """CI finds the Odoo of the machine through its launcher, without ODOO_PYTHON."""
    fake_python = tmp_path / "python"
    fake_python.write_text("#!/bin/sh\necho 18\n")
    fake_python.chmod(0o755)
    launcher = tmp_path / "odoo"
    launcher.write_text(f"#!{fake_python}\n")
    launcher.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("ODOO_PYTHON", raising=False)
    monkeypatch.setattr(runner.sys, "executable", "/nonexistent/python")
    assert runner.find_odoo_python() == (str(fake_python), None)
