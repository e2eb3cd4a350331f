"""``requirements.txt`` installs on any Odoo 18 without a compiler and without touching Odoo.

- It names only what Odoo 18 does not require itself, with ranges, not exact pins: an
  exact pin of one of Odoo's packages would build it from source (psycopg2 has no wheel)
  or move the package Odoo runs on.
- Every requirement, with its own dependencies, has a wheel for CPython 3.10, 3.11 and
  3.12 on Linux (Odoo 18's Pythons: Ubuntu 22.04/24.04, Debian 12, the official image),
  so ``pip install -r requirements.txt`` never needs a compiler. This asks the package
  index pip is configured with; without one it is skipped, saying so.
"""

import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
REQUIREMENTS = ROOT / "requirements.txt"
PYTHONS = ("3.10", "3.11", "3.12")
LINUX_TAGS = (
    "manylinux2014_x86_64",
    "manylinux_2_17_x86_64",
    "manylinux_2_28_x86_64",
    "manylinux_2_34_x86_64",
    "linux_x86_64",
)
# The distributions Odoo 18.0 itself requires (its requirements.txt), lower-cased.
ODOO_OWN = {
    "asn1crypto", "babel", "cbor2", "chardet", "cryptography", "decorator", "docutils",
    "freezegun", "geoip2", "gevent", "greenlet", "idna", "jinja2", "libsass", "lxml",
    "lxml-html-clean", "markupsafe", "num2words", "ofxparse", "openpyxl", "passlib", "pillow",
    "polib", "psutil", "psycopg2", "psycopg2-binary", "pyopenssl", "pypdf2", "pypdf",
    "pypiwin32", "pyserial", "python-dateutil", "python-magic", "python-ldap", "python-stdnum",
    "pytz", "pyusb", "qrcode", "reportlab", "requests", "rjsmin", "rl-renderpm", "urllib3",
    "vobject", "werkzeug", "xlrd", "xlsxwriter", "xlwt", "zeep",
}  # fmt: skip
NAME_RE = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*)$")
NETWORK_HINTS = (
    "connection",
    "network is unreachable",
    "temporary failure in name resolution",
    "name or service not known",
    "timed out",
    "max retries exceeded",
    "proxyerror",
)


def requirement_lines():
    lines = []
    for raw in REQUIREMENTS.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def test_requirements_name_only_what_odoo_lacks():
    lines = requirement_lines()
    assert lines, "requirements.txt names nothing: the addons need phonenumbers and jdatetime"
    for line in lines:
        match = NAME_RE.match(line)
        assert match, f"unreadable requirement: {line}"
        name, spec = match.group(1).lower().replace("_", "-"), match.group(2)
        assert name not in ODOO_OWN, f"{name} is Odoo's own requirement: leave it to Odoo"
        assert "==" not in spec and "===" not in spec, (
            f"{line}: use a compatible range, not an exact pin"
        )
        assert ">=" in spec, f"{line}: give at least a lower bound"


def _pip_download(python_version, only_binary, dest):
    cmd = [
        sys.executable, "-m", "pip", "download", "--quiet", "--disable-pip-version-check",
        "--retries", "1", "--timeout", "15", "--dest", str(dest),
        "--python-version", python_version, "--implementation", "cp",
    ]  # fmt: skip
    if only_binary:
        for tag in LINUX_TAGS:
            cmd += ["--platform", tag]
        cmd += ["--only-binary", ":all:"]
    else:
        # Source distributions allowed: only tells whether the index answers at all.
        cmd += ["--no-deps"]
    cmd += ["-r", str(REQUIREMENTS)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=False)


@pytest.mark.parametrize("python_version", PYTHONS)
def test_requirements_have_linux_wheels(python_version):
    with tempfile.TemporaryDirectory(prefix="aftersales-wheels-") as tmp:
        result = _pip_download(python_version, True, Path(tmp))
        if result.returncode == 0:
            wheels = sorted(p.name for p in Path(tmp).iterdir())
            assert wheels and all(name.endswith(".whl") for name in wheels), wheels
            print(f"CPython {python_version}: " + ", ".join(wheels))
            return
        output = (result.stdout + result.stderr).lower()
    # Does the index answer at all? A plain download (any file type) tells.
    with tempfile.TemporaryDirectory(prefix="aftersales-reach-") as tmp:
        probe = _pip_download(python_version, False, Path(tmp))
    if probe.returncode != 0 and any(
        hint in (probe.stdout + probe.stderr).lower() for hint in NETWORK_HINTS
    ):
        pytest.skip(
            "the package index cannot be reached: the wheel check of requirements.txt "
            f"did NOT run for CPython {python_version}"
        )
    pytest.fail(
        f"requirements.txt needs a build from source on CPython {python_version} "
        f"(no Linux wheel):\n{output[-2000:]}"
    )


def test_docker_recipes_fail_loudly():
    """The compose commands stop on the first failing step, hiding no error."""
    compose = (ROOT / "docker-compose.yml").read_text()
    commands = re.findall(r"command: >\n((?:      .*\n)+)", compose)
    assert len(commands) >= 2, "expected the odoo and tests commands"
    for command in commands:
        assert "set -euo pipefail" in command, command
        assert "2>/dev/null" not in command and "|| " not in command, command
        assert "requirements.txt" in command, command
