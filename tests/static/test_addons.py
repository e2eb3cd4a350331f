"""Static checks of every addon: what Odoo would refuse or warn about at install time."""

import ast
import csv
import glob
import re
from pathlib import Path

import polib
import pytest
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent.parent
ADDONS_DIR = ROOT / "addons"
KNOWN = {
    "aftersales_base",
    "aftersales_warranty",
    "aftersales_agent",
    "aftersales_stock",
    "aftersales_survey",
}
ADDONS = sorted(p for p in ADDONS_DIR.iterdir() if p.is_dir() and not p.name.startswith("."))
VERSION_RE = re.compile(r"^18\.0\.\d+\.\d+\.\d+$")
REQUIRED_KEYS = {"name", "version", "summary", "license", "author", "depends", "data"}
LICENSES = {"LGPL-3", "AGPL-3"}


def manifest(addon):
    return ast.literal_eval((addon / "__manifest__.py").read_text())


def test_only_known_addons_exist():
    assert ADDONS, "no addon found"
    assert {a.name for a in ADDONS} <= KNOWN


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_manifest(addon):
    data = manifest(addon)
    assert data.keys() >= REQUIRED_KEYS, REQUIRED_KEYS - data.keys()
    assert VERSION_RE.match(data["version"]), data["version"]
    assert data["license"] in LICENSES
    assert "description" not in data, "use readme/DESCRIPTION.md"
    assert data.get("installable", True) is True
    for dep in data["depends"]:
        if dep.startswith("aftersales_"):
            assert (ADDONS_DIR / dep).is_dir(), f"depends on missing addon {dep}"
    assert (addon / "readme" / "DESCRIPTION.md").exists()
    assert (addon / "static" / "description" / "icon.png").exists()


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_data_files_exist_and_parse(addon):
    data = manifest(addon)
    for rel in data.get("data", []) + data.get("demo", []):
        path = addon / rel
        assert path.exists(), f"{rel} is listed but missing"
        if path.suffix == ".xml":
            etree.parse(str(path))
        elif path.suffix == ".csv":
            with path.open(newline="") as handle:
                rows = list(csv.reader(handle))
            assert rows and rows[0][0] == "id", f"{rel}: first column must be id"
            assert all(len(row) == len(rows[0]) for row in rows), f"{rel}: ragged rows"
        else:
            pytest.fail(f"{rel}: unexpected data file type")


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_asset_globs_match(addon):
    for bundle, paths in manifest(addon).get("assets", {}).items():
        for pattern in paths:
            if isinstance(pattern, (list, tuple)):
                pattern = pattern[-1]
            matches = glob.glob(str(ADDONS_DIR / pattern))
            assert matches, f"{bundle}: {pattern} matches no file"


def _declared_models(addon):
    """Models declared with ``_name`` in the addon, minus abstract ones."""
    models = []
    for path in addon.rglob("*.py"):
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(base) for base in node.bases}
            if "models.AbstractModel" in bases:
                continue
            for stmt in node.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and any(getattr(t, "id", None) == "_name" for t in stmt.targets)
                    and isinstance(stmt.value, ast.Constant)
                ):
                    models.append(stmt.value.value)
    return models


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_every_model_has_acl_rows(addon):
    acl_path = addon / "security" / "ir.model.access.csv"
    models = _declared_models(addon)
    if not models:
        return
    assert acl_path.exists()
    with acl_path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    for model in models:
        assert "model_" + model.replace(".", "_") in covered, f"{model} has no ACL row"
    for row in rows:
        assert row["group_id:id"], f"{row['id']}: an ACL row without group gives rights to everyone"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_every_company_model_has_a_company_rule(addon):
    security = addon / "security"
    rules = "".join(p.read_text() for p in security.glob("*.xml")) if security.exists() else ""
    for path in (addon / "models").glob("*.py"):
        source = path.read_text()
        for model in re.findall(r'(?m)^    _name = "([\w.]+)"', source):
            body = source.split(f'    _name = "{model}"', 1)[1].split("\nclass ", 1)[0]
            if re.search(r"\n    company_id = fields\.", body):
                ref = "model_" + model.replace(".", "_")
                assert re.search(
                    rf'ref="{ref}"/>\s*<field name="domain_force">[^<]*company_ids', rules
                ), f"{model} has company_id but no multi-company rule"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_no_removed_odoo17_syntax(addon):
    for path in addon.rglob("*.xml"):
        tree = etree.parse(str(path))
        for element in tree.iter():
            if not isinstance(element.tag, str):
                continue
            rel = f"{path.relative_to(addon)}:{element.sourceline}"
            assert element.tag != "tree", f"{rel}: <tree> is <list> since Odoo 18"
            if element.tag in (
                "field",
                "button",
                "div",
                "group",
                "page",
                "span",
                "filter",
                "list",
                "form",
                "label",
            ):
                assert "attrs" not in element.attrib, f"{rel}: attrs= was removed in Odoo 17"
                assert "states" not in element.attrib, f"{rel}: states= was removed in Odoo 17"
    for path in addon.rglob("*.py"):
        source = path.read_text()
        assert "def name_get(" not in source, f"{path}: name_get is gone, use _compute_display_name"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_persian_translation_complete(addon):
    pot = addon / "i18n" / f"{addon.name}.pot"
    fa = addon / "i18n" / "fa.po"
    assert pot.exists(), "export the .pot (see README, translations)"
    assert fa.exists(), "every addon ships i18n/fa.po"
    template = polib.pofile(str(pot))
    persian = polib.pofile(str(fa))
    translated = {(e.msgctxt, e.msgid): e.msgstr for e in persian if not e.obsolete}
    missing = [e.msgid for e in template if not translated.get((e.msgctxt, e.msgid))]
    assert not missing, f"{len(missing)} strings without Persian: {missing[:10]}"
    assert not [e.msgid for e in persian if "fuzzy" in e.flags], "fuzzy entries in fa.po"


@pytest.mark.parametrize("addon", ADDONS, ids=lambda a: a.name)
def test_python_compiles(addon):
    for path in addon.rglob("*.py"):
        compile(path.read_text(), str(path), "exec")
