#!/usr/bin/env bash
# OTLP receiver benchmark (gateway mode: no probe, no root needed): sustained metric data points
# per second from a separate load process (OtlpLoad.java, 1,000-point requests over keep-alive
# connections), the gateway's CPU per point, then 2x overload (open loop at twice the measured
# rate): memory must stay bounded and the excess be refused with 429 and counted, not lost.
# Prints one JSON result object per line in bench/run.sh's format; run.sh calls it.
#
#   bash bench/receiver/run.sh [SECONDS]     default 20; --smoke in run.sh passes 1
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-20}
jar=collector/target/gopherlens.jar
out=bench/out
mkdir -p "$out"
port=14318 metrics=19465 connections=4
log() { printf '[bench receiver] %s\n' "$*" >&2; }

gw_pid=
start_gateway() {
  # A fixed heap, so RSS says what the receiver holds rather than how lazily the JVM returns memory.
  java -Xms256m -Xmx512m -jar "$jar" gateway --receiver-http "127.0.0.1:$port" --receiver-grpc off \
    --prometheus "127.0.0.1:$metrics" --log-level warn "$@" >"$out/gateway.log" 2>&1 &
  gw_pid=$!
  for _ in $(seq 150); do
    curl -sf "127.0.0.1:$metrics/readyz" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  log "gateway did not become ready; see $out/gateway.log"; exit 1
}
stop_gateway() { kill -TERM "$gw_pid" 2>/dev/null || true; wait "$gw_pid" 2>/dev/null || true; gw_pid=; }
trap stop_gateway EXIT
load() { java -cp "$jar" bench/receiver/OtlpLoad.java "127.0.0.1:$port" "$@"; }
ticks() { awk '{print $14+$15}' "/proc/$gw_pid/stat"; }
counter() { # metric-name label-filter -> value summed
  curl -s "127.0.0.1:$metrics/metrics" | awk -v n="$1" -v f="$2" 'index($0, n"{")==1 && index($0, f) {s+=$NF} END {printf "%d", s}'
}
rss_mib() { awk '/VmRSS/{printf "%.0f\n", $2/1024}' "/proc/$gw_pid/status"; }
json() { # name value target met lower_is_better
  printf '{"name":"%s","value":%s,"target":%s,"met":%s,"lower_is_better":%s}\n' "$@"
}

start_gateway
# JIT warm-up: the first seconds of a fresh JVM decode at a fraction of the steady rate.
load "$(( secs < 5 ? 1 : 8 ))" "$connections" >/dev/null
accepted0=$(counter gopherlens_receiver_items_total 'outcome="accepted",signal="metrics"')
t0=$(ticks)
steady=$(load "$secs" "$connections")
t1=$(ticks)
accepted1=$(counter gopherlens_receiver_items_total 'outcome="accepted",signal="metrics"')
log "steady: $steady"
pps=$(jq -r .points_per_sec <<<"$steady"); p99=$(jq -r .p99_ms <<<"$steady")
us_per_point=$(awk -v t=$((t1 - t0)) -v hz="$(getconf CLK_TCK)" -v n=$((accepted1 - accepted0)) 'BEGIN{printf "%.2f", n ? 1e6*t/hz/n : 0}')

# Overload: twice the measured request rate, open loop over 16 connections, against the default
# limits. Whatever the gateway cannot take must come back as 429 and show in its counters.
rate=$(awk -v p="$pps" 'BEGIN{printf "%.0f", 2*p/1000}')
acc0=$(counter gopherlens_receiver_items_total 'outcome="accepted",signal="metrics"')
ref0=$(counter gopherlens_receiver_requests_refused_total 'reason="overloaded",signal="metrics"')
rss_max=0
( while kill -0 "$gw_pid" 2>/dev/null; do rss_mib; sleep 0.5; done ) >"$out/gateway-rss.txt" &
sampler=$!
over=$(load "$secs" 16 "$rate")
kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
acc1=$(counter gopherlens_receiver_items_total 'outcome="accepted",signal="metrics"')
ref1=$(counter gopherlens_receiver_requests_refused_total 'reason="overloaded",signal="metrics"')
rss_max=$(sort -n "$out/gateway-rss.txt" | tail -1)
stop_gateway
log "overload at $rate requests/s: $over; gateway accepted $((acc1 - acc0)) points, refused $((ref1 - ref0)) requests, RSS max ${rss_max} MiB"
ok=$(jq -r .requests_ok <<<"$over"); refused=$(jq -r .requests_429 <<<"$over"); errors=$(jq -r .errors <<<"$over")
# Lost: points the client saw accepted minus what the gateway counted, plus requests that got
# neither an answer of 200 nor a 429 (connection errors).
lost=$(( ok * 1000 - (acc1 - acc0) ))
lost=${lost#-}; lost=$(( lost + errors * 1000 ))
refused_pct=$(awk -v r="$refused" -v o="$ok" 'BEGIN{printf "%.1f", (r+o) ? 100*r/(r+o) : 0}')

json "OTLP/HTTP receiver: data points per second, 1,000-point requests, $connections connections" "$pps" 1000000 "$(awk -v v="$pps" 'BEGIN{print (v>=1000000)?"true":"false"}')" false
json "OTLP/HTTP receiver: p99 request latency at that rate (ms)" "$p99" 50 "$(awk -v v="$p99" 'BEGIN{print (v<50)?"true":"false"}')" true
json "OTLP/HTTP receiver: gateway CPU per data point (us; read, decode, convert, sink)" "$us_per_point" 2 "$(awk -v v="$us_per_point" 'BEGIN{print (v<=2)?"true":"false"}')" true
json "2x overload ($(jq -r .offered_per_sec <<<"$over") points/s offered, $(jq -r .points_per_sec <<<"$over") accepted): requests refused with 429 (% of answered; gateway counted $((ref1 - ref0)))" "$refused_pct" 1 "$(awk -v v="$refused_pct" 'BEGIN{print (v>=1)?"true":"false"}')" false
json "2x overload: points lost without a 429 (client-side 200s vs gateway counter, plus errors)" "$lost" 0 "$([ "$lost" = 0 ] && echo true || echo false)" true
json "2x overload: gateway RSS max (MiB, -Xmx512m)" "${rss_max:-0}" 768 "$(awk -v v="${rss_max:-0}" 'BEGIN{print (v<=768)?"true":"false"}')" true
