#!/usr/bin/env bash
# Production smoke test (issue 18, ADR 0016): on PostgreSQL and Redis, start the server and a
# worker, sign in over HTTP, upload an expense file larger than the inline limit, kill -9 the
# worker while the import runs, start it again, and check that the import ends done with
# every row exactly once, or failed with a message and no row: never half.
#
# Needs PostgreSQL and Redis on 127.0.0.1 (trust auth). Creates and drops its own database
# (SMOKE_DB) and uses its own Redis database number (SMOKE_REDIS_DB, flushed at the end).
#   SERVE_CMD   the server command; default: uv run sharaka serve --port $PORT --workers 2
#               (locally, in single quotes so that the script expands $PORT:
#               SERVE_CMD='uv run sharaka manage runserver --noreload 127.0.0.1:$PORT')
#   SHARAKA_TASKS_BACKEND=django_tasks_db.DatabaseBackend runs it on the database queue
#   instead of RQ. It takes about 3.5 to 4.5 minutes here, most of it loading the demo.
#   SMOKE_ROWS  rows of the uploaded file (default 300000: long enough to be killed mid-way)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-$((20000 + RANDOM % 20000))}
SMOKE_DB=${SMOKE_DB:-sharaka_smoke_production}
SMOKE_REDIS_DB=${SMOKE_REDIS_DB:-11}
SMOKE_ROWS=${SMOKE_ROWS:-300000}
PGUSER_=${PGUSER_:-postgres}
BASE="http://127.0.0.1:$PORT"
WORK=$(mktemp -d /tmp/sharaka-smoke.XXXXXX)
START=$(date +%s)

export DATABASE_URL="postgres://$PGUSER_@127.0.0.1:5432/$SMOKE_DB"
export REDIS_URL="redis://127.0.0.1:6379/$SMOKE_REDIS_DB"
export SHARAKA_VAR_DIR="$WORK/var"
export SECRET_KEY="smoke-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export DEBUG=0
export SHARAKA_IMPORT_STALE_SECONDS=15     # a dead worker's import is noticed after 15 s
export SHARAKA_SCHEDULER_TICK_SECONDS=2
export PYTHONUNBUFFERED=1
export PORT

say() { printf '[smoke %3ss] %s\n' "$(($(date +%s) - START))" "$*"; }
fail() { say "FAIL: $*"; for f in "$WORK"/*.log; do echo "--- $f"; tail -n 30 "$f"; done; exit 1; }
sql() { psql -h 127.0.0.1 -U "$PGUSER_" -d "$SMOKE_DB" -tAc "$1"; }

SERVER_PID="" WORKER_PID=""
stop_group() {  # kill a process group started with setsid, and wait for it
    local pid=$1 signal=${2:-TERM}
    [ -n "$pid" ] || return 0
    kill "-$signal" -- "-$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 -- "-$pid" 2>/dev/null || return 0; sleep 0.2; done
    kill -KILL -- "-$pid" 2>/dev/null || true
}
cleanup() {
    stop_group "$WORKER_PID"
    stop_group "$SERVER_PID"
    dropdb -h 127.0.0.1 -U "$PGUSER_" --if-exists "$SMOKE_DB" 2>/dev/null || true
    redis-cli -n "$SMOKE_REDIS_DB" flushdb >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

descendants() {  # every process below $1
    local child
    for child in $(ps -o pid= --ppid "$1"); do echo "$child"; descendants "$child"; done
}
start_worker() {  # its own process group: kill -9 takes the worker and its children at once
    setsid uv run sharaka worker "$@" >>"$WORK/worker.log" 2>&1 &
    WORKER_PID=$!
}

dropdb -h 127.0.0.1 -U "$PGUSER_" --if-exists "$SMOKE_DB"
createdb -h 127.0.0.1 -U "$PGUSER_" "$SMOKE_DB"
redis-cli -n "$SMOKE_REDIS_DB" flushdb >/dev/null
mkdir -p "$SHARAKA_VAR_DIR"

say "migrate and load the demo data (coord.sport records expenses, no second factor)"
uv run sharaka demo --no-serve >"$WORK/demo.log" 2>&1 || fail "sharaka demo"
SLUG=complexe-sportif
USERNAME=coord.sport
PASSWORD=demo-Sharaka-2026

say "an expense file of $SMOKE_ROWS rows"
uv run sharaka import expenses "$SLUG" --template >"$WORK/template.csv"
python3 - "$WORK/template.csv" "$WORK/big.csv" "$SMOKE_ROWS" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
header, examples, n = rows[0], rows[1:], int(sys.argv[3])
ref = header.index("reference")
with open(sys.argv[2], "w", newline="", encoding="utf-8") as out:
    writer = csv.writer(out)
    writer.writerow(header)
    for i in range(n):
        row = list(examples[i % len(examples)])
        row[ref] = f"SMOKE-{i:07d}"
        writer.writerow(row)
EOF
say "file: $(du -h "$WORK/big.csv" | cut -f1)"

say "start the server and the worker"
SERVE=${SERVE_CMD:-uv run sharaka serve --port \$PORT --workers 2}
setsid bash -c "eval exec $SERVE" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
start_worker
for _ in $(seq 120); do
    curl -s -o /dev/null "$BASE/comptes/connexion/" && break
    kill -0 "$SERVER_PID" 2>/dev/null || fail "the server stopped"
    sleep 0.5
done
curl -s -o /dev/null "$BASE/comptes/connexion/" || fail "the server does not answer on $PORT"

say "sign in as $USERNAME over HTTP"
JAR="$WORK/cookies"
token() { sed -n 's/.*name="csrfmiddlewaretoken" value="\([^"]*\)".*/\1/p' | head -n 1; }
TOKEN=$(curl -s -c "$JAR" -b "$JAR" "$BASE/comptes/connexion/" | token)
[ -n "$TOKEN" ] || fail "no CSRF token on the sign-in page"
ANSWER=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -c "$JAR" -b "$JAR" \
    -H "Referer: $BASE/comptes/connexion/" \
    --data-urlencode "csrfmiddlewaretoken=$TOKEN" --data-urlencode "username=$USERNAME" \
    --data-urlencode "password=$PASSWORD" "$BASE/comptes/connexion/")
case "$ANSWER" in 302*) ;; *) fail "sign-in answered $ANSWER" ;; esac
case "$ANSWER" in *connexion*) fail "sign-in refused: $ANSWER" ;; esac

say "upload the file"
IMPORT="$BASE/partenariats/$SLUG/finances/import/"
TOKEN=$(curl -s -c "$JAR" -b "$JAR" "$IMPORT" | token)
[ -n "$TOKEN" ] || fail "no form on the import page"
ANSWER=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' -c "$JAR" -b "$JAR" \
    -H "Referer: $IMPORT" -F "csrfmiddlewaretoken=$TOKEN" -F "file=@$WORK/big.csv;type=text/csv" \
    "$IMPORT")
JOB=$(printf '%s' "$ANSWER" | sed -n 's#^302 .*/import/\([0-9]*\)/$#\1#p')
[ -n "$JOB" ] || fail "the upload answered $ANSWER"
say "import job $JOB queued"

say "wait for the worker to be half-way, then kill -9 it"
STATE=""
for _ in $(seq 600); do
    STATE=$(sql "select status || ' ' || rows from finance_importjob where id = $JOB")
    case "$STATE" in running\ 0) ;; running*) break ;; done*|failed*) break ;; esac
    sleep 0.1
done
case "$STATE" in
    running*) ;;
    *) fail "the import was not caught running (state: $STATE); raise SMOKE_ROWS" ;;
esac
# the worker, and its RQ work horse, which runs the job in a process group of its own
VICTIMS="$(descendants "$WORKER_PID")"
kill -KILL -- "-$WORKER_PID" 2>/dev/null || true
for pid in $VICTIMS; do kill -KILL "$pid" 2>/dev/null || true; done
WORKER_PID=""
say "worker killed at: $STATE rows read"
STATE=$(sql "select status from finance_importjob where id = $JOB")
SEEN=$(sql "select count(*) from finance_expense where import_job_id = $JOB and not pending")
[ "$SEEN" = 0 ] || fail "$SEEN rows of the interrupted import are visible"
say "after the kill: job $STATE, no row visible"

say "start the worker again, with the scheduler (it notices the dead import)"
start_worker --with-scheduler
FINAL=""
for _ in $(seq 900); do
    FINAL=$(sql "select status from finance_importjob where id = $JOB")
    case "$FINAL" in done|failed) break ;; esac
    # the page every web process reads
    curl -s -o /dev/null -b "$JAR" "$BASE/partenariats/$SLUG/finances/import/$JOB/"
    sleep 1
done
PAGE=$(curl -s -b "$JAR" "$BASE/partenariats/$SLUG/finances/import/$JOB/")
ROWS=$(sql "select count(*) from finance_expense where import_job_id = $JOB")
DISTINCT=$(sql "select count(distinct reference) from finance_expense where import_job_id = $JOB and not pending")
DETAIL=$(sql "select status || ' | attempt ' || attempt || ' | crashes ' || crashes || ' | written ' || written || ' | ' || message from finance_importjob where id = $JOB")
say "job: $DETAIL"
case "$FINAL" in
    done)
        [ "$ROWS" = "$SMOKE_ROWS" ] && [ "$DISTINCT" = "$SMOKE_ROWS" ] \
            || fail "done with $ROWS rows ($DISTINCT distinct), expected $SMOKE_ROWS once each"
        printf '%s' "$PAGE" | grep -q "dépenses importées" || fail "the job page does not say done"
        ;;
    failed)
        [ "$ROWS" = 0 ] || fail "failed but $ROWS rows remain"
        printf '%s' "$PAGE" | grep -q "interrompu" || fail "the job page shows no message"
        ;;
    *) fail "the import did not end (state: $FINAL)" ;;
esac
say "OK: import $FINAL, $ROWS rows, each once; total $(($(date +%s) - START)) s"
