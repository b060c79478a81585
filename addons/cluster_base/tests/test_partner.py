from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import ClusterMembershipCommon


@tagged("post_install", "-at_install")
class TestFirmProfile(ClusterMembershipCommon):
    def test_orgnr_valid_and_formatted(self):
        firm = self.env["res.partner"].create(
            {"name": "Orgnr AB", "is_company": True, "company_registry": "5560360793"}
        )
        self.assertEqual(firm.company_registry, "556036-0793")

    def test_orgnr_invalid(self):
        with self.assertRaisesRegex(ValidationError, "not a valid Swedish organisation number"):
            self.env["res.partner"].create(
                {"name": "Fel AB", "is_company": True, "company_registry": "556036-0794"}
            )
        with self.assertRaisesRegex(ValidationError, "not a valid Swedish organisation number"):
            self.firm_a.company_registry = "12345"
        self.assertFalse(self.firm_a.company_registry)

    def test_orgnr_unique_among_firms(self):
        self.firm_a.company_registry = "556036-0793"
        with self.assertRaisesRegex(ValidationError, "already used by another firm"):
            self.firm_b.company_registry = "5560360793"
        self.assertFalse(self.firm_b.company_registry)

    def test_foreign_number_not_checked(self):
        norway = self.env.ref("base.no")
        firm = self.env["res.partner"].create(
            {
                "name": "Norsk AS",
                "is_company": True,
                "country_id": norway.id,
                "company_registry": "12345",
            }
        )
        self.assertEqual(firm.company_registry, "12345")

    def test_employees_total(self):
        self.firm_a.write({"cluster_employees_women": 12, "cluster_employees_men": 7})
        self.assertEqual(self.firm_a.cluster_employees_total, 19)

    def test_member_state_stored_and_searchable(self):
        self._active_membership(self.firm_a)
        members = self.env["res.partner"].search(
            [("is_cluster_member", "=", True), ("id", "in", (self.firm_a | self.firm_b).ids)]
        )
        self.assertEqual(members, self.firm_a)
        self.assertEqual(self.firm_a.cluster_membership_type_id, self.type_core)
        self.assertEqual(self.firm_b.cluster_member_state, "none")

    def test_person_cannot_be_member(self):
        person = self.env["res.partner"].create({"name": "Anna Andersson"})
        with self.assertRaisesRegex(ValidationError, "Only a firm"):
            self.env["cluster.membership"].create(
                {"partner_id": person.id, "membership_type_id": self.type_core.id}
            )


@tagged("post_install", "-at_install")
class TestSwedishMessages(ClusterMembershipCommon):
    def test_error_in_users_language(self):
        self.env["res.lang"]._activate_lang("sv_SE")
        self.env["ir.module.module"]._load_module_terms(
            ["cluster_base"], ["sv_SE"], overwrite=True
        )
        Partner = self.env["res.partner"].with_context(lang="sv_SE")
        with self.assertRaisesRegex(
            ValidationError, "inte ett giltigt svenskt organisationsnummer"
        ):
            Partner.create(
                {"name": "Fel AB", "is_company": True, "company_registry": "5560360794"}
            )


@tagged("post_install", "-at_install")
class TestFirmAnalysis(ClusterMembershipCommon):
    def test_group_firms_by_area_and_gender(self):
        area = self.env["cluster.business.area"].create({"name": "Test area"})
        self.firm_a.write(
            {
                "cluster_business_area_ids": [(6, 0, area.ids)],
                "cluster_employees_women": 5,
                "cluster_employees_men": 3,
            }
        )
        self.firm_b.write(
            {
                "cluster_business_area_ids": [(6, 0, area.ids)],
                "cluster_employees_women": 1,
                "cluster_employees_men": 4,
            }
        )
        groups = (
            self.env["res.partner"]
            .with_user(self.cluster_user)
            ._read_group(
                [("cluster_business_area_ids", "=", area.id)],
                ["cluster_business_area_ids"],
                ["__count", "cluster_employees_women:sum", "cluster_employees_men:sum"],
            )
        )
        self.assertEqual(groups, [(area, 2, 6, 7)])

    def test_membership_form_opens_for_cluster_user(self):
        membership = self._active_membership(self.firm_a)
        form = Form(membership.with_user(self.cluster_user))
        self.assertEqual(form.partner_id, self.firm_a)
        self.assertEqual(form.contribution_state, "to_invoice")
        partner_form = Form(self.firm_a.with_user(self.cluster_user))
        self.assertEqual(partner_form.cluster_membership_type_id, self.type_core)

    def test_membership_named_after_firm(self):
        membership = self._active_membership(self.firm_a)
        self.assertIn("Testbolaget Alfa AB", membership.display_name)
        found = self.env["cluster.membership"].name_search("Alfa")
        self.assertIn(membership.id, [rid for rid, _name in found])
