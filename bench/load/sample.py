"""Where the CPU goes during the load: Odoo's processes, PostgreSQL's backends of the
database, the load generator, and the whole machine.

    python bench/load/sample.py ODOO_PID DB LOCUST_PIDFILE OUT.json   (until SIGTERM)

Every 2 s it reads /proc: the CPU time (user + system) of the Odoo process tree, of the
PostgreSQL backends connected to DB (pg_stat_activity) and of the locust process, the
memory (RSS) of each Odoo process, the load average and the machine's busy share. On
SIGTERM it writes the totals: CPU seconds per side over the run, peak RSS, load average,
and the machine's TCP listen-queue overflows and drops over the run (a connection that
waited for a busy prefork server beyond its backlog of 8 per worker).
"""

import json
import os
import signal
import sys
import time

import psycopg2

TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def proc_stat(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return None
    # fields[0] is field 3 (state): ppid=4, utime=14, stime=15, rss=24 (1-based)
    return {
        "ppid": int(fields[1]),
        "cpu": (int(fields[11]) + int(fields[12])) / TICK,
        "rss": int(fields[21]) * PAGE,
    }


def tree(root):
    children = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            stat = proc_stat(int(name))
            if stat:
                children.setdefault(stat["ppid"], []).append(int(name))
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        todo.extend(children.get(pid, []))
    return pids


def listen_overflows():
    """TCP listen-queue overflows and drops of the machine (/proc/net/netstat)."""
    with open("/proc/net/netstat", encoding="ascii") as fh:
        rows = fh.read().splitlines()
    for names, values in zip(rows[::2], rows[1::2], strict=False):
        if names.startswith("TcpExt:"):
            table = dict(zip(names.split()[1:], map(int, values.split()[1:]), strict=False))
            return table.get("ListenOverflows", 0), table.get("ListenDrops", 0)
    return 0, 0


def machine_busy():
    with open("/proc/stat", encoding="ascii") as fh:
        values = [int(v) for v in fh.readline().split()[1:]]
    idle = values[3] + values[4]
    return sum(values), idle


def main():
    odoo_pid, db, locust_pidfile, out = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    # the job host (LOAD_JOB_HOST=1): a second Odoo server that runs the queue_job jobs
    jobs_pid = int(sys.argv[5]) if len(sys.argv) > 5 and sys.argv[5] else None
    conn = psycopg2.connect(dbname=db)
    conn.autocommit = True
    cr = conn.cursor()
    first_cpu = {"odoo": {}, "postgres": {}, "locust": {}, "jobs": {}}
    last_cpu = {"odoo": {}, "postgres": {}, "locust": {}, "jobs": {}}
    peak_rss = {}
    loads = []
    start_total, start_idle = machine_busy()
    start_overflows = listen_overflows()
    started = time.time()
    stop = []
    signal.signal(signal.SIGTERM, lambda *_a: stop.append(1))

    def sample():
        sides = {"odoo": tree(odoo_pid), "jobs": tree(jobs_pid) if jobs_pid else []}
        cr.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (db,),
        )
        sides["postgres"] = [r[0] for r in cr.fetchall()]
        sides["locust"] = []
        try:
            with open(locust_pidfile, encoding="ascii") as fh:
                sides["locust"] = tree(int(fh.read().strip()))
        except (FileNotFoundError, ValueError):
            pass
        for side, pids in sides.items():
            for pid in pids:
                stat = proc_stat(pid)
                if not stat:
                    continue
                first_cpu[side].setdefault(pid, stat["cpu"])
                last_cpu[side][pid] = stat["cpu"]
                if side == "odoo":
                    peak_rss[pid] = max(peak_rss.get(pid, 0), stat["rss"])
        loads.append(os.getloadavg()[0])

    while not stop:
        sample()
        for _ in range(20):
            if stop:
                break
            time.sleep(0.1)
    sample()
    total, idle = machine_busy()
    elapsed = time.time() - started
    cpu = {
        side: round(sum(last_cpu[side][p] - first_cpu[side][p] for p in last_cpu[side]), 1)
        for side in last_cpu
    }
    result = {
        "seconds": round(elapsed, 1),
        "cpu_seconds": cpu,
        "cpu_seconds_other": None,
        "machine_busy_share": round(1 - (idle - start_idle) / max(total - start_total, 1), 3),
        "cores": os.cpu_count(),
        "load_avg_max": round(max(loads), 2) if loads else None,
        "load_avg_mean": round(sum(loads) / len(loads), 2) if loads else None,
        "odoo_peak_rss_mib": sorted(round(v / 2**20) for v in peak_rss.values()),
        "listen_overflows": [
            b - a for a, b in zip(start_overflows, listen_overflows(), strict=True)
        ],
    }
    # what the rest of the machine (other users of the cores) took meanwhile
    busy_cpu = result["machine_busy_share"] * elapsed * (os.cpu_count() or 1)
    result["cpu_seconds_other"] = round(busy_cpu - sum(cpu.values()), 1)
    with open(out, "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=1)


if __name__ == "__main__":
    main()
