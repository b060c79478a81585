# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Streaming XLSX for the funders' exports (the funder report and the cluster ledger).

A workbook is written by xlsxwriter in constant-memory mode to a temporary file, and
analytic lines are read through a server-side cursor in chunks: memory stays flat
whatever the number of lines.
"""

import os
import tempfile
from contextlib import contextmanager

import xlsxwriter

from odoo.tools import SQL

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LEDGER_CHUNK = 20000


def new_workbook(path):
    """A constant-memory workbook at ``path`` and the styles the exports share."""
    workbook = xlsxwriter.Workbook(
        path, {"constant_memory": True, "default_date_format": "yyyy-mm-dd"}
    )
    styles = {
        "bold": workbook.add_format({"bold": True}),
        "money": workbook.add_format({"num_format": "#,##0.00"}),
        "head": workbook.add_format({"bold": True, "bottom": 1}),
    }
    return workbook, styles


def xlsx_bytes(write):
    """The content of the file that ``write(path)`` writes into a temporary path."""
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        write(path)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def write_header(sheet, styles, headers):
    for col, header in enumerate(headers):
        sheet.write(0, col, header, styles["head"])
    sheet.set_column(0, len(headers) - 1, 18)


@contextmanager
def fetch_in_chunks(cr, name, query, size=LEDGER_CHUNK):
    """Iterate over the rows of ``query`` in chunks of ``size`` from a server-side
    cursor ``name`` of the current transaction, closed when the block ends."""
    cr.execute(SQL("DECLARE %s NO SCROLL CURSOR FOR %s", SQL.identifier(name), query))

    def chunks():
        while True:
            cr.execute(SQL("FETCH %s FROM %s", size, SQL.identifier(name)))
            chunk = cr.fetchall()
            if not chunk:
                return
            yield chunk

    try:
        yield chunks()
    finally:
        cr.execute(SQL("CLOSE %s", SQL.identifier(name)))


def attach_for_download(record, name, content):
    """Attach ``content`` to ``record`` and return the attachment and the action that
    downloads it."""
    attachment = record.env["ir.attachment"].create(
        {
            "name": name,
            "raw": content,
            "res_model": record._name,
            "res_id": record.id,
            "mimetype": XLSX_MIMETYPE,
        }
    )
    action = {
        "type": "ir.actions.act_url",
        "url": f"/web/content/{attachment.id}?download=true",
        "target": "self",
    }
    return attachment, action


def attach_to_request(attachment, request):
    """Move an export's file to its background run (``cluster.job.request``), where the
    user finds it again; return the run's summary."""
    attachment.write({"res_model": request._name, "res_id": request.id})
    request.write({"attachment_id": attachment.id, "cluster_job_document_count": 1})
    return request.env._("%(name)s is ready.", name=attachment.name)
