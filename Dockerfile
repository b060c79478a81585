# The cluster suite's Odoo image: the official odoo:18.0 image plus this project's Python
# requirements, which the official image lacks (OCA's queue_job above all).
#   docker compose build        (docker-compose.yml builds it as cluster-suite-odoo:18.0)
#
# The steps are make setup's (scripts/setup.sh) for the Python side: setuptools<81 as the
# build constraint, then requirements.txt. What the image already holds stands in for
# setup's other steps: Odoo 18.0 and its own requirements (Odoo's Debian package),
# wkhtmltopdf; PostgreSQL is compose's `db` service. Left out of requirements.txt here:
# the workstation tools (ruff, pylint-odoo, playwright, locust). The OCA addons
# (odoo-addon-*) go in with --no-deps: their one other requirement, the `odoo` package,
# is the image's (setup has it from the editable source install).
FROM odoo:18.0

USER root
COPY requirements.txt /tmp/cluster/requirements.txt
RUN set -eux; \
    cd /tmp/cluster; \
    echo "setuptools<81" > constraints.txt; \
    export PIP_CONSTRAINT=/tmp/cluster/constraints.txt; \
    grep -vE '^(ruff|pylint-odoo|playwright|locust)([=<>~ ]|$)' requirements.txt \
        | grep -vE '^odoo-addon-' > runtime.txt; \
    grep -E '^odoo-addon-' requirements.txt > oca.txt; \
    pip3 install --no-cache-dir --break-system-packages -r runtime.txt; \
    pip3 install --no-cache-dir --break-system-packages --no-deps -r oca.txt; \
    python3 -c "import importlib.util as u; assert u.find_spec('odoo.addons.queue_job')"; \
    rm -rf /tmp/cluster
USER odoo
