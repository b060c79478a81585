"""Every user-facing term of the cluster addons has a Swedish translation in i18n/sv.po.

Terms are collected the way Odoo exports them (fields, selections, views, menus, data,
Python and JS code), so a new string without a Swedish msgstr fails here.
"""

import pathlib

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
MODULES = ("cluster_base", "cluster_projects", "cluster_consulting")


@tagged("post_install", "-at_install", "cluster_repo")
class TestSwedishTranslation(TransactionCase):
    def _terms(self, module):
        reader = TranslationModuleReader(self.env.cr, modules=[module])
        return {source for mod, _t, _n, _r, source, *_rest in reader if mod == module}

    def test_every_term_translated(self):
        for module in MODULES:
            po = polib.pofile(str(ADDONS / module / "i18n" / "sv.po"))
            translated = {e.msgid for e in po if e.msgstr and not e.obsolete}
            missing = sorted(self._terms(module) - translated)
            with self.subTest(module=module):
                self.assertFalse(
                    missing,
                    f"{module}: {len(missing)} terms without Swedish translation, "
                    f"e.g. {missing[:10]}",
                )
