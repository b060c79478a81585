# The project's commands. See README.md.
.PHONY: run test test-apps setup lint format clean-db screenshots bench bench-data load

run:        ## set up and serve Odoo with the cluster_demo database on http://localhost:8069
	./scripts/run.sh

test:       ## set up, fresh test database, every test; non-zero on any failure
	./scripts/test.sh

test-apps:  ## Odoo's own tests of project, hr_timesheet, crm, membership (and some of account) with and without our addons; fails on a test that passes only without them
	./scripts/test-apps.sh

setup:      ## only the setup: Odoo source, virtual environment, PostgreSQL, Chromium
	./scripts/setup.sh

lint:       ## ruff (check + format) and pylint-odoo with OCA's mandatory checks
	./scripts/lint.sh

format:     ## apply ruff's formatting and fixes
	./scripts/lint.sh --fix

clean-db:   ## drop cluster_demo and the cached template databases
	./scripts/clean-db.sh

screenshots: ## screenshots of the main screens into docs/screenshots (needs `make run` serving)
	$${VENV:-$$HOME/.cache/cluster-suite/venv-odoo18}/bin/python scripts/screenshots.py

bench:      ## every benchmark on cluster_bench_$(BENCH_SIZE) (default small) with its stock twin; settlement at BENCH_SIZES (default 10000,100000); writes bench/results.md
	./scripts/bench.sh

bench-data: ## generated cluster in database cluster_bench_$(SIZE) (SIZE=small|medium|large, default small; BENCH_REBUILD=1 to rebuild)
	SIZE=$(or $(SIZE),small) ./scripts/bench-data.sh

load:       ## portal load on LOAD_DB (default the largest cluster_bench_*): LOAD_USERS=50 portal users for LOAD_TIME=120s (max 300s), 2 workers + cron, settlement and fee runs meanwhile; writes bench/load-results.md
	./scripts/load.sh
