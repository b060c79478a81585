# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from freezegun import freeze_time

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import ClusterMembershipCommon
from .portal_common import ClusterPortalMixin


class MeetingPapersCommon(ClusterMembershipCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.firm_c = cls.env["res.partner"].create(
            {"name": "Testbolaget Gamma AB", "is_company": True}
        )
        cls.voter_a = cls._active_membership(cls.firm_a)
        cls.voter_b = cls._active_membership(cls.firm_b)
        cls.applicant_c = cls.env["cluster.membership"].create(
            {"partner_id": cls.firm_c.id, "membership_type_id": cls.type_core.id}
        )
        Partner = cls.env["res.partner"]
        cls.sign_a = Partner.create(
            {
                "name": "Signe Alfa",
                "parent_id": cls.firm_a.id,
                "email": "signe@alfa.example.com",
                "cluster_is_signatory": True,
                "lang": "en_US",
            }
        )
        cls.sign_b = Partner.create(
            {
                "name": "Sven Beta",
                "parent_id": cls.firm_b.id,
                "email": "sven@beta.example.com",
                "cluster_is_signatory": True,
            }
        )
        cls.plain_a = Partner.create(
            {"name": "Erik Alfa", "parent_id": cls.firm_a.id, "email": "erik@alfa.example.com"}
        )
        cls.sign_c = Partner.create(
            {
                "name": "Greta Gamma",
                "parent_id": cls.firm_c.id,
                "email": "greta@gamma.example.com",
                "cluster_is_signatory": True,
            }
        )
        cls.meeting = cls.env["cluster.meeting"].create(
            {
                "name": "Föreningsstämma 2026",
                "meeting_type": "annual",
                "date": "2026-05-20 15:00:00",
            }
        )
        cls.item = cls.env["cluster.meeting.item"].create(
            {"meeting_id": cls.meeting.id, "name": "Fastställande av resultaträkningen"}
        )
        cls.agenda_doc = cls.env["ir.attachment"].create(
            {
                "name": "Årsredovisning 2025.pdf",
                "raw": b"%PDF-1.4 annual report",
                "res_model": "cluster.meeting",
                "res_id": cls.meeting.id,
            }
        )

    @classmethod
    def _hold_and_approve(cls, meeting):
        meeting.action_build_voting_register()
        meeting.present_membership_ids = cls.voter_a | cls.voter_b
        meeting.action_held()
        cls.env["cluster.vote"].create(
            [
                {"item_id": cls.item.id, "membership_id": cls.voter_a.id, "choice": "yes"},
                {"item_id": cls.item.id, "membership_id": cls.voter_b.id, "choice": "yes"},
            ]
        )
        cls.decision = cls.env["cluster.decision"].create(
            {
                "title": "Resultaträkningen fastställs",
                "date": "2026-05-20",
                "meeting_id": meeting.id,
                "item_id": cls.item.id,
            }
        )
        cls.decision.action_adopt()
        cls.item.decision_id = cls.decision
        meeting.adjuster_ids = cls.sign_a | cls.sign_b
        meeting.action_close()


@tagged("post_install", "-at_install")
class TestMeetingNotice(MeetingPapersCommon):
    def _queued(self):
        return self.env["mail.mail"].search(
            [("model", "=", "cluster.meeting"), ("res_id", "=", self.meeting.id)]
        )

    def test_window_defaults_to_the_act(self):
        # lagen (2018:672) om ekonomiska föreningar 6 kap. 17-18 §§: six to four weeks
        # before an annual meeting, six to two weeks before an extra one
        self.assertEqual(str(self.meeting.notice_earliest_date), "2026-04-08")
        self.assertEqual(str(self.meeting.notice_latest_date), "2026-04-22")
        self.meeting.meeting_type = "extra"
        self.assertEqual(str(self.meeting.notice_latest_date), "2026-05-06")
        self.meeting.statutes_change = True
        self.assertEqual(str(self.meeting.notice_latest_date), "2026-04-22")

    def test_notice_outside_window_refused(self):
        for day in ("2026-04-07", "2026-04-23"):
            with freeze_time(day), self.assertRaisesRegex(UserError, "2026-04-08.*2026-04-22"):
                self.meeting.with_user(self.cluster_board).action_send_notice()
        self.assertFalse(self._queued())
        self.assertFalse(self.meeting.notice_date)

    def test_window_from_company_settings(self):
        self.env.company.cluster_notice_latest_days = 21
        with freeze_time("2026-04-28"):
            self.meeting.with_user(self.cluster_board).action_send_notice()
        self.assertTrue(self.meeting.notice_date)
        for field, days in (
            ("cluster_notice_earliest_days", 10),  # after the latest day
            ("cluster_notice_earliest_days", 50),  # earlier than the act allows
            ("cluster_notice_latest_days_extra", 7),  # later than the act allows
        ):
            with self.assertRaisesRegex(ValidationError, "notice window"):
                self.env.company[field] = days

    def test_notice_queued_to_signatories_of_active_members(self):
        with freeze_time("2026-04-15"):
            self.meeting.with_user(self.cluster_board).action_send_notice()
        mails = self._queued()
        self.assertTrue(mails)
        self.assertEqual(set(mails.mapped("state")), {"outgoing"})  # the mail queue
        # the demo-less fixture's signatories of active members; never an applicant's
        # signatory nor a plain contact (the database may hold other members)
        self.assertLessEqual(self.sign_a | self.sign_b, mails.recipient_ids)
        self.assertFalse(mails.recipient_ids & (self.sign_c | self.plain_a))
        self.assertEqual(set(mails.recipient_ids.mapped("cluster_is_signatory")), {True})
        for mail in mails:
            self.assertIn(self.agenda_doc.name, mail.attachment_ids.mapped("name"))
            self.assertIn("Fastställande av resultaträkningen", mail.body_html)
        self.assertTrue(self.meeting.notice_date)

    def test_notice_in_swedish_for_swedish_signatory(self):
        self.env["res.lang"]._activate_lang("sv_SE")
        self.env["ir.module.module"]._load_module_terms(["cluster_base"], ["sv_SE"])
        self.sign_b.lang = "sv_SE"
        with freeze_time("2026-04-15"):
            self.meeting.with_user(self.cluster_board).action_send_notice()
        mails = self._queued()
        # one mail per language; the database may hold other members' signatories
        swedish = mails.filtered(lambda m: self.sign_b in m.recipient_ids)
        english = mails.filtered(lambda m: self.sign_a in m.recipient_ids)
        self.assertEqual(len(swedish), 1)
        self.assertNotIn(self.sign_a, swedish.recipient_ids)
        self.assertEqual(swedish.subject, "Kallelse till Föreningsstämma 2026")
        self.assertIn("dagordning", swedish.body_html.lower())
        self.assertEqual(english.subject, "Notice of Föreningsstämma 2026")

    def test_board_meeting_has_no_notice(self):
        self.meeting.meeting_type = "board"
        with freeze_time("2026-04-15"), self.assertRaisesRegex(UserError, "general meeting"):
            self.meeting.action_send_notice()

    def test_plain_user_cannot_send(self):
        with freeze_time("2026-04-15"), self.assertRaises(AccessError):
            self.meeting.with_user(self.cluster_user).action_send_notice()
        self.assertFalse(self._queued())


@tagged("post_install", "-at_install")
class TestMeetingMinutes(MeetingPapersCommon):
    def test_approval_needs_two_adjusters(self):
        self.meeting.action_held()
        with self.assertRaisesRegex(UserError, "two adjusters"):
            self.meeting.action_close()
        with self.assertRaisesRegex(ValidationError, "two adjusters"):
            self.meeting.adjuster_ids = self.sign_a | self.sign_b | self.plain_a

    def test_approved_minutes_lock_everything(self):
        self._hold_and_approve(self.meeting)
        self.assertEqual(self.meeting.state, "closed")
        checks = [
            lambda: self.meeting.write({"location": "Annan lokal"}),
            lambda: self.meeting.write({"adjuster_ids": [(5,)]}),
            lambda: self.item.write({"name": "Ändrad punkt"}),
            lambda: self.env["cluster.meeting.item"].create(
                {"meeting_id": self.meeting.id, "name": "Ny punkt"}
            ),
            lambda: self.item.unlink(),
            lambda: self.decision.write({"title": "Ändrat beslut"}),
            lambda: self.env["cluster.decision"].create(
                {"title": "Nytt beslut", "meeting_id": self.meeting.id}
            ),
            lambda: self.meeting.unlink(),
        ]
        for check in checks:
            with self.assertRaisesRegex(UserError, "minutes of this meeting are approved"):
                check()
        with self.assertRaisesRegex(ValidationError, "approved"):
            self.item.vote_ids[:1].write({"choice": "no"})
        # the chatter stays open
        self.meeting.message_post(body="Protokollet är justerat.")

    def test_minutes_report_content(self):
        self._hold_and_approve(self.meeting)
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("cluster_base.cluster_meeting_minutes_report", self.meeting.ids)[0]
            .decode()
        )
        for text in (
            "Föreningsstämma 2026",
            "Fastställande av resultaträkningen",
            self.decision.name,
            "Resultaträkningen fastställs",
            "Signe Alfa",
            "Sven Beta",
            self.firm_a.name,
            self.firm_b.name,
            "o_cluster_minutes_present",
        ):
            self.assertIn(text, html)
        self.assertNotIn("not approved", html)


@tagged("post_install", "-at_install")
class TestMeetingMinutesPortal(MeetingPapersCommon, ClusterPortalMixin):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._hold_and_approve(cls.meeting)
        cls.draft_meeting = cls.env["cluster.meeting"].create(
            {"name": "Extrastämma hemlig", "meeting_type": "extra", "date": "2026-09-01 15:00:00"}
        )
        cls.board_meeting = cls.env["cluster.meeting"].create(
            {
                "name": "Styrelsemöte hemligt",
                "meeting_type": "board",
                "date": "2026-03-01 15:00:00",
            }
        )
        cls.board_meeting.action_held()
        cls.board_meeting.action_close()
        new_test_user(
            cls.env, login="min_plain_a", groups="base.group_portal", partner_id=cls.plain_a.id
        )
        new_test_user(
            cls.env, login="min_sign_c", groups="base.group_portal", partner_id=cls.sign_c.id
        )

    def test_member_contact_reads_published_minutes(self):
        self.assertPageWithout(
            "min_plain_a",
            "/my/cluster/meetings",
            forbidden=["Extrastämma hemlig", "Styrelsemöte hemligt"],
            expected=["Föreningsstämma 2026", f"/my/cluster/meetings/{self.meeting.id}/minutes"],
        )
        response = self._get("min_plain_a", f"/my/cluster/meetings/{self.meeting.id}/minutes")
        self.assertEqual(response.status_code, 200)
        self.assertIn("Resultaträkningen fastställs", response.text)

    def test_unpublished_minutes_answer_like_missing(self):
        missing = f"/my/cluster/meetings/{self._missing_id('cluster.meeting')}/minutes"
        self.assertSameAsMissing(
            "min_plain_a", "/my/cluster/meetings/99999999999/minutes", missing
        )
        for meeting in (self.draft_meeting, self.board_meeting):
            self.assertSameAsMissing(
                "min_plain_a", f"/my/cluster/meetings/{meeting.id}/minutes", missing
            )

    def test_non_members_and_public_refused(self):
        url = f"/my/cluster/meetings/{self.meeting.id}/minutes"
        self.assertPublicRedirectedToLogin(url)
        self.assertPublicRedirectedToLogin("/my/cluster/meetings")
        # firm C only applied: not an active member yet
        self.assertRedirectedAway("min_sign_c", url, forbidden=["Resultaträkningen"])
        self.assertRedirectedAway(
            "min_sign_c", "/my/cluster/meetings", forbidden=["Föreningsstämma"]
        )
