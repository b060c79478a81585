# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from odoo import api, models

from ..tools.parse import parse_id


class MailThread(models.AbstractModel):
    _inherit = "mail.thread"

    @api.model
    def _get_thread_with_access(self, thread_id, mode="read", **kwargs):
        """Stock chatter routes (``/mail/chatter_fetch``, ``/mail/message/post``...) pass
        request values here: a token on a model without tokens raised a KeyError, a
        non-numeric ``pid`` a ValueError and an id beyond PostgreSQL's integer an SQL
        error, each an HTTP 500 even for the public user. Such values now simply give no
        access (docs/SECURITY-ADVISORIES.md)."""
        if parse_id(thread_id) is None:
            return self.browse()
        if (
            kwargs.get("token")
            and getattr(self, "_mail_post_token_field", "access_token") not in self._fields
        ):
            kwargs.pop("token")
        if kwargs.get("pid") is not None and parse_id(kwargs.get("pid")) is None:
            kwargs.pop("pid")
            kwargs.pop("hash", None)
        return super()._get_thread_with_access(thread_id, mode, **kwargs)
