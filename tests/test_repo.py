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


def _conf(name):
    conf = configparser.ConfigParser()
    conf.read(ROOT / "config" / name)
    return conf


def _requirement_names():
    names = []
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            names.append(re.match(r"[A-Za-z0-9_.\-]+", line).group(0))
    return names


def test_dockerfile_installs_requirements_as_setup_does():
    """The image is the official one plus requirements.txt, installed with make setup's
    build constraint; only workstation tools are left out, each named."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    setup = (ROOT / "scripts/setup.sh").read_text()
    assert re.search(r"^FROM odoo:18\.0$", dockerfile, re.M)
    assert "COPY requirements.txt" in dockerfile
    assert 'echo "setuptools<81"' in setup and 'echo "setuptools<81"' in dockerfile
    assert "PIP_CONSTRAINT" in setup and "PIP_CONSTRAINT" in dockerfile
    assert '-r "$here/requirements.txt"' in setup
    left_out = re.search(r"grep -vE '\^\(([^)]*)\)", dockerfile).group(1).split("|")
    names = _requirement_names()
    assert set(left_out) <= set(names), "the Dockerfile leaves out a name not required"
    assert set(left_out) == {"ruff", "pylint-odoo", "playwright", "locust"}
    assert "odoo-addon-queue-job" in names
    assert "--no-deps -r oca.txt" in dockerfile and "grep -E '^odoo-addon-'" in dockerfile
    compose = (ROOT / "docker-compose.yml").read_text()
    assert re.search(r"^    build: \.$", compose, re.M), "compose builds the Dockerfile"
    assert "./config/odoo.docker.conf:/etc/odoo/odoo.conf" in compose


def test_queue_job_loaded_server_wide_with_the_same_channels():
    local, docker = _conf("odoo.conf"), _conf("odoo.docker.conf")
    for conf in (local, docker):
        modules = conf["options"]["server_wide_modules"].split(",")
        assert modules[:2] == ["base", "web"] and "queue_job" in modules
    assert local["queue_job"]["channels"] == docker["queue_job"]["channels"]
    channels = dict(item.split(":") for item in local["queue_job"]["channels"].split(","))
    assert channels["root.cluster.money"] == "1", "money runs one at a time"
    assert channels["root.cluster.export"] == "2"
    assert "queue_job" in manifest("cluster_base")["depends"]


def test_job_channels_in_code_are_configured_and_declared():
    """Every channel our code enqueues on is in the config and declared in data."""
    channels = {
        item.split(":")[0] for item in _conf("odoo.conf")["queue_job"]["channels"].split(",")
    }
    used = set()
    for path in (ROOT / "addons").glob("*/**/*.py"):
        used |= set(re.findall(r'channel="(root\.[a-z_.]+)"', path.read_text()))
    assert used == {"root.cluster.money", "root.cluster.export"}
    assert used <= channels
    data = (ROOT / "addons/cluster_base/data/cluster_job_data.xml").read_text()
    for name in ("cluster", "money", "export"):
        assert f'<field name="name">{name}</field>' in data


def test_runtime_config_keeps_paths_in_options():
    """scripts/env.sh adds the addons path and data_dir to [options], not to the last
    section of config/odoo.conf ([queue_job])."""
    env = (ROOT / "scripts/env.sh").read_text()
    assert "/^\\[options\\]/" in env


def test_no_process_wide_logger_muting_in_production_code():
    """``mute_logger`` changes the logging of the whole (threaded) server: tests only."""
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "addons").rglob("*.py")
        if "/tests/" not in str(path) and "mute_logger" in path.read_text()
    ]
    assert not offenders, offenders
