# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
import re

from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import ClusterMembershipCommon
from .portal_common import ClusterPortalMixin

URL = "/my/cluster/members"


@tagged("post_install", "-at_install")
class TestMembersDirectory(ClusterMembershipCommon, ClusterPortalMixin):
    """/my/cluster/members: opted-in active members' shared profile, nothing else."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.area = cls.env["cluster.business.area"].create({"name": "Vårdinformation"})
        cls.area_other = cls.env["cluster.business.area"].create({"name": "Industridata"})
        cls.firm_c = cls.env["res.partner"].create(
            {"name": "Testbolaget Gamma AB", "is_company": True}
        )
        cls.firm_b.write(
            {
                "city": "Granhamra",
                "company_registry": "556016-0680",
                "cluster_business_area_ids": [(6, 0, cls.area.ids)],
                "cluster_info_products": "Vårdlistor per region",
                "cluster_sales_channels": "Telefonförsäljning",
                "cluster_pricing_model": "Abonnemang per månad",
                "cluster_markets": "Norden",
                "cluster_directory_opt_in": True,
                "comment": "Intern anteckning Beta",
            }
        )
        cls.firm_c.write(
            {"cluster_info_products": "Hemliga produkter Gamma", "cluster_directory_opt_in": False}
        )
        cls.membership_a = cls._active_membership(cls.firm_a)
        cls.membership_b = cls._active_membership(cls.firm_b)
        cls.membership_c = cls._active_membership(cls.firm_c)
        cls.sign_a = cls._portal_contact_user(
            "dir_sign_a", cls.firm_a, "Signe Alfa", signatory=True
        )
        cls.plain_a = cls._portal_contact_user("dir_plain_a", cls.firm_a, "Erik Alfa")
        cls.sign_b = cls._portal_contact_user(
            "dir_sign_b", cls.firm_b, "Signe Beta", signatory=True
        )
        cls.sign_b.partner_id.phone = "+46 70 000 00 00"
        cls.outsider_firm = cls.env["res.partner"].create(
            {"name": "Utomstående AB", "is_company": True}
        )
        cls._portal_contact_user("dir_outsider", cls.outsider_firm, "Olle Ute")
        cls.internal = new_test_user(cls.env, login="dir_internal", groups="base.group_user")

    def test_member_contact_reads_shared_profiles_only(self):
        body = self.assertPageWithout(
            "dir_plain_a",
            URL,
            forbidden=[
                "556016-0680",  # B's organisation number
                "Intern anteckning Beta",
                self.membership_b.name,
                self.type_core.name,
                "10,000",
                # C has not opted in: absent altogether
                self.firm_c.name,
                "Hemliga produkter Gamma",
                # A has not opted in either: its own name is only in the layout's header
                "cluster_members_profile_form",
            ],
            expected=[
                self.firm_b.name,
                "Granhamra",
                "Vårdinformation",
                "Vårdlistor per region",
                "Telefonförsäljning",
                "Abonnemang per månad",
                self.sign_b.partner_id.name,
            ],
        )
        self.assertNotIn(f'data-firm-id="{self.firm_a.id}"', body)

    def test_resigned_or_not_opted_in_firm_is_absent(self):
        self.firm_b.cluster_directory_opt_in = False
        self.assertPageWithout("dir_sign_a", URL, forbidden=[self.firm_b.name, "Vårdlistor"])
        self.firm_b.cluster_directory_opt_in = True
        self.membership_b.write({"state": "resigned", "date_exit": "2026-06-30"})
        self.assertPageWithout("dir_sign_a", URL, forbidden=[self.firm_b.name, "Vårdlistor"])

    def test_website_only_as_web_address(self):
        self.firm_b.website = "javascript:alert(1)"
        self.assertPageWithout("dir_sign_a", URL, forbidden=["javascript:alert"])
        self.firm_b.website = "https://beta.example.com"
        self.assertPageWithout(
            "dir_sign_a", URL, forbidden=[], expected=["https://beta.example.com"]
        )

    def test_contact_hidden_when_firm_chooses(self):
        self.firm_b.cluster_directory_show_contact = False
        self.assertPageWithout(
            "dir_sign_a",
            URL,
            forbidden=[self.sign_b.partner_id.name, "+46 70"],
            expected=[self.firm_b.name],
        )

    def test_public_and_non_members_are_sent_away(self):
        self.assertPublicRedirectedToLogin(URL)
        self.assertRedirectedAway("dir_outsider", URL, forbidden=[self.firm_b.name])
        self.assertRedirectedAway("dir_internal", URL, forbidden=[self.firm_b.name])

    def _post_profile(self, login, data):
        self._login(login)
        token = self._csrf_token(URL)
        return self._open(f"{URL}/profile", data={"csrf_token": token, **data})

    def test_signatory_opts_in_and_edits_profile(self):
        response = self._post_profile(
            "dir_sign_a",
            {
                "opt_in": "on",
                "area_ids": str(self.area_other.id),
                "cluster_info_products": "Byggprojekt i Norrland",
                "cluster_sales_channels": "Nyhetsbrev och telefon",
                "cluster_pricing_model": "Per lead",
                "cluster_markets": "Sverige",
            },
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(self.firm_a.cluster_directory_opt_in)
        self.assertEqual(self.firm_a.cluster_business_area_ids, self.area_other)
        self.assertEqual(self.firm_a.cluster_pricing_model, "Per lead")
        self.assertPageWithout(
            "dir_sign_b", URL, forbidden=[], expected=[self.firm_a.name, "Byggprojekt i Norrland"]
        )

    def test_profile_form_refuses_bad_input(self):
        self.firm_a.cluster_info_products = "Före"
        # a field outside the whitelist: refused, nothing saved
        response = self._post_profile(
            "dir_sign_a",
            {"opt_in": "on", "cluster_info_products": "Efter", "company_registry": "1"},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("alert-danger", response.text)
        self.assertEqual(self.firm_a.cluster_info_products, "Före")
        self.assertFalse(self.firm_a.cluster_directory_opt_in)
        # an unknown business area, a too long text
        for data in (
            {"area_ids": "999999999999"},
            {"area_ids": "99999"},
            {"area_ids": "x"},
            {"cluster_markets": "x" * 2001},
        ):
            response = self._post_profile("dir_sign_a", {"opt_in": "on", **data})
            self.assertEqual(response.status_code, 200, data)
            self.assertIn("alert-danger", response.text, data)
            self.assertFalse(self.firm_a.cluster_directory_opt_in, data)

    def test_plain_contact_cannot_edit(self):
        self._login("dir_plain_a")
        # the session's token, from the page's script (the plain contact has no form)
        body = self._open(URL).text
        token = re.search(r'csrf_token: "([^"]+)"', body).group(1)
        response = self._open(
            f"{URL}/profile", data={"csrf_token": token, "opt_in": "on", "cluster_markets": "X"}
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertFalse(self.firm_a.cluster_directory_opt_in)
        self.assertFalse(self.firm_a.cluster_markets)

    def test_post_without_csrf_refused(self):
        self._login("dir_sign_a")
        with mute_logger("odoo.http"):
            response = self._open(f"{URL}/profile", data={"opt_in": "on"})
        self.assertEqual(response.status_code, 400)
        self.assertFalse(self.firm_a.cluster_directory_opt_in)

    def test_model_limits_texts(self):
        with self.assertRaisesRegex(ValidationError, "2000"):
            self.firm_b.cluster_markets = "x" * 2001
