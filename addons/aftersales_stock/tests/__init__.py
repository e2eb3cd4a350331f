from . import test_supplier
