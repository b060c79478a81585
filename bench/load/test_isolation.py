"""The load run's body check must catch a leak and must not cry wolf.

pytest -p no:odoo bench/load      (pure Python, well under a second; no Odoo, no database)
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from isolation import FirmIndex, error_marker  # noqa: E402

FIRMS = {
    "1": {"name": "Alfa AB", "numbers": ["556000-0001"]},
    "2": {"name": "Nya Alfa AB", "numbers": ["556000-0002"]},
    "3": {"name": "Beta & Söner AB", "numbers": ["556000-0003", "SE556000000301"]},
    "4": {"name": "Granhamra kommun", "numbers": ["212000-1009"]},
    "5": {"name": "Gamma AB", "numbers": []},
}
# firm 1 has an agreement with firm 5: it may see its name
ALLOWED = {"1": [1, 5], "2": [2], "3": [3], "4": [4], "5": [5, 1]}
INDEX = FirmIndex(FIRMS, ALLOWED)


def test_own_firm_and_counterparty_are_not_leaks():
    body = "<h1>Alfa AB</h1><td>Köpare: Gamma AB</td><p>556000-0001</p>"
    assert INDEX.leaks(1, body) == []


def test_another_firms_name_is_a_leak_even_html_escaped():
    assert INDEX.leaks(1, "<td>Beta &amp; Söner AB</td>") == [(3, "Beta & Söner AB")]
    assert INDEX.leaks(5, "<td>Granhamra kommun</td>") == [(4, "Granhamra kommun")]


def test_a_user_may_see_less_than_its_firm():
    # an expert of firm 1 who does not work on the agreement with firm 5
    assert INDEX.leaks(1, "<td>Gamma AB</td>", allowed=[1]) == [(5, "Gamma AB")]


def test_longest_name_wins():
    # "Alfa AB" ends "Nya Alfa AB": Nya Alfa's own page is not a leak of Alfa
    assert INDEX.leaks(2, "<h1>Nya Alfa AB</h1>") == []
    # but Alfa seeing Nya Alfa is one
    assert INDEX.leaks(1, "<h1>Nya Alfa AB</h1>") == [(2, "Nya Alfa AB")]


def test_numbers_are_leaks_but_not_inside_longer_numbers():
    assert INDEX.leaks(1, "Org.nr 556000-0003") == [(3, "556000-0003")]
    assert INDEX.leaks(1, "VAT SE556000000301") == [(3, "SE556000000301")]
    assert INDEX.leaks(1, "ref 1556000-00031 and 556000-00039") == []


def test_error_pages():
    assert error_marker("<h1>Internal Server Error</h1>") == "Internal Server Error"
    assert error_marker("<main>Agreements</main>") is None
