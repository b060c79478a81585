from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install")
class TestClusterUi(HttpCase):
    """The main screens open in the browser without a JavaScript error."""

    def _open(self, url, selector):
        code = f"""
            (async () => {{
                for (let i = 0; i < 100; i++) {{
                    if (document.querySelector({selector!r})) {{
                        console.log('test successful');
                        return;
                    }}
                    await new Promise((resolve) => setTimeout(resolve, 100));
                }}
                console.error('{selector} not found');
            }})();
        """
        self.browser_js(url, code, login="admin", timeout=60)

    def test_member_register_screens(self):
        mtype = self.env["cluster.membership.type"].create({"name": "UI type"})
        firm = self.env["res.partner"].create({"name": "UI-testbolaget AB", "is_company": True})
        membership = self.env["cluster.membership"].create(
            {"partner_id": firm.id, "membership_type_id": mtype.id}
        )
        action = self.env.ref("cluster_base.cluster_membership_action")
        self._open(f"/odoo/action-{action.id}", ".o_kanban_record")
        self._open(f"/odoo/action-{action.id}/{membership.id}", ".o_form_view .o_statusbar_status")
        meeting = self.env["cluster.meeting"].create(
            {"name": "UI meeting", "meeting_type": "annual"}
        )
        meeting_action = self.env.ref("cluster_base.cluster_meeting_action")
        self._open(f"/odoo/action-{meeting_action.id}/{meeting.id}", ".o_form_view")
