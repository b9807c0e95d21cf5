# shellcheck shell=bash
#
# PostgreSQL for the test suite. Sourced by scripts/test; not meant to be run
# on its own.
#
# postgres_ensure finds or starts a PostgreSQL server whose `postgres` role can
# CREATE DATABASE (the tests create and drop their own databases), exports
# STEWARD_TEST_DATABASE_URL and prints one line saying which server is used.
# It tries, in order:
#
#   1. STEWARD_TEST_DATABASE_URL, if already set: used as is.
#   2. A server on 127.0.0.1:5432 that lets `postgres` in without a password.
#   3. Debian clusters (pg_lsclusters): start stopped ones, then try each port.
#   4. A throwaway cluster under .test-services/pg (trust auth, 127.0.0.1 only,
#      port 54329 or the next free one), stopped again by postgres_cleanup.
#   5. As root with apt-get: install the `postgresql` package, then retry 3, 4.
#
# Expects REPO_ROOT to be set. Progress goes to stderr.

PG_THROWAWAY_FIRST_PORT=54329
PG_THROWAWAY_LAST_PORT=54349
PG_STOP_AT_EXIT=""     # "BINDIR|DATADIR" of a throwaway cluster this run started
PG_KEEP_RUNNING=""     # set to 1 to leave a started throwaway cluster running

pg_say() { echo "scripts/test: $*" >&2; }

pg_url() { echo "postgres://postgres@127.0.0.1:$1/postgres"; }

pg_use() { # PORT DESCRIPTION
    STEWARD_TEST_DATABASE_URL="$(pg_url "$1")"
    export STEWARD_TEST_DATABASE_URL
    pg_say "PostgreSQL: $2 ($STEWARD_TEST_DATABASE_URL)"
}

# Directory holding initdb, pg_ctl and postgres: the newest Debian install,
# else wherever initdb is on PATH.
pg_bindir() {
    local dir best=""
    while read -r dir; do
        [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]] && best="$dir"
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1; then
        best="$(dirname "$(command -v initdb)")"
    fi
    [[ -n "$best" ]] && echo "$best"
}

pg_psql_bin() {
    local dir
    if command -v psql >/dev/null 2>&1; then command -v psql; return 0; fi
    dir="$(pg_bindir)" || return 1
    [[ -x "$dir/psql" ]] && echo "$dir/psql"
}

# Something accepts TCP connections on 127.0.0.1:PORT.
pg_port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# The server on 127.0.0.1:PORT lets `postgres` in without a password, and that
# role may create databases.
pg_usable() {
    local psql answer
    psql="$(pg_psql_bin)" || return 1
    answer="$(PGCONNECT_TIMEOUT=5 "$psql" -X -w -q -A -t \
        -h 127.0.0.1 -p "$1" -U postgres -d postgres \
        -c "select rolsuper or rolcreatedb from pg_roles where rolname = current_user" \
        2>/dev/null </dev/null)" || return 1
    [[ "$answer" == "t" ]]
}

# 2. A server already running on the standard port.
pg_try_standard_port() {
    if pg_usable 5432; then
        pg_use 5432 "server already running on 127.0.0.1:5432"
        return 0
    fi
    if pg_port_in_use 5432; then
        if pg_psql_bin >/dev/null; then
            pg_say "something answers on 127.0.0.1:5432 but does not let 'postgres' in without a password; looking further"
        else
            pg_say "something answers on 127.0.0.1:5432 but psql is missing to check it; looking further"
        fi
    fi
    return 1
}

# 3. Debian's clusters, started if they are down.
pg_try_debian_clusters() {
    command -v pg_lsclusters >/dev/null 2>&1 || return 1
    local version name port status owner rest
    while read -r version name port status owner rest; do
        [[ -n "$port" ]] || continue
        if [[ "$status" == down* ]]; then
            if [[ $EUID -ne 0 && "$(id -un)" != "$owner" ]]; then
                pg_say "cluster $version/$name is stopped; start it with: sudo pg_ctlcluster $version $name start"
                continue
            fi
            pg_say "starting PostgreSQL cluster $version/$name (port $port)"
            pg_start_debian_cluster "$version" "$name" ||
                { pg_say "could not start cluster $version/$name"; continue; }
        fi
        if pg_usable "$port"; then
            pg_use "$port" "Debian cluster $version/$name"
            return 0
        fi
        pg_say "cluster $version/$name (port $port) does not let 'postgres' in over TCP without a password"
    done < <(pg_lsclusters -h 2>/dev/null)
    return 1
}

pg_start_debian_cluster() { # VERSION NAME
    if [[ -d /run/systemd/system ]]; then
        pg_ctlcluster "$1" "$2" start </dev/null >&2
    else
        pg_ctlcluster --skip-systemctl-redirect "$1" "$2" start </dev/null >&2
    fi
}

# Run a command as the owner of the throwaway cluster: `postgres` when we are
# root (initdb and postgres refuse to run as root), ourselves otherwise. It
# runs from / so that the owner never needs access to our working directory.
pg_as_owner() {
    (
        cd /
        if [[ $EUID -ne 0 ]]; then
            "$@"
        elif command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/bash -c "$(printf '%q ' "$@")"
        fi
    )
}

pg_ensure_system_user() {
    [[ $EUID -eq 0 ]] || return 0
    id postgres >/dev/null 2>&1 && return 0
    pg_say "creating system user 'postgres' to own the throwaway cluster"
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin postgres
}

# Where the throwaway cluster lives: .test-services/pg in the repository, or a
# directory under /tmp when the postgres user cannot reach the repository
# (for example a checkout under /root).
pg_throwaway_dir() {
    local dir="$REPO_ROOT/.test-services/pg"
    mkdir -p "$dir" || return 1
    if [[ $EUID -eq 0 ]]; then
        chown postgres: "$dir" || return 1
        if ! pg_as_owner test -w "$dir"; then
            dir="/tmp/steward-test-pg-$(printf '%s' "$REPO_ROOT" | cksum | cut -d' ' -f1)"
            mkdir -p -m 700 "$dir" && chown postgres: "$dir" || return 1
        fi
    fi
    echo "$dir"
}

pg_initdb() { # BINDIR DATADIR
    local bindir="$1" data="$2"
    pg_say "creating throwaway PostgreSQL cluster in $data"
    pg_as_owner rm -rf "$data"
    pg_as_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 \
        --locale=C.UTF-8 >/dev/null 2>&1 ||
        pg_as_owner "$bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 \
            --locale=C >/dev/null ||
        return 1
    # TCP on 127.0.0.1 only, no Unix socket (its path could exceed the length
    # limit), and durability off: nothing in here needs to survive a crash.
    pg_as_owner tee -a "$data/postgresql.conf" >/dev/null <<'CONF'

# Added by scripts/test: throwaway test cluster.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
}

pg_free_port() {
    local port
    for ((port = PG_THROWAWAY_FIRST_PORT; port <= PG_THROWAWAY_LAST_PORT; port++)); do
        pg_port_in_use "$port" || { echo "$port"; return 0; }
    done
    return 1
}

# 4. A throwaway cluster of our own.
pg_try_throwaway() {
    local bindir dir data port major
    bindir="$(pg_bindir)" || return 1
    pg_ensure_system_user || return 1
    dir="$(pg_throwaway_dir)" || return 1
    data="$dir/data"

    # Reuse a cluster left running by `scripts/test --only-services`; it is
    # not ours to stop.
    if pg_as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        port="$(sed -n 4p "$data/postmaster.pid")"
        if pg_usable "$port"; then
            pg_use "$port" "throwaway cluster in $data, already running"
            return 0
        fi
        pg_say "throwaway cluster in $data is running but unusable; restarting it"
        pg_as_owner "$bindir/pg_ctl" -D "$data" -m immediate -w stop >/dev/null || true
    fi

    major="$("$bindir/postgres" --version | sed -E 's/^[^0-9]*([0-9]+).*/\1/')"
    if [[ "$(cat "$data/PG_VERSION" 2>/dev/null)" != "$major" ]]; then
        pg_initdb "$bindir" "$data" || return 1
    fi
    port="$(pg_free_port)" || {
        pg_say "no free port in $PG_THROWAWAY_FIRST_PORT-$PG_THROWAWAY_LAST_PORT for a throwaway cluster"
        return 1
    }
    if ! pg_as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/postgres.log" -w -t 60 \
        -o "-p $port" start >/dev/null; then
        pg_say "throwaway cluster failed to start; see $dir/postgres.log"
        return 1
    fi
    if [[ -z "$PG_KEEP_RUNNING" ]]; then
        PG_STOP_AT_EXIT="$bindir|$data"
    fi
    if ! pg_usable "$port"; then
        pg_say "throwaway cluster started on port $port but does not accept connections"
        return 1
    fi
    if [[ -n "$PG_KEEP_RUNNING" ]]; then
        local as_owner=""
        [[ $EUID -ne 0 ]] || as_owner="runuser -u postgres -- "
        pg_use "$port" "throwaway cluster in $data, left running; stop it with: $as_owner$bindir/pg_ctl -D $data stop"
    else
        pg_use "$port" "throwaway cluster in $data, stopped at exit"
    fi
}

# 5. Install PostgreSQL from the distribution.
pg_install() {
    [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null 2>&1 || return 1
    pg_say "PostgreSQL not found; installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -q >&2 </dev/null &&
        apt-get install -y -q --no-install-recommends postgresql >&2 </dev/null; then
        return 0
    fi
    pg_say "apt-get could not install postgresql"
    return 1
}

postgres_ensure() {
    if [[ -n "${STEWARD_TEST_DATABASE_URL:-}" ]]; then
        pg_say "PostgreSQL: from STEWARD_TEST_DATABASE_URL ($(echo "$STEWARD_TEST_DATABASE_URL" | sed -E 's#://([^:@/]*):[^@/]*@#://\1:***@#'))"
        export STEWARD_TEST_DATABASE_URL
        return 0
    fi
    pg_try_standard_port && return 0
    pg_try_debian_clusters && return 0
    pg_try_throwaway && return 0
    if [[ -z "$(pg_bindir)" ]] && pg_install; then
        pg_try_debian_clusters && return 0
        pg_try_throwaway && return 0
    fi
    pg_say "error: no usable PostgreSQL for the tests."
    if [[ -z "$(pg_bindir)" ]]; then
        pg_say "  PostgreSQL is not installed. Install it (Debian/Ubuntu: sudo apt-get install postgresql;"
        pg_say "  macOS: brew install postgresql) and run this script again; it will start a throwaway"
        pg_say "  cluster itself."
    fi
    pg_say "  Or point the tests at a server whose role may CREATE DATABASE:"
    pg_say "    STEWARD_TEST_DATABASE_URL=postgres://user:password@host:5432/postgres ./scripts/test"
    return 1
}

# Stop the throwaway cluster if this run started it. Safe to call more than once.
postgres_cleanup() {
    [[ -n "$PG_STOP_AT_EXIT" ]] || return 0
    local bindir="${PG_STOP_AT_EXIT%%|*}" data="${PG_STOP_AT_EXIT#*|}"
    PG_STOP_AT_EXIT=""
    pg_as_owner "$bindir/pg_ctl" -D "$data" -m fast -w stop >/dev/null 2>&1 ||
        pg_say "warning: could not stop the throwaway cluster in $data"
}
