#!/usr/bin/env python3
# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Compare two logs of Odoo's test runner (make test-apps): per test class, the tests run
and failed without our addons and with them. A regression is a test (or a class set-up)
that fails with our addons and not without them.

    test_apps_compare.py WITHOUT_LOG WITH_LOG [RETRY_FILE]

Exit 0: no regression; 1: regressions (their tags, `/module:Class,...`, go to RETRY_FILE);
2: a run did not reach its post-install tests.
"""

import re
import sys
from collections import defaultdict

LINE = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) \S+ ([\w.]+): (.*)$")
MODULE = re.compile(r"odoo\.addons\.(\w+)\.tests\.")
# a failed class set-up is reported by unittest's holder, named after the class's path
HOLDER = re.compile(
    r"^(?:ERROR|FAIL): (setUpClass|tearDownClass|setUpModule) \((odoo\.addons\.[\w.]+)\)"
)
OUTCOME = re.compile(r"^(ERROR|FAIL): (?:Subtest )?(\w+)\.(\w+)")

# Stock tests that fail with our addons ON PURPOSE, each with its reason. Issue 14 point 5:
# record rules keep a portal login's projects, tasks and hours inside its own firm,
# whatever the sharing settings; these stock tests share a project with a portal user of
# no firm taking part in it (the member firms live in one company, so stock sharing would
# open one firm's project to another). Anything else that fails only with our addons is a
# regression.
EXPECTED = {
    "project:TestPortalProject": {"test_portal_project_access_rights"},
    "project:TestProjectSharing": {
        "test_edit_task_in_project_sharing",
        "test_portal_user_cannot_see_all_assignees",
    },
    "project:TestProjectThreadController": {"test_message_post_partner_ids_project"},
}


def parse(path):
    """{"module:Class": {test methods run}}, {"module:Class": {failed}}, finished"""
    run, failed = defaultdict(set), defaultdict(set)
    finished = False
    with open(path, errors="replace") as log:
        for line in log:
            match = LINE.match(line)
            if not match:
                continue
            _level, logger, message = match.groups()
            if re.match(r"\d+ post-tests in ", message):
                finished = True
            holder = HOLDER.match(message)
            if holder:
                dotted = holder.group(2)
                module = MODULE.match(dotted + ".")
                key = f"{module.group(1) if module else '?'}:{dotted.rsplit('.', 1)[-1]}"
                failed[key].add(holder.group(1))
                run[key]  # noqa: B018 - the class was there, even if no test ran
                continue
            module = MODULE.match(logger + ".")
            if not module:
                continue
            if message.startswith("Starting "):
                test = message[len("Starting ") :].removesuffix(" ...")
                cls, _dot, method = test.partition(".")
                run[f"{module.group(1)}:{cls}"].add(method)
                continue
            outcome = OUTCOME.match(message)
            if outcome:
                key = f"{module.group(1)}:{outcome.group(2)}"
                failed[key].add(outcome.group(3))
                run[key]  # noqa: B018
    return run, failed, finished


def cell(run, failed, key):
    if key not in run:
        return "not run"
    count, bad = len(run[key]), len(failed[key])
    if not count:
        return f"{'/'.join(sorted(failed[key]))} FAILED"
    return f"{count} ok" if not bad else f"{bad} of {count} FAILED"


def summary(label, run, failed):
    tests = sum(len(methods) for methods in run.values())
    bad = sum(1 for key in run if failed[key])
    return f"{label}: {len(run)} classes, {tests} tests, {bad} classes with failures"


def main(without_log, with_log, retry_file=None):
    without_run, without_failed, without_done = parse(without_log)
    with_run, with_failed, with_done = parse(with_log)
    classes = sorted(set(without_run) | set(with_run))
    regressions = {}
    print(f"{'test class':<58} {'without our addons':>20} {'with our addons':>20}")
    expected_seen = 0
    for key in classes:
        new = with_failed[key] - without_failed[key]
        if key in without_run and key not in with_run:
            new = {"(class not run)"}
        expected = new & EXPECTED.get(key, set())
        expected_seen += len(expected)
        new -= expected
        if new:
            regressions[key] = new
        print(
            f"{key:<58} {cell(without_run, without_failed, key):>20} "
            f"{cell(with_run, with_failed, key):>20}"
            + ("  <-- fails only with our addons" if new else "")
        )
    print(summary("without our addons", without_run, without_failed))
    print(summary("with our addons", with_run, with_failed))
    worse = len(regressions)
    print(f"test-apps: {len(classes)} classes compared, {worse} fail only with our addons")
    if expected_seen:
        print(
            f"[test-apps] {expected_seen} stock tests fail with our addons on purpose "
            "(project sharing stays inside the firm; see EXPECTED in this script)"
        )
    if not (without_done and with_done):
        print("[test-apps] FAIL: a run did not reach its post-install tests (see the logs)")
        return 2
    if retry_file:
        with open(retry_file, "w") as out:
            out.write(",".join(f"/{key}" for key in regressions))
    if regressions:
        print(f"[test-apps] FAIL: {len(regressions)} test classes fail only with our addons:")
        for key, tests in regressions.items():
            print(f"  {key}: {', '.join(sorted(tests))}")
        return 1
    print("[test-apps] OK: no test fails with our addons that passes without them")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
