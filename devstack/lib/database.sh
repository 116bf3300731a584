# devstack/lib/database.sh: the cloud's database, on PostgreSQL (default), MariaDB or SQLite.
# shellcheck shell=bash
#
# STRATO_DATABASE=postgresql|mysql picks a server: the one that answers on 127.0.0.1 is
# used, else the distribution's server is installed and started (and unstack.sh stops it
# again). A database "strato" and a user "strato" with a password of its own (kept in
# the passwords file) are made on it. STRATO_DATABASE=sqlite keeps a file in the state
# dir: enough for a laptop demo, not for concurrent load.

STRATO_DATABASE=${STRATO_DATABASE:-postgresql}
STRATO_DB_NAME=strato
STRATO_DB_USER=strato
POSTGRES_PORT=5432
MYSQL_PORT=3306

check_database_choice() {
    case $STRATO_DATABASE in
    postgresql | mysql | sqlite) ;;
    *) die "STRATO_DATABASE must be postgresql, mysql or sqlite, not '$STRATO_DATABASE'" ;;
    esac
}

# database_packages: the Debian packages of the chosen server, one per line.
database_packages() {
    case $STRATO_DATABASE in
    postgresql) port_answers $POSTGRES_PORT || echo postgresql ;;
    mysql) port_answers $MYSQL_PORT || echo mariadb-server ;;
    esac
}

# database_url: the [database] connection of the chosen backend.
database_url() {
    case $STRATO_DATABASE in
    postgresql)
        echo "postgresql+psycopg2://$STRATO_DB_USER:$STRATO_DB_PASSWORD@127.0.0.1:$POSTGRES_PORT/$STRATO_DB_NAME"
        ;;
    mysql)
        echo "mysql+pymysql://$STRATO_DB_USER:$STRATO_DB_PASSWORD@127.0.0.1:$MYSQL_PORT/$STRATO_DB_NAME?charset=utf8mb4"
        ;;
    sqlite) echo "sqlite:///$STRATO_STATE_DIR/strato.sqlite" ;;
    esac
}

start_database() {
    local COMPONENT=database
    case $STRATO_DATABASE in
    postgresql) start_postgresql && create_postgresql_database ;;
    mysql) start_mariadb && create_mariadb_database ;;
    sqlite) log "SQLite in $STRATO_STATE_DIR/strato.sqlite" ;;
    esac
}

stop_database() {
    local COMPONENT=database
    if was_started postgresql; then
        log "stopping PostgreSQL"
        local version
        for version in /etc/postgresql/*; do
            pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main stop || true
        done
    fi
    if was_started mariadb; then
        log "stopping MariaDB"
        mariadb-admin -u root shutdown || true
    fi
}

start_postgresql() {
    if pg_isready -q -h 127.0.0.1 -p $POSTGRES_PORT; then
        log "PostgreSQL already answers on 127.0.0.1:$POSTGRES_PORT"
        return
    fi
    local version
    for version in /etc/postgresql/*; do
        [[ -d $version/main ]] || continue
        log "starting PostgreSQL $(basename "$version")"
        pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start
    done
    wait_for 60 "PostgreSQL" pg_isready -q -h 127.0.0.1 -p $POSTGRES_PORT
    record_started postgresql
}

# As the postgres superuser over the local socket (peer authentication).
postgres_sql() {
    runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qAt -d postgres "$@"
}

create_postgresql_database() {
    local password=${STRATO_DB_PASSWORD//\'/\'\'}
    if [[ -z $(postgres_sql -c "SELECT 1 FROM pg_roles WHERE rolname = '$STRATO_DB_USER'") ]]; then
        log "creating role $STRATO_DB_USER"
        postgres_sql -c "CREATE ROLE $STRATO_DB_USER LOGIN PASSWORD '$password'"
    else
        postgres_sql -c "ALTER ROLE $STRATO_DB_USER LOGIN PASSWORD '$password'"
    fi
    if [[ -z $(postgres_sql -c "SELECT 1 FROM pg_database WHERE datname = '$STRATO_DB_NAME'") ]]; then
        log "creating database $STRATO_DB_NAME"
        postgres_sql -c "CREATE DATABASE $STRATO_DB_NAME OWNER $STRATO_DB_USER"
    fi
}

start_mariadb() {
    if mariadb-admin -h 127.0.0.1 -P $MYSQL_PORT -u root ping >/dev/null 2>&1 ||
        port_answers $MYSQL_PORT; then
        log "MariaDB already answers on 127.0.0.1:$MYSQL_PORT"
        return
    fi
    log "starting MariaDB"
    install -d -o mysql -g mysql /run/mysqld
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- \
        --user=mysql --bind-address=127.0.0.1
    wait_for 60 "MariaDB" mariadb-admin -u root ping
    record_started mariadb
}

create_mariadb_database() {
    local password=${STRATO_DB_PASSWORD//\'/\\\'}
    log "database $STRATO_DB_NAME and user $STRATO_DB_USER"
    mariadb -u root <<SQL
CREATE DATABASE IF NOT EXISTS $STRATO_DB_NAME CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$STRATO_DB_USER'@'127.0.0.1' IDENTIFIED BY '$password';
ALTER USER '$STRATO_DB_USER'@'127.0.0.1' IDENTIFIED BY '$password';
GRANT ALL PRIVILEGES ON $STRATO_DB_NAME.* TO '$STRATO_DB_USER'@'127.0.0.1';
SQL
}
