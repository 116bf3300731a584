# devstack/lib/common.sh: settings, logging, pid and port checks shared by stack.sh and unstack.sh.
# shellcheck shell=bash

STRATO_STATE_DIR=${STRATO_STATE_DIR:-/var/lib/strato}
STRATO_HOST=${STRATO_HOST:-$(hostname)}
STRATO_API_PORT=${STRATO_API_PORT:-8774}
# Only changed to try the private broker next to an existing one (its dist port is +20000).
STRATO_RABBIT_PORT=${STRATO_RABBIT_PORT:-5672}
# the conductor's Prometheus metrics (evacuations, fencing, DRS moves)
STRATO_CONDUCTOR_METRICS_PORT=${STRATO_CONDUCTOR_METRICS_PORT:-9121}

VENV=$STRATO_STATE_DIR/venv
CLIENTS_VENV=$STRATO_STATE_DIR/clients-venv
ETC_DIR=$STRATO_STATE_DIR/etc
RUN_DIR=$STRATO_STATE_DIR/run
LOG_DIR=$STRATO_STATE_DIR/log
STRATO_CONF=$ETC_DIR/strato.conf
STRATO_DB_CONF=$ETC_DIR/strato-db.conf
# Infrastructure daemons this script started (one name a line), so unstack.sh stops
# only those and leaves alone what was already running.
STARTED_LIST=$RUN_DIR/started-by-stack.list

log() {
    printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "${COMPONENT:-stack}" "$*"
}

die() {
    log "ERROR: $*" >&2
    exit 1
}

ensure_dirs() {
    mkdir -p "$ETC_DIR" "$RUN_DIR" "$LOG_DIR"
}

# pid_alive PID NAME: the process exists, is not a zombie (PID 1 here does not reap)
# and its command line mentions NAME, so a recycled pid is never taken for ours.
pid_alive() {
    local pid=$1 name=$2 stat
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    stat=$(ps -o stat= -p "$pid" 2>/dev/null) || return 1
    [[ $stat != Z* ]] || return 1
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$name"
}

# pidfile_alive FILE NAME: prints the pid when FILE names a live process running NAME.
pidfile_alive() {
    local file=$1 name=$2 pid
    [[ -r $file ]] || return 1
    pid=$(tr -d '[:space:]' <"$file")
    pid_alive "$pid" "$name" || return 1
    echo "$pid"
}

port_answers() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# wait_for SECONDS DESCRIPTION COMMAND...: retry COMMAND every half second.
wait_for() {
    local seconds=$1 what=$2 deadline
    shift 2
    deadline=$((SECONDS + seconds))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || die "$what did not come up within ${seconds}s"
        sleep 0.5
    done
}

# wait_gone PID NAME SECONDS: true once the process is gone, false on timeout.
wait_gone() {
    local pid=$1 name=$2 deadline=$((SECONDS + $3))
    while pid_alive "$pid" "$name"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

# stop_pid PID NAME [SECONDS]: SIGTERM, then await_exit.
stop_pid() {
    kill -TERM "$1" 2>/dev/null || true
    await_exit "$@"
}

# await_exit PID NAME [SECONDS]: wait for a process told to stop, then SIGKILL it (its
# whole process group when it leads one: the services' gunicorn workers, a daemon's helpers).
await_exit() {
    local pid=$1 name=$2 seconds=${3:-30}
    wait_gone "$pid" "$name" "$seconds" && return
    log "$name (pid $pid) still running after ${seconds}s: SIGKILL"
    if [[ $(ps -o pgid= -p "$pid" | tr -d ' ') == "$pid" ]]; then
        kill -KILL -- "-$pid" 2>/dev/null || true
    else
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait_gone "$pid" "$name" 10 || log "$name (pid $pid) did not die"
}

record_started() {
    grep -qx -- "$1" "$STARTED_LIST" 2>/dev/null || echo "$1" >>"$STARTED_LIST"
}

was_started() {
    grep -qx -- "$1" "$STARTED_LIST" 2>/dev/null
}

# write_file PATH MODE: write stdin to PATH unless PATH already holds exactly that.
write_file() {
    local path=$1 mode=$2 tmp
    tmp=$(mktemp "$path.XXXXXX")
    cat >"$tmp"
    if cmp -s "$tmp" "$path"; then
        rm -f "$tmp"
        log "$path unchanged"
    else
        chmod "$mode" "$tmp"
        mv -f "$tmp" "$path"
        log "wrote $path"
    fi
}
