# devstack/lib/rabbitmq.sh: a private RabbitMQ node, only when no broker answers already.
# shellcheck shell=bash

RABBIT_DIR=$STRATO_STATE_DIR/rabbitmq

# The node runs as root from /usr/lib/rabbitmq/bin with everything under RABBIT_DIR
# (/usr/sbin/rabbitmq-server would switch to the rabbitmq user and /var/lib/rabbitmq).
rabbit_env() {
    export HOME=$RABBIT_DIR # the erlang cookie lives here
    export RABBITMQ_NODENAME=strato@localhost
    export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
    export RABBITMQ_NODE_PORT=$STRATO_RABBIT_PORT
    export RABBITMQ_DIST_PORT=$((STRATO_RABBIT_PORT + 20000))
    export ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_MNESIA_BASE=$RABBIT_DIR/mnesia
    export RABBITMQ_LOG_BASE=$LOG_DIR/rabbitmq
    export RABBITMQ_PID_FILE=$RABBIT_DIR/rabbit.pid
    export RABBITMQ_CONFIG_FILE=$RABBIT_DIR/rabbitmq
    export RABBITMQ_ADVANCED_CONFIG_FILE=$RABBIT_DIR/advanced.config
    export RABBITMQ_ENABLED_PLUGINS_FILE=$RABBIT_DIR/enabled_plugins
    export RABBITMQ_CONF_ENV_FILE=$RABBIT_DIR/rabbitmq-env.conf
    # otherwise the distribution port listens on every address
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    export PATH=/usr/lib/rabbitmq/bin:$PATH
}

start_rabbitmq() {
    local COMPONENT=rabbitmq
    if port_answers "$STRATO_RABBIT_PORT"; then
        log "a broker already answers on 127.0.0.1:$STRATO_RABBIT_PORT"
        return
    fi
    mkdir -p "$RABBIT_DIR" "$LOG_DIR/rabbitmq"
    printf 'listeners.tcp.default = 127.0.0.1:%s\nloopback_users.guest = true\n' \
        "$STRATO_RABBIT_PORT" >"$RABBIT_DIR/rabbitmq.conf"
    echo '[].' >"$RABBIT_DIR/enabled_plugins"
    echo '[].' >"$RABBIT_DIR/advanced.config"
    : >"$RABBIT_DIR/rabbitmq-env.conf"
    log "starting node strato@localhost on 127.0.0.1:$STRATO_RABBIT_PORT"
    (
        rabbit_env
        rabbitmq-server -detached
        # 'await_startup' fails until the node registered with epmd; 'wait' does not
        rabbitmqctl wait --timeout 120 "$RABBITMQ_PID_FILE" >/dev/null
    )
    record_started rabbitmq
    log "broker up"
}

stop_rabbitmq() {
    local COMPONENT=rabbitmq pid
    if ! pid=$(pidfile_alive "$RABBIT_DIR/rabbit.pid" beam); then
        log "not running"
        return
    fi
    log "stopping node strato@localhost (pid $pid)"
    (
        rabbit_env
        rabbitmqctl stop "$RABBITMQ_PID_FILE" >/dev/null
    ) || stop_pid "$pid" beam
}
