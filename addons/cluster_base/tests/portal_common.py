# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Helpers for the member portal's isolation tests (importable from the other addons).

``ClusterPortalMixin`` is mixed into an ``HttpCase``. Every isolation assertion
goes through one of its ``assert*`` helpers, which count themselves, so the test log
ends with the number of isolation checks run (``cluster portal isolation checks: N``).
"""

import json
import logging

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import JsonRpcException

_logger = logging.getLogger(__name__)


class ClusterPortalMixin(HttpCase):
    isolation_checks = 0

    @classmethod
    def tearDownClass(cls):
        _logger.info(
            "cluster portal isolation checks in %s: %s",
            cls.__name__,
            cls.isolation_checks,
        )
        super().tearDownClass()

    def _count(self, n=1):
        type(self).isolation_checks += n

    @classmethod
    def _portal_contact_user(cls, login, firm, name=None):
        contact = cls.env["res.partner"].create(
            {
                "name": name or login,
                "parent_id": firm.id,
                "email": f"{login}@example.com",
            }
        )
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    # ------------------------------------------------------------------ HTTP
    def _login(self, login):
        # authenticate(None, None): a fresh session of the public user
        self.authenticate(login, login)

    def _get(self, login, url):
        self._login(login)
        return self.url_open(url, allow_redirects=False)

    def assertPublicRedirectedToLogin(self, url):
        response = self._get(None, url)
        self.assertIn(response.status_code, (302, 303), url)
        self.assertIn("/web/login", response.headers.get("Location", ""), url)
        self._count(2)

    def assertPageWithout(self, login, url, forbidden, expected=()):
        """``url`` answers 200 to ``login`` and shows none of ``forbidden``."""
        response = self._get(login, url)
        self.assertEqual(response.status_code, 200, f"{login} {url}")
        body = response.text
        for text in forbidden:
            self.assertNotIn(text, body, f"{login} sees {text!r} on {url}")
        for text in expected:
            self.assertIn(text, body, f"{login} misses {text!r} on {url}")
        self._count(1 + len(forbidden))
        return body

    def assertSameAsMissing(self, login, url, missing_url, forbidden=()):
        """Another firm's record answers exactly like a record that does not exist."""
        response = self._get(login, url)
        missing = self._get(login, missing_url)
        self.assertEqual(response.status_code, missing.status_code, url)
        self.assertIn(response.status_code, (302, 303, 404), url)
        self.assertEqual(response.headers.get("Location"), missing.headers.get("Location"), url)
        for text in forbidden:
            self.assertNotIn(text, response.text, f"{login} sees {text!r} at {url}")
        self._count(3 + len(forbidden))

    # ------------------------------------------------------------------ JSON-RPC
    def _call_kw(self, login, model, method, args=None, kwargs=None):
        self._login(login)
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {
                "model": model,
                "method": method,
                "args": args or [],
                "kwargs": kwargs or {},
            },
        )

    def assertRpcDenied(self, login, model, method, args=None, kwargs=None):
        with self.assertRaises(JsonRpcException) as cm:
            self._call_kw(login, model, method, args, kwargs)
        self.assertIn(cm.exception.args[0], ("odoo.exceptions.AccessError",), f"{model}.{method}")
        self._count(1)

    def assertRpcReadsOnly(self, login, model, own_ids, other_names, group_field):
        """search_read, read_group, web_read_group, name_search: only ``own_ids``."""
        rows = self._call_kw(login, model, "search_read", [[]], {"fields": ["display_name"]})
        self.assertEqual(sorted(r["id"] for r in rows), sorted(own_ids), model)
        groups = self._call_kw(
            login,
            model,
            "read_group",
            [[], [group_field], [group_field]],
            {"lazy": False},
        )
        self.assertEqual(sum(g["__count"] for g in groups), len(own_ids), model)
        web_groups = self._call_kw(
            login,
            model,
            "web_read_group",
            [[], [group_field], [group_field]],
            {"lazy": False},
        )
        self.assertEqual(web_groups["length"], len(groups), model)
        names = self._call_kw(login, model, "name_search", [], {"name": "", "limit": 1000})
        self.assertEqual(sorted(n[0] for n in names), sorted(own_ids), model)
        dumped = json.dumps([rows, groups, web_groups, names], ensure_ascii=False)
        for text in other_names:
            self.assertNotIn(text, dumped, model)
        self._count(4 + len(other_names))
