#!/usr/bin/env bash
# make load: Odoo in prefork mode (2 HTTP workers + 1 cron worker) on a benchmark database,
# LOAD_USERS distinct portal users browsing their firm's pages for LOAD_TIME (locust,
# headless, on 127.0.0.1), two settlement runs of one period and the annual fee run
# started in the middle of it; writes bench/load-results.md. Stops everything it started.
#   LOAD_DB=cluster_bench_large make load        (default: the largest cluster_bench_<size>)
#   LOAD_USERS=50 LOAD_TIME=120s LOAD_PORT=8283 LOAD_THINK=1,4 (think time, s)
#   LOAD_SPAWN_RATE=1 (users arriving per second) LOAD_CONCURRENT=1 (0: no money runs)
#   LOAD_JOB_CHANNELS=root:1,root.cluster.money:1,root.cluster.export:1 (queue_job's
#   channels for this server: the money runs are jobs, run by the job runner in one of
#   the HTTP workers; root:1 keeps the other worker for the portal)
#   LOAD_JOB_HOST=1 (default): the jobs run on a second Odoo server, the "job host"
#   (LOAD_JOB_WORKERS=1 workers on LOAD_JOB_PORT, its own queue_job runner with
#   LOAD_JOB_CHANNELS, at OS priority LOAD_JOB_NICE=19 since in production it is a
#   machine of its own); the portal server's runner is off (channels root:0), so no job
#   takes a portal worker. LOAD_JOB_HOST=0: one host, the jobs in the portal's workers.
#   A run changes the database: it approves and settles a month and invoices a fee year
#   (the next one still open); make bench-data again for a pristine one.
#   LOAD_DRY_RUN=1 make load    (test the body check, prepare the users, load the
#                                locustfile; start nothing)
# Non-zero exit on any isolation failure, HTTP error, error page or failed money check.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/scripts/env.sh"
write_odoo_conf
[ -x "$VENV/bin/locust" ] || "$here/scripts/setup.sh" || exit 2
log() { printf '[load] %s\n' "$*" >&2; }

if [ -z "${LOAD_DB:-}" ]; then
    for size in large medium small; do
        if db_exists "cluster_bench_$size"; then LOAD_DB=cluster_bench_$size; break; fi
    done
fi
[ -n "${LOAD_DB:-}" ] && db_exists "$LOAD_DB" || {
    log "no database ${LOAD_DB:-cluster_bench_<size>}: run 'make bench-data SIZE=large' or set LOAD_DB"
    exit 2
}
: "${LOAD_USERS:=50}"
: "${LOAD_TIME:=120s}"
: "${LOAD_PORT:=8283}"
: "${LOAD_SPAWN_RATE:=1}"
: "${LOAD_THINK:=1,4}"
: "${LOAD_CONCURRENT:=1}"
: "${LOAD_WORKERS:=2}"
: "${LOAD_JOB_CHANNELS:=root:1,root.cluster.money:1,root.cluster.export:1}"
: "${LOAD_JOB_HOST:=1}"
: "${LOAD_JOB_WORKERS:=1}"
: "${LOAD_JOB_NICE:=19}"
: "${LOAD_OUT:=$here/bench/load-results.md}"
export LOAD_THINK LOAD_SPAWN_RATE
# run time in seconds, at most 300 (5 minutes): the run always stops by itself
secs=$(printf '%s' "$LOAD_TIME" | awk '/^[0-9]+s?$/{print $0+0} /^[0-9]+m$/{print $0*60}')
[ -n "$secs" ] || { log "LOAD_TIME must look like 120s or 2m"; exit 2; }
[ "$secs" -gt 300 ] && { log "LOAD_TIME capped at 300s"; secs=300; }

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
port_free "$LOAD_PORT" || { log "port $LOAD_PORT is in use: set LOAD_PORT"; exit 2; }
gevent_port=${LOAD_GEVENT_PORT:-$((LOAD_PORT + 1))}
while ! port_free "$gevent_port"; do gevent_port=$((gevent_port + 1)); done
job_port=${LOAD_JOB_PORT:-$((gevent_port + 1))}
while ! port_free "$job_port"; do job_port=$((job_port + 1)); done
job_gevent_port=$((job_port + 1))
while ! port_free "$job_gevent_port"; do job_gevent_port=$((job_gevent_port + 1)); done
portal_channels=$LOAD_JOB_CHANNELS
[ "$LOAD_JOB_HOST" = 1 ] && portal_channels=root:0

dir="$RUN_DIR/load"
rm -rf "$dir"
mkdir -p "$dir"
log "database $LOAD_DB, $LOAD_USERS users for ${secs}s on port $LOAD_PORT (gevent $gevent_port)"
"$VENV/bin/python" "$here/bench/load/prepare.py" "$LOAD_DB" "$LOAD_USERS" "$dir/users.json"
if [ -n "${LOAD_DRY_RUN:-}" ]; then
    "$VENV/bin/pytest" -q -p no:odoo -p no:cacheprovider "$here/bench/load" || exit 1
    LOAD_USERS_FILE="$dir/users.json" "$VENV/bin/python" -c "
import sys; sys.argv = ['x']; sys.path.insert(0, '$here/bench/load')
import runpy; runpy.run_path('$here/bench/load/locustfile.py')" 2>/dev/null \
        && log "dry run: users prepared, locustfile loads; nothing started" && exit 0
    log "dry run: the locustfile does not load"; exit 1
fi

pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        pkill -P "$pid" 2>/dev/null || true
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# Prefork: LOAD_WORKERS HTTP workers, one cron worker, the gevent (websocket) process, and
# queue_job's runner (server-wide in config/odoo.conf; channels from LOAD_JOB_CHANNELS),
# which has the jobs run by the HTTP workers through /queue_job/runjob on LOAD_PORT.
# proxy_mode as in production (docs/DEPLOYMENT.md): locust sends no X-Forwarded-* headers.
# limit_time_real above the longest request of the run (a settlement of a month of a large
# data set), memory limits per worker well above a portal request's needs.
# start_odoo NAME PORT GEVENT_PORT CHANNELS NICE WORKERS CRON CPU REAL: one Odoo server on
# LOAD_DB in the background (pid in $started_pid), logging to $dir/NAME.log, answering
# /web/health before it returns.
start_odoo() {
    local name=$1 port=$2 gevent=$3 channels=$4 niceness=$5 workers=$6 cron=$7 cpu=$8 real=$9
    ODOO_QUEUE_JOB_CHANNELS="$channels" \
    nice -n "$niceness" "$VENV/bin/python" "$ODOO_SRC/odoo-bin" -c "$ODOO_CONF" -d "$LOAD_DB" \
        --db-filter="^${LOAD_DB}\$" --no-database-list \
        --workers="$workers" --max-cron-threads="$cron" \
        --http-interface=127.0.0.1 --http-port="$port" --gevent-port="$gevent" \
        --limit-time-cpu="$cpu" --limit-time-real="$real" --limit-request=8192 \
        --limit-memory-soft=$((1536 * 1024 * 1024)) --limit-memory-hard=$((2048 * 1024 * 1024)) \
        --proxy-mode --logfile="$dir/$name.log" --log-level=info &
    started_pid=$!
    pids+=("$started_pid")
    for _ in $(seq 120); do
        curl -fsS "http://127.0.0.1:$port/web/health" >/dev/null 2>&1 && return 0
        kill -0 "$started_pid" 2>/dev/null || { log "$name stopped, see $dir/$name.log"; exit 2; }
        sleep 1
    done
    log "$name: no /web/health"
    exit 2
}

start_odoo odoo "$LOAD_PORT" "$gevent_port" "$portal_channels" 0 "$LOAD_WORKERS" 1 240 300
odoo_pid=$started_pid
jobs_pid=
logs="$dir/odoo.log"
if [ "$LOAD_JOB_HOST" = 1 ]; then
    # the job host: a second server on the same database, no cron, its own runner calling
    # its own port (queue_job's default), niced like a machine of its own
    start_odoo odoo-jobs "$job_port" "$job_gevent_port" "$LOAD_JOB_CHANNELS" "$LOAD_JOB_NICE" \
        "$LOAD_JOB_WORKERS" 0 600 900
    jobs_pid=$started_pid
    logs="$logs,$dir/odoo-jobs.log"
    printf '%s\n' "a second Odoo server on the same database, the job host \`--workers=$LOAD_JOB_WORKERS --max-cron-threads=0\` at \`nice -n $LOAD_JOB_NICE\` with queue_job's runner (channels \`$LOAD_JOB_CHANNELS\`); the portal server's runner is off (\`root:0\`), so no job takes a portal worker (\`LOAD_JOB_HOST=1\`)." > "$dir/job-host.txt"
fi
# warm-up: one request per worker loads the registry and the assets before timing
for _ in $(seq "$LOAD_WORKERS"); do curl -fsS -o /dev/null "http://127.0.0.1:$LOAD_PORT/web/login" || true; done

uptime > "$dir/uptime-before.txt"
"$VENV/bin/python" "$here/bench/load/sample.py" "$odoo_pid" "$LOAD_DB" "$dir/locust.pid" \
    "$dir/sample.json" "$jobs_pid" &
sampler=$!
pids+=("$sampler")

date +%s > "$dir/locust.start"
if [ "$LOAD_CONCURRENT" = 1 ]; then
    # the money runs start 10 s after the last user logged in (at the latest half-way),
    # while everyone browses
    (
        for _ in $(seq $((secs / 2))); do [ -f "$dir/logged-in" ] && break; sleep 1; done
        sleep 10
        "$VENV/bin/python" "$here/bench/load/concurrent.py" run \
            "http://127.0.0.1:$LOAD_PORT" "$LOAD_DB" "$dir/concurrent.json"
    ) &
    concurrent=$!
    pids+=("$concurrent")
fi

LOAD_USERS_FILE="$dir/users.json" LOAD_ISOLATION_OUT="$dir/isolation.json" \
    LOAD_LOGGED_IN_FILE="$dir/logged-in" \
    "$VENV/bin/locust" -f "$here/bench/load/locustfile.py" --headless --only-summary \
    -H "http://127.0.0.1:$LOAD_PORT" -u "$LOAD_USERS" -r "$LOAD_SPAWN_RATE" -t "${secs}s" \
    --stop-timeout 10 --csv "$dir/locust" --csv-full-history --exit-code-on-error 0 \
    --loglevel WARNING > "$dir/locust.out" 2> "$dir/locust.err" &
locust_pid=$!
echo "$locust_pid" > "$dir/locust.pid"
wait "$locust_pid" || log "locust exited non-zero, see $dir/locust.err"
uptime > "$dir/uptime-after.txt"
kill "$sampler" 2>/dev/null || true
wait "$sampler" 2>/dev/null || true
if [ "$LOAD_CONCURRENT" = 1 ]; then
    # the money jobs must end (each within the worker's real-time limit; queued one
    # after the other on the money channel)
    for _ in $(seq 600); do kill -0 "$concurrent" 2>/dev/null || break; sleep 1; done
    wait "$concurrent" 2>/dev/null || log "the concurrent runs failed, see above"
fi
cleanup
trap - EXIT INT TERM
[ "$LOAD_CONCURRENT" = 1 ] && [ -f "$dir/concurrent.json" ] && \
    "$VENV/bin/python" "$here/bench/load/concurrent.py" verify "$LOAD_DB" \
        "$dir/concurrent.json" "$logs" "$dir/concurrent-checks.json"
"$VENV/bin/python" "$here/bench/load/report.py" "$dir" "$LOAD_OUT" \
    "$LOAD_DB" "$LOAD_USERS" "$secs" "$LOAD_WORKERS" "$LOAD_THINK"
