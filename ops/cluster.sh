#!/usr/bin/env bash
# A production-like cluster on one machine (`make cluster`, `make cluster-stop`):
# nginx on 127.0.0.1:$CLUSTER_PORT in front of two gunicorn app servers (the same
# code, the same settings from the environment) on PostgreSQL and Redis, media on
# one shared folder, plus a task worker when the project has one.
#
#   ops/cluster.sh start             install nginx if missing, create the database,
#                                    migrate, import the course once, start it all
#   ops/cluster.sh stop              stop exactly what start started (pids in var/cluster)
#   ops/cluster.sh status            what runs, and /healthz through each door
#   ops/cluster.sh env               the app servers' environment (for manage.py)
#   ops/cluster.sh kill-app N        SIGKILL app server N (1 or 2) and its workers
#   ops/cluster.sh start-app N       start app server N again
#   ops/cluster.sh restart-redis [S] stop the cluster's own Redis, wait S seconds, start it
#   ops/cluster.sh kill-worker / start-worker
#
# Everything listens on loopback only. Settings (environment, with defaults):
#   CLUSTER_DATABASE_URL  postgres://postgres@127.0.0.1:5432/coursesite_cluster
#                         (the database is created when missing)
#   CLUSTER_REDIS_URL     unset: the script starts a Redis of its own on
#                         127.0.0.1:$CLUSTER_REDIS_PORT (6390), db 0, so that the load
#                         test may restart it; set it to use a shared Redis instead
#                         (e.g. redis://127.0.0.1:6379/14; then it is never restarted)
#   CLUSTER_PORT 8080, CLUSTER_APP_PORTS "8101 8102",
#   CLUSTER_WORKERS 2, CLUSTER_THREADS 4 (gunicorn gthread workers per app server)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
VAR="$ROOT/var/cluster"
PY="${PYTHON_BIN:-$ROOT/.venv/bin/python}"
BIN=$(dirname "$PY")
CLUSTER_PORT=${CLUSTER_PORT:-8080}
read -r -a APP_PORTS <<<"${CLUSTER_APP_PORTS:-8101 8102}"
CLUSTER_WORKERS=${CLUSTER_WORKERS:-2}
CLUSTER_THREADS=${CLUSTER_THREADS:-4}
CLUSTER_REDIS_PORT=${CLUSTER_REDIS_PORT:-6390}
SEED="$ROOT/content/military-diplomacy-in-south-america.txt"
QUESTIONS="$ROOT/content/military-diplomacy.questions.json"

say() { printf 'cluster: %s\n' "$*"; }
die() { printf 'cluster: %s\n' "$*" >&2; exit 1; }

alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

wait_http() { # url seconds
    local url=$1 deadline=$((SECONDS + $2))
    until "$PY" - "$url" <<'EOF' 2>/dev/null; do
import sys, urllib.request
urllib.request.urlopen(sys.argv[1], timeout=2).read()
EOF
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

port_free() {
    "$PY" - "$1" <<'EOF'
import socket, sys
s = socket.socket()
# As gunicorn and nginx bind: connections of a killed server in TIME_WAIT do not
# keep its port.
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
EOF
}

own_redis() { [[ -z "${CLUSTER_REDIS_URL:-}" ]]; }

write_env() {
    mkdir -p "$VAR/media"
    [[ -s "$VAR/secret_key" ]] || "$PY" -c 'import secrets; print(secrets.token_urlsafe(50))' >"$VAR/secret_key"
    local redis_url=${CLUSTER_REDIS_URL:-redis://127.0.0.1:$CLUSTER_REDIS_PORT/0}
    local db_url=${CLUSTER_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/coursesite_cluster}
    cat >"$VAR/env" <<EOF
DEBUG=0
SECRET_KEY=$(cat "$VAR/secret_key")
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=http://127.0.0.1:$CLUSTER_PORT,http://localhost:$CLUSTER_PORT
SECURE_COOKIES=0
CLIENT_IP_HEADER=X-Real-IP
DATABASE_URL=$db_url
REDIS_URL=$redis_url
MEDIA_ROOT=$VAR/media
LOG_LEVEL=WARNING
TASKS_BACKEND=database
EOF
}

load_env() {
    [[ -f "$VAR/env" ]] || write_env
    set -a
    # shellcheck disable=SC1091
    . "$VAR/env"
    set +a
}

install_nginx() {
    command -v nginx >/dev/null && return
    say "nginx is missing: installing Debian's nginx-light"
    [[ $(id -u) == 0 ]] || die "nginx is missing and only root may install it (apt-get install nginx-light)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends nginx-light >"$VAR/apt.log" 2>&1 ||
        { apt-get update >>"$VAR/apt.log" 2>&1 && apt-get install -y --no-install-recommends nginx-light >>"$VAR/apt.log" 2>&1; } ||
        die "apt-get install nginx-light failed: see $VAR/apt.log"
    # Debian starts the packaged service on port 80 where it can; this cluster
    # runs its own nginx, so stop that one if the package started it.
    if [[ -f /run/nginx.pid ]] && [[ ! -f "$VAR/nginx.pid" ]]; then
        nginx -s quit 2>/dev/null || true
    fi
}

install_redis() {
    command -v redis-server >/dev/null && return
    say "redis-server is missing: installing Debian's redis-server"
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y --no-install-recommends redis-server >>"$VAR/apt.log" 2>&1 ||
        { apt-get update >>"$VAR/apt.log" 2>&1 && apt-get install -y --no-install-recommends redis-server >>"$VAR/apt.log" 2>&1; } ||
        die "apt-get install redis-server failed: see $VAR/apt.log"
}

start_redis() {
    own_redis || return 0
    alive "$VAR/redis.pid" && return 0
    install_redis
    mkdir -p "$VAR/redis"
    # No persistence: a restart comes back empty, as a cache may.
    redis-server --bind 127.0.0.1 --port "$CLUSTER_REDIS_PORT" --save '' --appendonly no \
        --dir "$VAR/redis" --daemonize yes --pidfile "$VAR/redis.pid" \
        --logfile "$VAR/redis.log" --maxmemory 256mb --maxmemory-policy allkeys-lru
    for _ in $(seq 50); do
        redis-cli -p "$CLUSTER_REDIS_PORT" ping >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    die "Redis did not start on port $CLUSTER_REDIS_PORT (see $VAR/redis.log)"
}

stop_redis() {
    own_redis || return 0
    stop_pidfile "$VAR/redis.pid" redis
}

create_database() {
    "$PY" - "$DATABASE_URL" <<'EOF'
import sys
import dj_database_url
import psycopg
from psycopg import sql

cfg = dj_database_url.parse(sys.argv[1])
if cfg["ENGINE"] != "django.db.backends.postgresql":
    sys.exit("cluster: DATABASE_URL must be PostgreSQL")
conn = psycopg.connect(
    dbname="postgres", user=cfg["USER"], password=cfg["PASSWORD"] or None,
    host=cfg["HOST"], port=cfg["PORT"] or 5432, autocommit=True, connect_timeout=5,
)
if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]]).fetchone():
    conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    print(f"cluster: created database {cfg['NAME']}")
EOF
}

prepare_site() {
    create_database
    (cd "$ROOT" && "$PY" manage.py migrate --noinput >"$VAR/migrate.log")
    (cd "$ROOT" && "$PY" manage.py collectstatic --noinput >/dev/null)
    if ! (cd "$ROOT" && "$PY" manage.py shell -c \
        "from lessons.models import Course; import sys; sys.exit(0 if Course.objects.filter(slug='military-diplomacy').exists() else 1)"); then
        say "importing the course (once)"
        (cd "$ROOT" && "$PY" manage.py import_document "$SEED" --slug military-diplomacy --publish >"$VAR/import.log" &&
            "$PY" manage.py import_questions "$QUESTIONS" --course military-diplomacy >>"$VAR/import.log")
    fi
}

app_pidfile() { echo "$VAR/app$1.pid"; }

start_app() {
    local n=$1 port=${APP_PORTS[$(($1 - 1))]}
    alive "$(app_pidfile "$n")" && return 0
    port_free "$port" || die "port $port is taken: set CLUSTER_APP_PORTS"
    (cd "$ROOT" && "$BIN/gunicorn" coursesite.wsgi --bind "127.0.0.1:$port" \
        --workers "$CLUSTER_WORKERS" --worker-class gthread --threads "$CLUSTER_THREADS" \
        --timeout 60 --graceful-timeout 5 --name "coursesite-cluster-app$n" \
        --pid "$(app_pidfile "$n")" --error-logfile "$VAR/app$n.log" --daemon)
    wait_http "http://127.0.0.1:$port/healthz" 30 || die "app server $n did not answer (see $VAR/app$n.log)"
}

kill_app() { # the master and its workers, by pid: a crash, not a shutdown
    local pidfile
    pidfile=$(app_pidfile "$1")
    alive "$pidfile" || return 0
    local master
    master=$(cat "$pidfile")
    local workers
    workers=$(ps -o pid= --ppid "$master" || true)
    kill -KILL "$master" $workers 2>/dev/null || true
    rm -f "$pidfile"
}

has_worker() { (cd "$ROOT" && "$PY" manage.py help db_worker >/dev/null 2>&1); }

# The cluster runs one task worker: when it starts, no other is running, so every
# job still waiting or running was left by the one before (killed, or stopped)
# and is queued again at once (--stale-seconds 0), not JOB_STALE_SECONDS later.
# A job queued twice runs once: the second task finds it finished.
start_worker() {
    has_worker || return 0
    alive "$VAR/worker.pid" && return 0
    (cd "$ROOT" && "$PY" manage.py requeue_jobs --stale-seconds 0 >>"$VAR/worker.log" 2>&1
        nohup "$PY" manage.py db_worker >>"$VAR/worker.log" 2>&1 &
        echo $! >"$VAR/worker.pid")
}

kill_worker() {
    alive "$VAR/worker.pid" || return 0
    kill -KILL "$(cat "$VAR/worker.pid")" 2>/dev/null || true
    rm -f "$VAR/worker.pid"
}

nginx_conf() {
    mkdir -p "$VAR/nginx/logs" "$VAR/nginx/tmp"
    local upstreams=""
    for port in "${APP_PORTS[@]}"; do
        upstreams+="        server 127.0.0.1:$port max_fails=2 fail_timeout=2s;"$'\n'
    done
    local user_line=""
    [[ $(id -u) == 0 ]] && user_line="user $(id -un) $(id -gn);"
    cat >"$VAR/nginx.conf" <<EOF
# Written by ops/cluster.sh: the cluster's balancer. Do not edit; start rewrites it.
$user_line
worker_processes 1;
pid $VAR/nginx.pid;
error_log $VAR/nginx/logs/error.log warn;
events { worker_connections 4096; }
http {
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path $VAR/nginx/tmp/body;
    proxy_temp_path $VAR/nginx/tmp/proxy;
    fastcgi_temp_path $VAR/nginx/tmp/fastcgi;
    uwsgi_temp_path $VAR/nginx/tmp/uwsgi;
    scgi_temp_path $VAR/nginx/tmp/scgi;
    client_max_body_size 25m;
    upstream coursesite {
$upstreams    }
    server {
        listen 127.0.0.1:$CLUSTER_PORT;
        # An imported document's images, from the shared media folder; never
        # the uploads held under imports/.
        location /media/courses/ { alias $VAR/media/courses/; }
        location /media/ { return 404; }
        location / {
            proxy_pass http://coursesite;
            # A new connection per request (loopback): a kept-alive one that
            # gunicorn closed would count as a failure of a healthy server.
            proxy_set_header Host \$http_host;
            proxy_set_header X-Real-IP \$remote_addr;
            proxy_set_header X-Forwarded-Proto \$scheme;
            # A dead or failing app server is skipped: the request goes to the
            # other one. nginx passes a POST on only when it was never sent (the
            # connection was refused), never twice.
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries 2;
            proxy_connect_timeout 1s;
            proxy_read_timeout 60s;
            add_header X-Upstream \$upstream_addr always;
        }
    }
}
EOF
}

start_nginx() {
    alive "$VAR/nginx.pid" && return 0
    install_nginx
    port_free "$CLUSTER_PORT" || die "port $CLUSTER_PORT is taken: set CLUSTER_PORT"
    nginx_conf
    nginx -p "$VAR/nginx" -c "$VAR/nginx.conf" -t >/dev/null 2>&1 || nginx -p "$VAR/nginx" -c "$VAR/nginx.conf" -t
    nginx -p "$VAR/nginx" -c "$VAR/nginx.conf"
    wait_http "http://127.0.0.1:$CLUSTER_PORT/healthz" 15 || die "nginx did not answer (see $VAR/nginx/logs/error.log)"
}

stop_pidfile() { # pidfile name: TERM, wait, then KILL
    local pidfile=$1 name=$2
    [[ -f "$pidfile" ]] || return 0
    local pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
        say "stopped $name ($pid)"
    fi
    rm -f "$pidfile"
}

cmd_start() {
    mkdir -p "$VAR"
    write_env
    load_env
    start_redis
    prepare_site
    for n in $(seq ${#APP_PORTS[@]}); do start_app "$n"; done
    start_worker
    start_nginx
    say "running on http://127.0.0.1:$CLUSTER_PORT/ (app servers on ${APP_PORTS[*]}; pids in var/cluster/)"
    if has_worker; then say "task worker: pid $(cat "$VAR/worker.pid")"; else
        say "no task worker: this version of the project has no background tasks"; fi
}

cmd_stop() {
    stop_pidfile "$VAR/nginx.pid" nginx
    for n in $(seq ${#APP_PORTS[@]}); do stop_pidfile "$(app_pidfile "$n")" "app server $n"; done
    stop_pidfile "$VAR/worker.pid" "task worker"
    stop_redis
}

cmd_status() {
    for f in "$VAR"/*.pid; do
        [[ -f $f ]] || continue
        if alive "$f"; then echo "$(basename "$f" .pid): running ($(cat "$f"))"; else echo "$(basename "$f" .pid): dead"; fi
    done
    for port in "$CLUSTER_PORT" "${APP_PORTS[@]}"; do
        printf '127.0.0.1:%s/healthz: ' "$port"
        wait_http "http://127.0.0.1:$port/healthz" 1 && echo ok || echo 'no answer'
    done
}

case "${1:-}" in
start) cmd_start ;;
stop) cmd_stop ;;
status) cmd_status ;;
env) load_env; cat "$VAR/env" ;;
kill-app) kill_app "${2:?app number}" ;;
start-app) load_env; start_app "${2:?app number}" ;;
restart-redis)
    own_redis || die "CLUSTER_REDIS_URL is set: that Redis is not the cluster's to restart"
    load_env; stop_redis; sleep "${2:-0}"; start_redis ;;
kill-worker) kill_worker ;;
start-worker) load_env; start_worker ;;
*) die "usage: $0 start|stop|status|env|kill-app N|start-app N|restart-redis [S]|kill-worker|start-worker" ;;
esac
