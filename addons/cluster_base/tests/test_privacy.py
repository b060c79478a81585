"""Personal data (GDPR): consent with its date, the person's own export, erasure."""

import json

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import ClusterCommon
from .portal_common import ClusterPortalMixin


@tagged("post_install", "-at_install")
class TestPrivacy(ClusterPortalMixin, ClusterCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.firm_a = Partner.create({"name": "Integritet Alfa AB", "is_company": True})
        cls.firm_b = Partner.create({"name": "Integritet Beta AB", "is_company": True})
        cls.user_a = cls._portal_contact_user("priv_a", cls.firm_a, name="Petra Person")
        cls.user_b = cls._portal_contact_user("priv_b", cls.firm_b, name="Olof Annan")
        cls.person_a = cls.user_a.partner_id
        cls.person_a.write({"phone": "+46 70 111 22 33", "street": "Storgatan 1"})

    def test_consent_is_dated(self):
        self.person_a.cluster_consent_listed = True
        self.assertTrue(self.person_a.cluster_consent_date)
        self.person_a.cluster_consent_listed = False
        self.assertFalse(self.person_a.cluster_consent_date)

    def test_page_consent_and_export_as_the_person(self):
        body = self.assertPageWithout(
            "priv_a",
            "/my/cluster/privacy",
            forbidden=[self.user_b.partner_id.name],
            expected=[self.person_a.name],
        )
        self.assertIn("+46 70 111 22 33", body)
        token = self._csrf_token("/my/cluster/privacy")
        response = self._open(
            "/my/cluster/privacy/consent", data={"csrf_token": token, "consent_listed": "1"}
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(self.person_a.cluster_consent_listed)
        self.assertTrue(self.person_a.cluster_consent_date)
        response = self._open("/my/cluster/privacy/export")
        self.assertEqual(response.status_code, 200)
        self.assertIn("attachment", response.headers["Content-Disposition"])
        data = json.loads(response.content)
        self.assertEqual(data["person"]["name"], self.person_a.name)
        self.assertEqual(data["person"]["phone"], "+46 70 111 22 33")
        self.assertEqual(data["person"]["firm"], "Integritet Alfa AB")
        self.assertTrue(data["consent"]["listed"])
        self.assertEqual([login["login"] for login in data["logins"]], ["priv_a"])
        self.assertNotIn(self.user_b.partner_id.name, response.text)
        self.assertPublicRedirectedToLogin("/my/cluster/privacy/export")

    def test_erasure_request_and_anonymisation(self):
        self._login("priv_a")
        token = self._csrf_token("/my/cluster/privacy")
        response = self._open("/my/cluster/privacy/erasure", data={"csrf_token": token})
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_cluster_privacy_message", response.text)
        self.assertTrue(self.person_a.cluster_erasure_requested_on)
        activity = self.person_a.activity_ids.filtered(lambda a: a.summary == "Erasure request")
        self.assertTrue(activity, "the association is asked to erase the person")
        with self.assertRaises(AccessError):
            self.person_a.with_user(self.cluster_user).action_cluster_anonymize()
        self.person_a.with_user(self.cluster_manager).action_cluster_anonymize()
        person = self.person_a.with_context(active_test=False)
        self.assertEqual(person.name, f"Anonymised person {person.id}")
        self.assertFalse(person.phone or person.street or person.email)
        self.assertFalse(person.active)
        user = self.user_a.with_context(active_test=False)
        self.assertFalse(user.active)
        self.assertNotIn("priv_a", user.login)
        self.assertEqual(person.parent_id, self.firm_a, "the person still belongs to the firm")
        with self.assertRaisesRegex(UserError, "is a firm, not a person"):
            self.firm_b.with_user(self.cluster_manager).action_cluster_anonymize()
