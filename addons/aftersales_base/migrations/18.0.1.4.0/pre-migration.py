"""18.0.1.4.0: the tracking number gets a trigram index (searched by part of it).

Odoo keeps an index whose name already exists: drop the former btree so that the
upgrade creates the trigram one under the same name. Equality and ordering keep the
unique (name, company_id) index.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("DROP INDEX IF EXISTS aftersales_request__name_index")
