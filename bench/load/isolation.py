"""Does a page show a firm its user must not see? Used on every body of the load run.

A firm's user may see its own firm and the other party of its own agreements; any other
firm's name or organisation/VAT number in a body is a leak. Names are matched on the
unescaped text, and where one firm's name ends another's ("Alfa AB" in "Nya Alfa AB")
the longest name wins, so a firm's own name never counts as a shorter firm's.

Cheap enough for every response: names ending in " AB" (the benchmark data's contract,
and most Swedish firms) are found from the occurrences of "AB" (a set lookup per name
length), the few others by a plain substring search, numbers by one regex.
"""

import html
import re

AB_RE = re.compile(r"\bAB\b")
NUMBER_RE = re.compile(r"(?<![\w-])(?:SE)?\d[\d-]{6,14}\d(?![\w-])")
ERROR_MARKERS = (
    "Internal Server Error",
    "Traceback (most recent call last)",
    "odoo.exceptions.",
    "o_error_detail",
    "500: Internal",
)


class FirmIndex:
    """Names and numbers of all firms, and what each firm may see."""

    def __init__(self, firms, allowed):
        # firms: {firm_id: {"name": str, "numbers": [str]}}; allowed: {firm_id: [ids]}
        self.firms = {int(k): v for k, v in firms.items()}
        self.allowed = {int(k): {int(i) for i in v} for k, v in allowed.items()}
        self.ab_names = {}  # name -> firm ids (two firms may share a name in bad data)
        self.other_names = {}
        self.numbers = {}
        for firm_id, firm in self.firms.items():
            name = firm["name"]
            target = self.ab_names if name.endswith(" AB") else self.other_names
            target.setdefault(name, set()).add(firm_id)
            for number in firm.get("numbers", ()):
                self.numbers.setdefault(number, set()).add(firm_id)
        self.ab_lengths = sorted({len(n) for n in self.ab_names}, reverse=True)

    def _found(self, text):
        """{firm_id: what was seen} for every firm named or numbered in ``text``."""
        found = {}
        for match in AB_RE.finditer(text):
            end = match.end()
            for length in self.ab_lengths:  # longest name ending here wins
                ids = self.ab_names.get(text[end - length : end]) if end >= length else None
                if ids:
                    for firm_id in ids:
                        found.setdefault(firm_id, self.firms[firm_id]["name"])
                    break
        for name, ids in self.other_names.items():
            if name in text:
                for firm_id in ids:
                    found.setdefault(firm_id, name)
        for match in NUMBER_RE.finditer(text):
            ids = self.numbers.get(match.group(0))
            if ids is None and match.group(0).startswith("SE"):
                ids = self.numbers.get(match.group(0)[2:])
            for firm_id in ids or ():
                found.setdefault(firm_id, match.group(0))
        return found

    def leaks(self, firm_id, body, allowed=None):
        """[(other firm id, name or number seen)] that ``firm_id``'s user must not see;
        ``allowed`` (ids) replaces the firm's list for a user who may see less."""
        text = html.unescape(body)
        allowed = set(allowed) if allowed is not None else self.allowed.get(firm_id, {firm_id})
        # a name that contains the own firm's name (e.g. the firm's own name in a longer
        # sentence) is handled by the longest-match rule; shared names are not leaks
        own_names = {self.firms[i]["name"] for i in allowed if i in self.firms}
        return sorted(
            (other, seen)
            for other, seen in self._found(text).items()
            if other not in allowed and seen not in own_names
        )


def error_marker(body):
    """The first Odoo error-page marker found in ``body``, else None."""
    for marker in ERROR_MARKERS:
        if marker in body:
            return marker
    return None
