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
from odoo.tools import SQL

_logger = logging.getLogger(__name__)


class ClusterPortalMixin(HttpCase):
    isolation_checks = 0

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The demo data make the admin Swedish (its portal pages then live under /sv/);
        # these tests read the pages as on a database without demo data.
        cls.env.ref("base.user_admin").lang = "en_US"

    @classmethod
    def tearDownClass(cls):
        if cls.isolation_checks:
            _logger.info(
                "cluster portal isolation checks in %s: %s",
                cls.__name__,
                cls.isolation_checks,
            )
        super().tearDownClass()

    def _count(self, n=1):
        type(self).isolation_checks += n

    @classmethod
    def _portal_contact_user(cls, login, firm, name=None, signatory=False):
        """A portal login of a new contact of ``firm``; ``signatory`` sets the contact's
        flag, and the login gets the signatory group from it (as in production)."""
        contact = cls.env["res.partner"].create(
            {
                "name": name or login,
                "parent_id": firm.id,
                "email": f"{login}@example.com",
                "cluster_is_signatory": signatory,
            }
        )
        return new_test_user(
            cls.env, login=login, groups="base.group_portal", partner_id=contact.id
        )

    def assertRedirectedAway(self, login, url, forbidden=()):
        """``url`` is not for ``login``'s role: a redirect (as for a missing record),
        showing none of ``forbidden``."""
        response = self._get(login, url)
        self.assertIn(response.status_code, (302, 303), f"{login} {url}")
        self.assertNotIn(url, response.headers.get("Location", ""), f"{login} {url}")
        for text in forbidden:
            self.assertNotIn(text, response.text, f"{login} sees {text!r} at {url}")
        self._count(2 + len(forbidden))

    # ------------------------------------------------------------------ HTTP
    def _login(self, login):
        # authenticate(None, None): a fresh session of the public user
        self.authenticate(login, login)

    def _open(self, url, data=None):
        """``url`` in the current session, redirects not followed."""
        return self.url_open(url, data=data, allow_redirects=False)

    def _get(self, login, url):
        self._login(login)
        return self._open(url)

    def _csrf_token(self, url="/my"):
        """A CSRF token of the current session, read from a portal page holding a form."""
        body = self._open(url).text
        marker = 'name="csrf_token" value="'
        start = body.index(marker) + len(marker)
        return body[start : body.index('"', start)]

    def _missing_id(self, model):
        """An id no row of ``model`` has."""
        self.env.cr.execute(
            SQL(
                "SELECT COALESCE(MAX(id), 0) + 1000 FROM %s",
                SQL.identifier(self.env[model]._table),
            )
        )
        return self.env.cr.fetchone()[0]

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
    def _rpc(self, model, method, *args, **kwargs):
        """``model.method(*args, **kwargs)`` over JSON-RPC in the current session."""
        return self.make_jsonrpc_request(
            f"/web/dataset/call_kw/{model}/{method}",
            {"model": model, "method": method, "args": list(args), "kwargs": kwargs},
        )

    def _call_kw(self, login, model, method, args=None, kwargs=None):
        self._login(login)
        return self._rpc(model, method, *(args or []), **(kwargs or {}))

    def assertRpcRefused(self, model, method, *args, **kwargs):
        """The call is refused in the current session (any JSON-RPC error)."""
        with self.assertRaises(JsonRpcException):
            self._rpc(model, method, *args, **kwargs)
        self._count(1)

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
