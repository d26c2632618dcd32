#!/usr/bin/env bash
# Installs everything gopherlens needs to build, run and test on Debian bookworm, as root.
# Idempotent: a second run changes nothing and takes seconds.
set -euo pipefail

GO_PRIVATE_ROOT=${GO_PRIVATE_ROOT:-/opt/gopherlens}
log() { printf '[setup] %s\n' "$*"; }

if [ "$(id -u)" -ne 0 ]; then
  echo "setup.sh must run as root (it installs apt packages and mounts tracefs)" >&2
  exit 1
fi

# Extra suites at low priority: only packages we ask for by suite come from them.
add_suites() {
  local list=/etc/apt/sources.list.d/gopherlens.list pref=/etc/apt/preferences.d/gopherlens
  if [ ! -f "$list" ]; then
    cat > "$list" <<'SRC'
deb http://deb.debian.org/debian bookworm-backports main
deb http://deb.debian.org/debian trixie main
deb http://deb.debian.org/debian sid main
SRC
    cat > "$pref" <<'PIN'
Package: *
Pin: release n=bookworm-backports
Pin-Priority: 100

Package: *
Pin: release n=trixie
Pin-Priority: 50

Package: *
Pin: release n=sid
Pin-Priority: 40
PIN
    rm -f /var/lib/gopherlens-apt-updated
  fi
  if [ ! -f /var/lib/gopherlens-apt-updated ] || [ -n "$(find /var/lib/gopherlens-apt-updated -mmin +720)" ]; then
    log "apt-get update"
    # A third-party source that cannot be reached must not stop the set-up.
    apt-get update -qq || log "apt-get update reported errors; continuing with the lists it fetched"
    touch /var/lib/gopherlens-apt-updated
  fi
}

apt_install() {
  local missing=()
  for p in "$@"; do
    local name=${p%%/*}
    dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

# Go 1.27 lives only in sid; its binary runs on bookworm, so unpack it into a private
# root (keeping the package's relative symlinks) instead of pulling sid's libc.
install_go_from_sid() {
  local ver=$1 root="$GO_PRIVATE_ROOT/sid-$1"
  local goroot="$root/usr/lib/go-$ver"
  if [ ! -x "$goroot/bin/go" ]; then
    log "unpacking golang-$ver from sid into $root"
    local tmp; tmp=$(mktemp -d); chmod 755 "$tmp"
    (cd "$tmp" && apt-get download -qq "golang-$ver-go/sid" "golang-$ver-src/sid" 2>/dev/null)
    rm -rf "$root"; mkdir -p "$root"
    for deb in "$tmp"/*.deb; do dpkg -x "$deb" "$root"; done
    rm -rf "$tmp"
  fi
  ln -sfn "$goroot" "$GO_PRIVATE_ROOT/go-$ver"
  "$goroot/bin/go" version >/dev/null
}

mount_tracefs() {
  if [ ! -d /sys/kernel/tracing/events ]; then
    log "mounting tracefs on /sys/kernel/tracing"
    mount -t tracefs nodev /sys/kernel/tracing || log "could not mount tracefs; classic tracepoints will be unavailable"
  fi
}

add_suites
apt_install clang-16 llvm-16 libbpf-dev libelf-dev zlib1g-dev bpftool cmake gcc make pkg-config \
  openjdk-17-jdk-headless maven iproute2 procps git ca-certificates nftables iperf3 jq bpftrace \
  golang-1.19-go golang-1.22-go/bookworm-backports golang-1.23-go/bookworm-backports \
  golang-1.24-go/trixie
# Prometheus 2.53 (bookworm has 2.42) for the scrape and remote-write tests; the tests start it
# themselves on loopback. Never install Debian's "loki": it is an unrelated genetics program.
# Its promtool also validates otel-config/prometheus.yml; systemd-analyze checks the unit.
apt_install prometheus/trixie systemd
if command -v systemctl >/dev/null && systemctl is-enabled -q prometheus 2>/dev/null; then
  systemctl disable --now prometheus >/dev/null 2>&1 || true   # the package's daemon on :9090 is not ours
fi
install_go_from_sid 1.27
mount_tracefs

# Maven dependencies and plugins, once per version of the poms.
if [ "${GOPHERLENS_SKIP_MAVEN:-0}" != 1 ] && [ -f pom.xml ]; then
  stamp=/var/lib/gopherlens-maven-$(cat pom.xml collector/pom.xml | sha256sum | cut -c1-16)
  if [ ! -f "$stamp" ]; then
    log "resolving Maven dependencies"
    if mvn -q -B -ntp dependency:go-offline -DexcludeReactor=true >/dev/null 2>&1; then
      touch "$stamp"
    else
      log "some Maven artifacts were not resolved ahead; the build fetches the rest"
    fi
  fi
fi
log "done"
