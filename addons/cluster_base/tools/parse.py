# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Strict parsing of what a client sends: path and form parameters of the portal, and
the arguments of the time-system API. One place, so every route answers bad input the
same way: ``None`` (the caller answers like a missing record or with the form's
message), never an exception that becomes an HTTP 500.

- ids: ASCII digits only, 1 .. 2**31 - 1 (PostgreSQL's ``integer``);
- dates: ``YYYY-MM-DD`` in ASCII, between 1900-01-01 and 2999-12-31 (so a week or a
  month around them never leaves Python's date range);
- decimal numbers: ASCII digits with at most one ``.`` or Swedish ``,``, no sign, no
  exponent, no other script's digits, and no more decimals than the field stores.
"""

import datetime
import math
import re

PG_INT_MAX = 2**31 - 1
DATE_MIN = datetime.date(1900, 1, 1)
DATE_MAX = datetime.date(2999, 12, 31)

_ID_RE = re.compile(r"[0-9]{1,10}", re.ASCII)
_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
_DECIMAL_RE = re.compile(r"([0-9]{1,12})(?:[.,]([0-9]{1,12}))?", re.ASCII)


def parse_id(value):
    """A record id from a path or a form (``int`` or text), or ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _ID_RE.fullmatch(value.strip()):
        number = int(value.strip())
    else:
        return None
    return number if 0 < number <= PG_INT_MAX else None


def parse_date(value):
    """A date (``YYYY-MM-DD`` or a ``date``) inside the window, or ``None``."""
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        day = value
    elif isinstance(value, str) and _DATE_RE.fullmatch(value.strip()):
        try:
            day = datetime.date.fromisoformat(value.strip())
        except ValueError:
            return None
    else:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None


def parse_decimal(value, digits=2, minimum=None, maximum=None, strict_minimum=False):
    """A finite decimal number, or ``None``.

    Text takes ASCII digits with one ``.`` or ``,`` (spaces and no-break spaces as
    thousands separators are dropped); a number (JSON/XML-RPC) must be finite. More
    decimals than ``digits`` (the stored precision) are refused, so what is compared is
    exactly what is stored. ``minimum``/``maximum`` bound it (``strict_minimum``:
    the minimum itself is refused).
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number) or round(number, digits) != number:
            return None
    elif isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace(" ", "")
        match = _DECIMAL_RE.fullmatch(text)
        if not match or len(match.group(2) or "") > digits:
            return None
        number = float(text.replace(",", "."))
    else:
        return None
    if minimum is not None and (number < minimum or (strict_minimum and number == minimum)):
        return None
    if maximum is not None and number > maximum:
        return None
    return number
