"""Repository checks: what every addon must carry, and what the README promises."""

import ast
import configparser
import csv
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
ADDONS = ["cluster_base", "cluster_projects", "cluster_consulting"]


def manifest(addon):
    return ast.literal_eval((ROOT / "addons" / addon / "__manifest__.py").read_text())


@pytest.mark.parametrize("addon", ADDONS)
def test_manifest_oca_form(addon):
    data = manifest(addon)
    assert re.fullmatch(r"18\.0\.\d+\.\d+\.\d+", data["version"])
    assert data["license"] == "LGPL-3"
    for key in ("name", "summary", "category", "depends", "author"):
        assert data.get(key), key
    assert "\n" not in data["summary"]
    assert "description" not in data


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_files(addon):
    path = ROOT / "addons" / addon
    for rel in (
        "security/ir.model.access.csv",
        "tests/__init__.py",
        "i18n/sv.po",
        "readme/DESCRIPTION.md",
        "static/description/icon.png",
    ):
        assert (path / rel).is_file(), rel
    data = manifest(addon)
    for rel in data.get("data", []) + data.get("demo", []):
        assert (path / rel).is_file(), rel


@pytest.mark.parametrize("addon", ADDONS)
def test_no_access_row_without_group(addon):
    """A row with an empty group applies to portal and public users too."""
    with open(ROOT / "addons" / addon / "security/ir.model.access.csv") as f:
        for row in csv.DictReader(f):
            assert row["group_id:id"], row["id"]


def test_dependencies_flow_one_way():
    assert "cluster_base" in manifest("cluster_projects")["depends"]
    assert "cluster_projects" in manifest("cluster_consulting")["depends"]
    assert not {"cluster_projects", "cluster_consulting"} & set(
        manifest("cluster_base")["depends"]
    )


def test_ci_calls_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme and "make run" in readme
    assert "make test" in (ROOT / ".ci/run").read_text()


def test_docker_config_consistent():
    compose = (ROOT / "docker-compose.yml").read_text()
    assert "odoo:18.0" in compose and "postgres:16" in compose
    assert "./addons:/mnt/extra-addons" in compose
    conf = configparser.ConfigParser()
    conf.read(ROOT / "config/odoo.docker.conf")
    assert conf["options"]["addons_path"] == "/mnt/extra-addons"
    assert conf["options"]["db_host"] in compose
