from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged
from odoo.tools import SQL

OUR_MODULES = ("cluster_base", "cluster_projects", "cluster_consulting")


@tagged("post_install", "-at_install")
class TestCoexist(TransactionCase):
    """Odoo's own apps keep working on a database with our addons: the fields we add to
    their models are optional in PostgreSQL, and joint-project rules are checked in Python
    for joint projects only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.project_manager = new_test_user(
            cls.env, login="coexist_pm", groups="project.group_project_manager"
        )

    def test_plain_project_with_only_a_name(self):
        project = (
            self.env["project.project"]
            .with_user(self.project_manager)
            .create({"name": "Vanligt projekt"})
        )
        self.assertFalse(project.is_joint_project)
        project.name = "Vanligt projekt 2"
        self.assertEqual(project.name, "Vanligt projekt 2")

    def test_stock_insert_without_our_columns(self):
        """An INSERT with the stock columns only, as Odoo's project app does while it is
        loaded before our addon (its data, its tests, an update of `project`)."""
        Project = self.env["project.project"]
        self.env.cr.execute(
            SQL(
                """SELECT column_name FROM information_schema.columns
                    WHERE table_name = 'project_project' AND is_nullable = 'NO'
                      AND column_default IS NULL"""
            )
        )
        stock_columns = [
            name
            for (name,) in self.env.cr.fetchall()
            if not set(Project._fields[name]._modules or ()) <= set(OUR_MODULES)
        ]
        self.assertIn("name", stock_columns)
        template = Project.create({"name": "Mall"})
        template.flush_recordset()
        columns = SQL(", ").join(SQL.identifier(name) for name in stock_columns)
        self.env.cr.execute(
            SQL(
                "INSERT INTO project_project (%s) SELECT %s FROM project_project WHERE id = %s"
                " RETURNING id, cluster_stage",
                columns,
                columns,
                template.id,
            )
        )
        new_id, stage = self.env.cr.fetchone()
        self.assertFalse(stage)
        # a project without a stage becomes a joint project as an idea
        project = Project.browse(new_id)
        project.write({"is_joint_project": True})
        self.assertEqual(project.cluster_stage, "idea")
        self.assertTrue(project.account_id)

    def test_joint_project_needs_a_stage(self):
        project = self.env["project.project"].create(
            {"name": "Gemensamt projekt", "is_joint_project": True}
        )
        self.assertEqual(project.cluster_stage, "idea")
        with self.assertRaisesRegex(ValidationError, "Gemensamt projekt needs a project stage"):
            project.cluster_stage = False
            project.flush_recordset()
        with self.assertRaisesRegex(ValidationError, "needs a project stage"):
            self.env["project.project"].create(
                {"name": "Utan fas", "is_joint_project": True, "cluster_stage": False}
            )

    def test_our_fields_on_stock_models_are_optional_in_postgresql(self):
        """No field our addons add to another app's model is required, in Python or as
        NOT NULL in PostgreSQL."""
        offenders = []
        for model in self.env.values():
            if model._abstract or not model._auto or model._original_module in OUR_MODULES:
                continue
            ours = [
                field
                for field in model._fields.values()
                if field._modules
                and set(field._modules) <= set(OUR_MODULES)
                and field.store
                and field.column_type
            ]
            if not ours:
                continue
            self.env.cr.execute(
                SQL(
                    """SELECT column_name FROM information_schema.columns
                        WHERE table_name = %s AND column_name IN %s AND is_nullable = 'NO'""",
                    model._table,
                    tuple(field.name for field in ours),
                )
            )
            not_null = {name for (name,) in self.env.cr.fetchall()}
            offenders += [
                f"{model._name}.{field.name}"
                for field in ours
                if field.required or field.name in not_null
            ]
        self.assertEqual(offenders, [])
