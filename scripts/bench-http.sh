#!/usr/bin/env bash
# Measures a daemon binary as its own process with wrk (c=50): heartbeats
# on both protocols with 2,000 bots' rotating tokens, GET /v1/bots/{id},
# GET /v1/bots?limit=50 and GET /healthz. The bots run on the local
# platform as `sleep` processes that write their token first, so any
# meeboter binary can be measured the same way.
#
#   scripts/bench-http.sh BINARY sqlite|postgres [BOTS] [SECONDS]
#
# MEEBOTER_BENCH_PLATFORM=null runs the bots on the null platform
# instead, which starts nothing (for fleets too large to run as
# processes; the binary must know that platform).
# postgres uses a fresh database on MEEBOTER_BENCH_POSTGRES (default
# postgres://postgres@127.0.0.1:5432). Bots are created with the binary
# in MEEBOTER_BENCH_CLIENT (default BINARY), which needs `bench heartbeat`.
set -euo pipefail
bin=$1 engine=$2 bots=${3:-2000} secs=${4:-10}
client=${MEEBOTER_BENCH_CLIENT:-$bin}
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
export MEEBOTER_DATA_DIR=$dir/data XDG_CONFIG_HOME=$dir/cfg
env=(PLATFORM_PRIORITY=local LOCAL_BOT_LIMIT=$((bots + 10)) MEEBOTER_RATE_LIMIT=1000000 MEEBOTER_RATE_BURST=1000000
  MEEBOTER_LISTEN=127.0.0.1:$port MEEBOTER_LOG_LEVEL=warn
  MEEBOTER_LOCAL_BOT_COMMAND="echo \"{\\\"botId\\\":\$BOT_ID,\\\"token\\\":\\\"\$MILO_AUTH_TOKEN\\\"}\" >> $dir/tokens.jsonl; exec sleep 100000")
tokens=$dir/tokens.jsonl
if [ "${MEEBOTER_BENCH_PLATFORM:-local}" = null ]; then
  env+=(PLATFORM_PRIORITY=null MEEBOTER_NULL_BOT_LIMIT=$((bots + 10)))
  tokens=$dir/data/null/tokens.jsonl
fi
if [ "$engine" = postgres ]; then
  pg=${MEEBOTER_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}
  db=meeboter_bench_$$_$RANDOM
  psql "$pg/postgres" -qc "CREATE DATABASE $db" >/dev/null
  # Daemons sharing PostgreSQL must share one webhook secret.
  env+=(DATABASE_URL="$pg/$db?sslmode=disable" MEEBOTER_WEBHOOK_SECRET=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'))
fi
env "${env[@]}" "$bin" serve >"$dir/serve.log" 2>&1 &
daemon=$!
cleanup() {
  kill "$daemon" 2>/dev/null || true
  wait "$daemon" 2>/dev/null || true
  if [ -n "${db:-}" ]; then psql "$pg/postgres" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1200); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$daemon" 2>/dev/null || { tail -5 "$dir/serve.log" >&2; exit 1; }
  sleep 0.1
done
if [ -n "${db:-}" ]; then
  # PostgreSQL mode writes no CLI config: give the first admin a key.
  secret=mbk_bench$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
  hash=$(printf %s "$secret" | sha256sum | cut -d' ' -f1)
  psql "$pg/$db" -qc "INSERT INTO api_keys (user_id, name, prefix, hash, created_at) SELECT min(id), 'bench', 'mbk_bench', '$hash', now() FROM users" >/dev/null
  mkdir -p "$dir/cfg/meeboter"
  printf 'address: "http://127.0.0.1:%s"\napi_key: "%s"\n' "$port" "$secret" >"$dir/cfg/meeboter/config.yaml"
fi
"$client" bench heartbeat --bots "$bots" --duration 1s --keep --tokens "$tokens" >/dev/null 2>"$dir/bench.err" || { cat "$dir/bench.err" "$dir/serve.log" | tail -5 >&2; exit 1; }
key=$(sed -n 's/^api_key: "\(.*\)"/\1/p' "$dir/cfg/meeboter/config.yaml")
url=http://127.0.0.1:$port
rss() { awk '/VmRSS/{print $2/1024 " MB"}' "/proc/$daemon/status"; }
threads() { awk '/Threads/{print $2}' "/proc/$daemon/status"; }
echo "# $bin $engine: $bots bots, daemon RSS $(rss), $(threads) threads"
for mode in healthz native trpc get list; do
  path=/
  [ "$mode" = healthz ] && path=/healthz
  out=$(TOKENS=$tokens MODE=$mode KEY=$key wrk -t2 -c50 -d"${secs}s" --latency -s "$here/wrk-rotate.lua" "$url$path")
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/{print $NF}' <<<"$out")
  echo "$mode rps=$rps p50=$p50 p99=$p99 non2xx=${non2xx:-0}"
done
echo "# after: daemon RSS $(rss), $(threads) threads"
