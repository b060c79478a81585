# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Swedish by default: the backend views and every /my/cluster page read Swedish.

The English msgid of every term of ours whose Swedish msgstr differs must not appear as
a whole text (a text node, a label, a field's string) in what a Swedish user gets.
"""

import os
import pathlib
import re
import tempfile
import warnings
from urllib.parse import urlparse

import polib
from lxml import etree, html

from odoo.tests import tagged
from odoo.tools.translate import TranslationImporter, TranslationModuleReader

from .portal_common import PortalCommon

MODULES = ("cluster_base", "cluster_projects", "cluster_consulting")
SPACES = re.compile(r"\s+")


def _norm(text):
    return SPACES.sub(" ", text or "").strip()


@tagged("post_install", "-at_install")
class TestSwedishUi(PortalCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("sv_SE")
        cls.env["ir.module.module"]._load_module_terms(
            ["portal", "web", "project", "hr_timesheet", "account"], ["sv_SE"]
        )
        cls._load_our_swedish()
        (cls.signatory_a | cls.person_a).write({"lang": "sv_SE"})
        cls.signatory_a.cluster_is_signatory = True
        # firms A and B are active members; B shares its profile; one approved annual
        # meeting: the directory and the minutes pages have something to show
        mtype = cls.env["cluster.membership.type"].create(
            {"name": "Kärnföretag test", "category": "core", "voting_right": True}
        )
        memberships = cls.env["cluster.membership"]
        for firm in (cls.firm_a, cls.firm_b):
            membership = cls.env["cluster.membership"].create(
                {"partner_id": firm.id, "membership_type_id": mtype.id}
            )
            membership.action_apply()
            decision = cls.env["cluster.decision"].create(
                {"title": "Antagning", "date": "2026-02-01"}
            )
            decision.action_adopt()
            membership.admission_decision_id = decision
            membership.write({"date_application": "2026-02-01", "date_admission": "2026-02-01"})
            membership.write({"state": "admitted"})
            membership.write({"state": "active"})
            memberships |= membership
        cls.firm_b.write({"cluster_directory_opt_in": True, "cluster_markets": "Norden"})
        cls.meeting = cls.env["cluster.meeting"].create(
            {"name": "Stämma 2026", "meeting_type": "annual", "date": "2026-05-20 15:00:00"}
        )
        cls.meeting.action_held()
        cls.meeting.adjuster_ids = cls.signatory_a | cls.signatory_b
        cls.meeting.action_close()
        cls.english = set()
        for module in MODULES:
            path = pathlib.Path(__file__).resolve().parents[2] / module / "i18n" / "sv.po"
            for entry in polib.pofile(str(path)):
                msgid = _norm(entry.msgid)
                # a term of a few letters ("No", "Yes") says little out of context
                if entry.msgstr and _norm(entry.msgstr) != msgid and len(msgid) > 3:
                    cls.english.add(msgid)

    @classmethod
    def _load_our_swedish(cls):
        """Our sv.po as the lead's regeneration will make it: every term the code and data
        hold now (Odoo's exporter), with its msgstr by msgid. Loading sv.po as is would
        merge it with the committed .pot, which lags behind the terms added this round."""
        msgstr = {}
        for module in MODULES:
            path = pathlib.Path(__file__).resolve().parents[2] / module / "i18n" / "sv.po"
            msgstr[module] = {e.msgid: e.msgstr for e in polib.pofile(str(path)) if e.msgstr}
        po = polib.POFile()
        po.metadata = {"Content-Type": "text/plain; charset=UTF-8"}
        for module in MODULES:
            entries = {}
            # babel's extractor imports pkg_resources, which warns (a WARNING in the log)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)
                rows = list(TranslationModuleReader(cls.env.cr, modules=[module]))
            for mod, kind, name, res_id, source, *_rest in rows:
                if mod != module or kind == "code" or source not in msgstr[module]:
                    continue
                entry = entries.get(source)
                if not entry:
                    entry = entries[source] = polib.POEntry(
                        msgid=source, msgstr=msgstr[module][source], comment=f"module: {module}"
                    )
                    po.append(entry)
                entry.occurrences.append((f"{kind}:{name}:{res_id}", ""))
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "sv.po")
            po.save(path)
            importer = TranslationImporter(cls.env.cr, verbose=False)
            # load(), not load_file(): file_open() only opens files of the addons
            with open(path, "rb") as fileobj:
                importer.load(fileobj, "po", "sv_SE")
            importer.save(overwrite=True)

    def _assertSwedish(self, texts, where, data=()):
        # ``data``: names of records (the database may hold English demo records)
        found = sorted(({_norm(t) for t in texts} - {_norm(d) for d in data}) & self.english)
        self.assertFalse(found, f"untranslated on {where}: {found[:10]}")

    def _arch_texts(self, arch):
        tree = etree.fromstring(arch)
        for node in tree.iter():
            if isinstance(node.tag, str):
                yield node.text or ""
                for attr in ("string", "help", "placeholder", "sum", "confirm"):
                    if node.get(attr):
                        yield node.get(attr)

    def test_backend_views_in_swedish(self):
        env = self.env(context=dict(self.env.context, lang="sv_SE"))
        models = sorted(
            {
                model
                for model in env.registry
                if model.startswith("cluster.") and not env[model]._abstract
            }
        )
        self.assertIn("cluster.membership", models)
        for model in models:
            Model = env[model]
            # the views we wrote (a default view is built from the model's description)
            view_types = [
                view_type
                for view_type in ("form", "list")
                if env["ir.ui.view"].search_count(
                    [("model", "=", model), ("type", "=", view_type)], limit=1
                )
            ]
            if not view_types:
                continue
            views = Model.get_views([(False, view_type) for view_type in view_types])
            for view_type, view in views["views"].items():
                texts = list(self._arch_texts(view["arch"]))
                for field in views["models"].get(model, {}).get("fields", {}).values():
                    texts.append(field.get("string", ""))
                self._assertSwedish(texts, f"{model} {view_type}")
        # the check can fail: a label of ours reads Swedish
        views = env["cluster.membership"].get_views([(False, "form")])
        fields = views["models"]["cluster.membership"]["fields"]
        self.assertEqual(fields["membership_type_id"]["string"], "Medlemstyp")

    def _page_texts(self, body):
        tree = html.fromstring(body)
        for bad in tree.xpath("//script|//style"):
            bad.drop_tree()
        for node in tree.iter():
            if isinstance(node.tag, str):
                yield node.text or ""
                yield node.tail or ""
                for attr in ("placeholder", "title", "aria-label"):
                    if node.get(attr):
                        yield node.get(attr)

    def test_portal_pages_in_swedish(self):
        pages = [
            "/my/home",
            "/my/cluster",
            "/my/cluster/membership",
            "/my/cluster/projects",
            "/my/cluster/agreements",
            f"/my/cluster/agreements/{self.agreement_a.id}",
            "/my/cluster/experts",
            "/my/cluster/hours",
            "/my/cluster/statements",
            "/my/cluster/state-aid",
            "/my/cluster/privacy",
            "/my/cluster/members",
            "/my/cluster/meetings",
        ]
        seen = set()
        for login in ("por_sig_a", "por_exp_a"):
            self._login(login)
            for url in pages:
                # the website prefixes the Swedish user's pages (/sv/my/...): follow it
                response = self.url_open(url)
                path = urlparse(response.url).path.removeprefix("/sv")
                if path != url:
                    # a page the role may not open sends the user away
                    self.assertIn(path, ("/my", "/my/home"), f"{login} {url}")
                    continue
                self.assertEqual(response.status_code, 200, f"{login} {url}")
                seen.add(url)
                self.assertIn('"lang": "sv_SE"', response.text, f"{login} {url}")
                if url == "/my/cluster/meetings":
                    # dates as a Swedish reader expects them (res.lang sv_SE)
                    self.assertIn("2026-05-20", response.text)
                if url == "/my/cluster/members":
                    self.assertIn("Medlemskatalog", response.text)
                data = (
                    self.env["cluster.meeting"].search([("state", "=", "closed")]).mapped("name")
                )
                self._assertSwedish(self._page_texts(response.text), f"{login} {url}", data)
        self.assertEqual(set(pages), seen, "every page was rendered for one of the users")
