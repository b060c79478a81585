# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Writer of SIE files (Swedish standard for accounting data, format 4B).

Pure Python, no Odoo import: the file is the contract, so the writer is usable (and
tested) on its own; the parser the tests read the files back with is
``tests/sie_parser.py``.

- A record is one line: a label (``#VER``), then fields separated by a space.
- Texts are quoted; a quote or backslash inside a text is escaped with a backslash.
- Identifiers (account numbers, years, dimension numbers) are written bare when they are
  made of safe characters only, otherwise quoted.
- Amounts have a ``.`` decimal point and exactly two decimals; dates are ``YYYYMMDD``.
- An object list is ``{dim "object" ...}``; an empty one is ``{}``.
- A voucher (``#VER``) is followed by a block ``{`` ... ``}`` on their own lines.
- The file is encoded in code page 437 (``#FORMAT PC8``) with CR LF line ends;
  characters outside CP437 are mapped to a close ASCII look-alike or ``?``.
"""

import datetime
import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

ENCODING = "cp437"
CENT = Decimal("0.01")
_BARE_RE = re.compile(r"^[0-9A-Za-z_.\-:/+]+$")
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f]")
# Typographic characters that CP437 lacks but that have an obvious plain equivalent.
_LOOKALIKES = str.maketrans(
    {
        "\u2013": "-",  # en dash
        "\u2014": "-",  # em dash
        "\u2212": "-",  # minus sign
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2026": "...",
        "\u00a0": " ",  # no-break space
        "\u202f": " ",  # narrow no-break space
        "\u20ac": "EUR",
    }
)


class SieError(ValueError):
    """A SIE file (or a value to write) does not follow the format."""


class Bare(str):
    """A field written without quotes when it can be (account number, year...)."""


def to_cp437_text(text):
    """Return ``text`` with only characters that CP437 can encode (others mapped)."""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    text = _CONTROL_RE.sub(" ", text.translate(_LOOKALIKES))
    if _encodable(text):
        return text
    out = []
    for char in text:
        if not _encodable(char):
            plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore")
            char = plain.decode("ascii") or "?"
        out.append(char)
    return "".join(out)


def _encodable(text):
    try:
        text.encode(ENCODING)
    except UnicodeEncodeError:
        return False
    return True


def format_amount(amount):
    """``Decimal``/``float``/``int`` -> ``"-1234.50"``."""
    if isinstance(amount, float):
        amount = Decimal(repr(amount))
    value = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    if value == 0:
        value = Decimal("0.00")  # never "-0.00"
    return f"{value:.2f}"


def format_date(value):
    return value.strftime("%Y%m%d")


def quote(text):
    text = to_cp437_text(text).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


class SieAmount(Decimal):
    """A number written as an amount (two decimals) by :meth:`SieWriter.record`."""


class SieWriter:
    """Collect records, then :meth:`to_bytes` (CP437) or :meth:`to_text`."""

    newline = "\r\n"

    def __init__(self):
        self._lines = []

    # -- fields -------------------------------------------------------------------
    @classmethod
    def field(cls, value):
        if value is None:
            return '""'
        if isinstance(value, Bare):
            value = to_cp437_text(value)
            return value if _BARE_RE.match(value) else quote(value)
        if isinstance(value, str):
            return quote(value)
        if isinstance(value, bool):
            raise SieError(f"no SIE field for a boolean: {value!r}")
        if isinstance(value, SieAmount | float):
            return format_amount(value)
        if isinstance(value, int | Decimal):
            return str(value)
        if isinstance(value, datetime.date):
            return format_date(value)
        if isinstance(value, list | tuple):
            # object list: [(dimension, object code), ...]
            items = " ".join(f"{int(dim)} {quote(code)}" for dim, code in value)
            return "{" + items + "}"
        raise SieError(f"no SIE field for {value!r}")

    # -- records ------------------------------------------------------------------
    def record(self, label, *fields):
        if not label.startswith("#") or not label[1:].isalnum():
            raise SieError(f"bad SIE label {label!r}")
        self._lines.append(" ".join([label.upper(), *map(self.field, fields)]))
        return self

    def voucher(self, series, number, date, text, transactions, reg_date=None):
        """``#VER`` and its block; ``transactions`` are ``(account, objects, amount,
        date, text)`` tuples (date and text may be ``None``)."""
        fields = [str(series), str(number), date, text or ""]
        if reg_date:
            fields.append(reg_date)
        self.record("#VER", *fields)
        self._lines.append("{")
        for account, objects, amount, trans_date, trans_text in transactions:
            trans = [Bare(account), list(objects or ()), SieAmount(amount)]
            if trans_date or trans_text:
                trans += [trans_date or "", trans_text or ""]
            self.record("#TRANS", *trans)
        self._lines.append("}")
        return self

    def to_text(self):
        return self.newline.join(self._lines) + self.newline

    def to_bytes(self):
        # Every field went through to_cp437_text: a failure here is a bug, not data.
        return self.to_text().encode(ENCODING)
