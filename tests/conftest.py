"""Load the pure ``tools`` packages of the addons without importing Odoo.

``addons/<addon>/tools`` is loaded as the top-level package ``<addon>_tools``; the
tools only import each other relatively, never ``odoo``.
"""

import importlib.util
import sys
from pathlib import Path

ADDONS = Path(__file__).resolve().parent.parent / "addons"


def load_tools(addon):
    name = f"{addon}_tools"
    if name in sys.modules:
        return sys.modules[name]
    package_dir = ADDONS / addon / "tools"
    spec = importlib.util.spec_from_file_location(
        name, package_dir / "__init__.py", submodule_search_locations=[str(package_dir)]
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module
