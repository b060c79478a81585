# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Parser of SIE files (format 4B), for the tests only: they read the export back and
compare it with the books. The format's rules are in ``tools/sie.py``, the writer."""

import datetime
from decimal import Decimal

from ..tools.sie import ENCODING, SieError


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
