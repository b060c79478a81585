#!/usr/bin/env python3
# Copyright 2026 Cluster Suite developers
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
"""Example client of the cluster time-system API (Python standard library only).

A member firm's time system pushes its experts' hours on the agreements its firm
lends, and reads back their state, its agreements and its settlement statements.
It logs in with a signatory's login and personal API key (My Account → Security →
API keys in the portal, once the association turned on "Customer Account → API keys").

    python3 time_api_client.py --url https://erp.example.org --db cluster \\
        --login sara@example.com --key "$CLUSTER_API_KEY" agreements
    python3 time_api_client.py ... push hours.json     # a JSON list of records
    python3 time_api_client.py ... state REF-1 REF-2
    python3 time_api_client.py ... statements

A record: {"external_ref": "TS-2026-0001", "agreement": "TA/2026/0001",
"date": "2026-03-02", "hours": 7.5, "description": "Workshop"}. Every command prints
JSON. Pushing a record again returns the hour saved the first time ("existing"), so a
time system may simply resend a batch after a timeout. ``--protocol jsonrpc`` uses
Odoo's JSON-RPC endpoint instead of XML-RPC.
"""

import argparse
import json
import sys
import time
import urllib.request
import xmlrpc.client

MODEL = "cluster.time.api"


class XmlRpcApi:
    def __init__(self, url, db, login, key):
        self.db, self.key = db, key
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, key, {})
        if not self.uid:
            raise SystemExit("Login refused: check the login and the API key.")
        self.models = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/object", allow_none=True)

    def call(self, method, *args):
        return self.models.execute_kw(self.db, self.uid, self.key, MODEL, method, list(args))


class JsonRpcApi:
    def __init__(self, url, db, login, key):
        self.url, self.db, self.key = f"{url}/jsonrpc", db, key
        self.uid = self._rpc("common", "authenticate", [db, login, key, {}])
        if not self.uid:
            raise SystemExit("Login refused: check the login and the API key.")

    def _rpc(self, service, method, args):
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "params": {"service": service, "method": method, "args": args},
            "id": 1,
        }
        request = urllib.request.Request(
            self.url,
            data=json.dumps(payload).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            answer = json.load(response)
        if answer.get("error"):
            data = answer["error"].get("data") or {}
            raise RuntimeError(data.get("message") or answer["error"].get("message"))
        return answer["result"]

    def call(self, method, *args):
        return self._rpc(
            "object",
            "execute_kw",
            [self.db, self.uid, self.key, MODEL, method, list(args)],
        )


def push(api, records, retries=3):
    """Push records; resend the ones another call was saving at the same time."""
    results = api.call("push_hours", records)
    for _attempt in range(retries):
        again = [res["index"] for res in results if res.get("retry")]
        if not again:
            break
        time.sleep(1)
        retried = api.call("push_hours", [records[i] for i in again])
        for index, res in zip(again, retried, strict=True):
            results[index] = dict(res, index=index)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True, help="e.g. https://erp.example.org")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", required=True)
    parser.add_argument("--key", required=True, help="the signatory's API key")
    parser.add_argument("--protocol", choices=("xmlrpc", "jsonrpc"), default="xmlrpc")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("agreements", help="the agreements your firm lends")
    push_cmd = commands.add_parser("push", help="push hours from a JSON file (- = stdin)")
    push_cmd.add_argument("file")
    state_cmd = commands.add_parser("state", help="state of pushed hours by reference")
    state_cmd.add_argument("refs", nargs="+")
    commands.add_parser("statements", help="your firm's settlement statements")
    args = parser.parse_args(argv)

    api_class = JsonRpcApi if args.protocol == "jsonrpc" else XmlRpcApi
    api = api_class(args.url.rstrip("/"), args.db, args.login, args.key)
    if args.command == "agreements":
        result = api.call("agreements")
    elif args.command == "push":
        if args.file == "-":
            records = json.load(sys.stdin)
        else:
            with open(args.file, encoding="utf-8") as handle:
                records = json.load(handle)
        result = push(api, records)
    elif args.command == "state":
        result = api.call("hours_state", args.refs)
    else:
        result = api.call("statements")
    json.dump(result, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    # Exit 2 when a pushed record was refused, so a script notices.
    if args.command == "push" and any(res["status"] == "error" for res in result):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
