#!/usr/bin/env bash
# gopherlens safety soak: Go workloads built with several toolchains run while the agent is
# started (probes attached) and stopped (detached) again every few seconds. The workloads check
# their own results (bench/go/soakload) and must never crash nor report a mismatch. Writes
# soak.json (bench/ for a full run, bench/out/ for --smoke) and exits 1 on any crash, mismatch,
# or agent cycle that failed to start, attach to every workload, see its GC, or stop cleanly.
# Needs root and the build (mvn package).
#
#   bash bench/soak.sh                 10 minutes
#   bash bench/soak.sh --smoke         about 30 s (run by bench/run.sh --smoke)
#   bash bench/soak.sh --duration 120  seconds
set -euo pipefail
cd "$(dirname "$0")/.."

duration=600 smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) duration=15 smoke=1 ;;
    --duration) duration=$2; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "soak: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

# Full and smoke runs keep their files apart, so a smoke can run while a full soak does; the
# port is one nobody listens on.
report=bench out=bench/out/soak
[ "$smoke" = 1 ] && report=bench/out out=bench/out/soak-smoke
# Below the ephemeral range, and unused by any socket (see free_port in run.sh).
port=$(for p in $(shuf -i 10000-$(($(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range) - 1)) -n 100); do
  ss -tanH "sport = :$p" | grep -q . || { echo "$p"; break; }; done)
[ -n "$port" ] || { echo "soak: no free TCP port found" >&2; exit 1; }
mkdir -p "$out"
jar=collector/target/gopherlens.jar
[ -f "$jar" ] || { echo "soak: $jar is missing: run mvn -B package -DskipTests first" >&2; exit 1; }
log() { printf '[soak] %s\n' "$*" >&2; }

toolchains=(/usr/lib/go-1.19 /usr/lib/go-1.24 /opt/gopherlens/go-1.27)
bins=()
for go in "${toolchains[@]}"; do
  bin="$out/soakload-$(basename "$go")"
  GOTOOLCHAIN=local GO111MODULE=off GOCACHE=/tmp/gopherlens-bench-gocache CGO_ENABLED=0 \
    "$go/bin/go" build -o "$bin" bench/go/soakload/main.go
  bins+=("$bin")
done
# One stripped build too: its probes come from .gopclntab alone.
GOTOOLCHAIN=local GO111MODULE=off GOCACHE=/tmp/gopherlens-bench-gocache CGO_ENABLED=0 \
  /usr/lib/go-1.24/bin/go build -ldflags='-s -w' -o "$out/soakload-go-1.24-stripped" bench/go/soakload/main.go
bins+=("$out/soakload-go-1.24-stripped")

wpids=()
for b in "${bins[@]}"; do
  "$b" >"$b.result" 2>"$b.stderr" & wpids+=($!)
done
agent_pid=
cleanup() {
  [ -n "$agent_pid" ] && kill -TERM "$agent_pid" 2>/dev/null && wait "$agent_pid" 2>/dev/null || true
  kill -TERM "${wpids[@]}" 2>/dev/null || true
}
trap cleanup EXIT

cycles=0 attaches=0 gc_seen=0 agent_failures=0 max_stop=0
end=$((SECONDS + duration))
while [ "$SECONDS" -lt "$end" ]; do
  java -jar "$jar" agent --prometheus "127.0.0.1:$port" --events off --log-level info 2>"$out/soak-agent.log" &
  agent_pid=$!
  t0=$SECONDS ready=0
  for _ in $(seq 150); do
    curl -sf "127.0.0.1:$port/readyz" >/dev/null 2>&1 && { ready=1; break; }
    sleep 0.1
  done
  t1=$SECONDS
  # Attached: the GC probes fire hundreds of times a second. Wait (at most 10 s) until
  # go.memory.gc.cycles counts cycles of every workload: proof that its probes fired.
  fired=0
  for _ in $(seq 20); do
    sleep 0.5
    curl -sf "127.0.0.1:$port/metrics" | grep '^go_memory_gc_cycles_total' >"$out/soak-gc-cycles.prom" || true
    fired=0
    for p in "${wpids[@]}"; do
      n=$(awk -v p="process_pid=\"$p\"" 'index($0, p) { s += $NF } END { print s + 0 }' "$out/soak-gc-cycles.prom")
      [ "$n" -gt 0 ] && fired=$((fired + 1))
    done
    [ "$fired" = "${#wpids[@]}" ] && break
  done
  gc_seen=$((gc_seen + $(awk '{ s += $NF } END { print s + 0 }' "$out/soak-gc-cycles.prom")))
  t2=$SECONDS
  kill -TERM "$agent_pid"
  rc=0; wait "$agent_pid" || rc=$?
  agent_pid=
  # SIGTERM ends the JVM with 143 after the shutdown hook; the hook's last line says it detached.
  grep -q '"agent stopped; every probe detached"' "$out/soak-agent.log" && [ "$rc" = 143 ] && rc=0
  stop_s=$((SECONDS - t2)); [ "$stop_s" -gt "$max_stop" ] && max_stop=$stop_s
  log "cycle $((cycles + 1)): ready after $((t1 - t0)) s, GC seen of $fired workloads after $((t2 - t1)) s, stopped after $stop_s s"
  cycles=$((cycles + 1))
  seen=0
  for p in "${wpids[@]}"; do
    grep -q "\"watching Go process\".*\"pid\":$p[,}]" "$out/soak-agent.log" && seen=$((seen + 1))
  done
  attaches=$((attaches + seen))
  if [ "$ready" = 0 ] || [ "$rc" != 0 ] || [ "$seen" != "${#wpids[@]}" ] || [ "$fired" != "${#wpids[@]}" ]; then
    agent_failures=$((agent_failures + 1))
    log "cycle $cycles: ready=$ready exit=$rc watched $seen and saw GC of $fired of ${#wpids[@]}; see $out/soak-agent.log"
    cp "$out/soak-agent.log" "$out/soak-agent-failed-$cycles.log"
  fi
  sleep 1 # detached
done

crashes=0 mismatches=0 rounds=0
for i in "${!wpids[@]}"; do
  p=${wpids[$i]} b=${bins[$i]}
  if ! kill -TERM "$p" 2>/dev/null; then
    crashes=$((crashes + 1)); log "$b died during the soak"; continue
  fi
  rc=0; wait "$p" || rc=$?
  if [ "$rc" != 0 ] || ! jq -e . "$b.result" >/dev/null 2>&1; then
    crashes=$((crashes + 1)); log "$b exited $rc; stderr: $(head -c 2000 "$b.stderr")"; continue
  fi
  mismatches=$((mismatches + $(jq .mismatches "$b.result")))
  rounds=$((rounds + $(jq .rounds "$b.result")))
done
wpids=()

jq -n --arg date "$(date -u +%FT%TZ)" --argjson duration "$duration" --argjson cycles "$cycles" \
  --argjson attaches "$attaches" --argjson gc_seen "$gc_seen" --argjson max_stop "$max_stop" --argjson failures "$agent_failures" \
  --argjson crashes "$crashes" --argjson mismatches "$mismatches" --argjson rounds "$rounds" \
  --arg workloads "$(printf '%s ' "${bins[@]##*/}")" \
  '{date:$date, duration_s:$duration, workloads:$workloads, agent_cycles:$cycles, attaches:$attaches,
    gc_cycles_seen:$gc_seen, agent_stop_max_s:$max_stop, agent_failures:$failures, workload_rounds:$rounds, crashes:$crashes,
    mismatches:$mismatches,
    ok:($crashes == 0 and $mismatches == 0 and $failures == 0 and $cycles > 0)}' >"$report/soak.json"
cat "$report/soak.json"
jq -e .ok "$report/soak.json" >/dev/null || { echo "soak: failed (see above)" >&2; exit 1; }
