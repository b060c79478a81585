# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Writer and parser for SIE files (Swedish standard for accounting data, format 4B).

Pure Python, no Odoo import: the file is the contract, so the writer and the parser are
usable (and tested) on their own.

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


# ---------------------------------------------------------------------------------
class SieObjectList(tuple):
    """A parsed ``{dim "obj" ...}`` field: a tuple of ``(dim, code)`` pairs."""


def tokenize(line):
    """Split one record line into fields (quotes, escapes and ``{}`` lists handled)."""
    tokens = []
    pos, length = 0, len(line)
    while pos < length:
        char = line[pos]
        if char in " \t":
            pos += 1
        elif char == '"':
            pos += 1
            buf = []
            while True:
                if pos >= length:
                    raise SieError(f"unterminated quote in {line!r}")
                char = line[pos]
                if char == "\\" and pos + 1 < length:
                    buf.append(line[pos + 1])
                    pos += 2
                elif char == '"':
                    pos += 1
                    break
                else:
                    buf.append(char)
                    pos += 1
            tokens.append("".join(buf))
        elif char == "{":
            end = pos + 1
            in_quote = False
            while end < length and (in_quote or line[end] != "}"):
                if line[end] == "\\":
                    end += 1
                elif line[end] == '"':
                    in_quote = not in_quote
                end += 1
            if end >= length:
                raise SieError(f"unterminated object list in {line!r}")
            inner = tokenize(line[pos + 1 : end])
            if len(inner) % 2:
                raise SieError(f"odd object list in {line!r}")
            tokens.append(SieObjectList(zip(inner[::2], inner[1::2], strict=True)))
            pos = end + 1
        else:
            end = pos
            while end < length and line[end] not in " \t":
                end += 1
            tokens.append(line[pos:end])
            pos = end
    return tokens


def parse_amount(text):
    try:
        return Decimal(text.replace(",", "."))
    except ArithmeticError as exc:
        raise SieError(f"not an amount: {text!r}") from exc


def parse_date(text):
    try:
        return datetime.datetime.strptime(text, "%Y%m%d").date()
    except ValueError as exc:
        raise SieError(f"not a date: {text!r}") from exc


class SieParser:
    """Parse SIE bytes or text into plain dictionaries and lists.

    After :meth:`parse` the instance holds ``records`` (every ``(label, fields)`` in
    file order, voucher lines included) and structured views: ``header`` (label ->
    fields of the single-valued identification records), ``rar`` (year index ->
    (start, end)), ``accounts`` (number -> name), ``account_types``, ``dimensions``,
    ``objects`` ((dim, code) -> name), ``ib``/``ub``/``res`` ((year, account) ->
    Decimal), ``oib``/``oub`` ((year, account, objects) -> Decimal) and ``vouchers``
    (dicts with series, number, date, text and transactions).
    """

    SINGLE = (
        "#FLAGGA",
        "#FORMAT",
        "#SIETYP",
        "#PROGRAM",
        "#GEN",
        "#FNR",
        "#ORGNR",
        "#FNAMN",
        "#ADRESS",
        "#KPTYP",
        "#VALUTA",
        "#TAXAR",
        "#OMFATTN",
        "#PROSA",
    )

    def __init__(self):
        self.records = []
        self.header = {}
        self.rar = {}
        self.accounts = {}
        self.account_types = {}
        self.dimensions = {}
        self.objects = {}
        self.ib, self.ub, self.res = {}, {}, {}
        self.oib, self.oub = {}, {}
        self.vouchers = []

    @classmethod
    def parse(cls, data):
        parser = cls()
        if isinstance(data, bytes):
            data = data.decode(ENCODING)
        parser._parse_lines(data.splitlines())
        return parser

    def _parse_lines(self, lines):
        voucher = None
        in_block = False
        for lineno, raw in enumerate(lines, 1):
            line = raw.strip()
            if not line:
                continue
            if line == "{":
                if voucher is None or in_block:
                    raise SieError(f"line {lineno}: '{{' without a #VER")
                in_block = True
                continue
            if line == "}":
                if not in_block:
                    raise SieError(f"line {lineno}: '}}' without '{{'")
                in_block, voucher = False, None
                continue
            if not line.startswith("#"):
                raise SieError(f"line {lineno}: not a record: {raw!r}")
            if voucher is not None and not in_block:
                raise SieError(f"line {lineno}: a #VER must be followed by '{{'")
            label, *fields = tokenize(line)
            label = label.upper()
            self.records.append((label, fields))
            if in_block:
                if label in ("#TRANS", "#RTRANS", "#BTRANS"):
                    if label == "#TRANS":
                        voucher["transactions"].append(self._transaction(fields, lineno))
                    continue
                raise SieError(f"line {lineno}: {label} inside a voucher")
            if label in ("#TRANS", "#RTRANS", "#BTRANS"):
                raise SieError(f"line {lineno}: {label} outside a voucher")
            handler = getattr(self, f"_rec_{label[1:].lower()}", None)
            if handler:
                voucher = handler(fields, lineno)
            elif label in self.SINGLE:
                self.header[label] = fields
        if in_block or voucher is not None:
            raise SieError("the file ends inside a voucher")

    @staticmethod
    def _need(fields, count, lineno):
        if len(fields) < count:
            raise SieError(f"line {lineno}: expected {count} fields, got {fields!r}")

    def _rec_rar(self, fields, lineno):
        self._need(fields, 3, lineno)
        self.rar[int(fields[0])] = (parse_date(fields[1]), parse_date(fields[2]))

    def _rec_konto(self, fields, lineno):
        self._need(fields, 2, lineno)
        self.accounts[fields[0]] = fields[1]

    def _rec_ktyp(self, fields, lineno):
        self._need(fields, 2, lineno)
        self.account_types[fields[0]] = fields[1]

    def _rec_dim(self, fields, lineno):
        self._need(fields, 2, lineno)
        self.dimensions[int(fields[0])] = fields[1]

    def _rec_objekt(self, fields, lineno):
        self._need(fields, 3, lineno)
        self.objects[(int(fields[0]), fields[1])] = fields[2]

    def _balance(self, target, fields, lineno):
        self._need(fields, 3, lineno)
        target[(int(fields[0]), fields[1])] = parse_amount(fields[2])

    def _rec_ib(self, fields, lineno):
        self._balance(self.ib, fields, lineno)

    def _rec_ub(self, fields, lineno):
        self._balance(self.ub, fields, lineno)

    def _rec_res(self, fields, lineno):
        self._balance(self.res, fields, lineno)

    def _object_balance(self, target, fields, lineno):
        self._need(fields, 4, lineno)
        objects = tuple((int(d), c) for d, c in fields[2])
        target[(int(fields[0]), fields[1], objects)] = parse_amount(fields[3])

    def _rec_oib(self, fields, lineno):
        self._object_balance(self.oib, fields, lineno)

    def _rec_oub(self, fields, lineno):
        self._object_balance(self.oub, fields, lineno)

    def _rec_ver(self, fields, lineno):
        self._need(fields, 3, lineno)
        voucher = {
            "series": fields[0],
            "number": fields[1],
            "date": parse_date(fields[2]),
            "text": fields[3] if len(fields) > 3 else "",
            "reg_date": parse_date(fields[4]) if len(fields) > 4 and fields[4] else None,
            "transactions": [],
        }
        self.vouchers.append(voucher)
        return voucher

    def _transaction(self, fields, lineno):
        self._need(fields, 3, lineno)
        if not isinstance(fields[1], SieObjectList):
            raise SieError(f"line {lineno}: #TRANS without an object list")
        return {
            "account": fields[0],
            "objects": tuple((int(d), c) for d, c in fields[1]),
            "amount": parse_amount(fields[2]),
            "date": parse_date(fields[3]) if len(fields) > 3 and fields[3] else None,
            "text": fields[4] if len(fields) > 4 else "",
        }
