#!/usr/bin/env bash
# Runs the inbox benchmark on a throwaway PostgreSQL cluster (initdb/pg_ctl on a free loopback port, removed after).
# Usage: bench/MemberCare.InboxBench/run-postgres.sh [bench options, e.g. --conversations 1000000]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
folder="$(mktemp -d /tmp/membercare-inboxbench-pg.XXXXXX)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb and postgres refuse to run as root.
  chown postgres "$folder"
  as_owner=(runuser -u postgres --)
fi
"${as_owner[@]}" "$bin/initdb" -D "$folder/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
"${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/log" -w \
  -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$folder -c shared_buffers=512MB -c work_mem=32MB -c maintenance_work_mem=512MB -c max_wal_size=4GB" start >/dev/null
trap '"${as_owner[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null; rm -rf "$folder"' EXIT
"$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres membercare_bench
dotnet run -c Release --project "$here" -- --provider postgres \
  --connection "Host=127.0.0.1;Port=$port;Username=postgres;Database=membercare_bench;Pooling=true" "$@"
