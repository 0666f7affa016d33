#!/usr/bin/env bash
# THE test command of Convene: vet, every test on SQLite and on a throw-away
# PostgreSQL (and the browser tests in Chromium and Firefox), then a bounded
# fuzz run. As root it installs PostgreSQL, Chromium and Firefox ESR with apt
# when they are missing;
# otherwise the parts that need them are skipped (with a note).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$(date +%s)

note() { printf '==> %s\n' "$*" >&2; }

is_root() { [ "$(id -u)" -eq 0 ]; }

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

# --- dependencies -----------------------------------------------------------
apt_updated=
apt_install() {
	if [ -z "$apt_updated" ]; then
		DEBIAN_FRONTEND=noninteractive apt-get update
		apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y "$@"
}

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
	if is_root; then
		note "installing PostgreSQL (apt-get install postgresql)"
		apt_install postgresql
	else
		note "PostgreSQL server binaries are missing and this is not root: the PostgreSQL half of the tests will be skipped"
	fi
fi
# need_browser BINARY PACKAGE: installs PACKAGE when BINARY is missing.
need_browser() {
	if [ ! -x "$1" ]; then
		if is_root; then
			note "installing $2 (apt-get install $2)"
			apt_install "$2"
		else
			note "$1 is missing and this is not root: its browser tests will be skipped"
		fi
	fi
}
need_browser /usr/bin/chromium chromium
need_browser /usr/bin/firefox-esr firefox-esr

# axe-core, the accessibility rules the browser tests run on every page,
# from tools/axe's package-lock.json into its (git-ignored) node_modules.
if ! command -v npm >/dev/null 2>&1 && is_root; then
	note "installing npm (apt-get install npm) for axe-core"
	apt_install npm
fi
if command -v npm >/dev/null 2>&1; then
	note "installing axe-core (npm ci in tools/axe)"
	npm ci --prefix tools/axe --no-audit --no-fund --loglevel=error
else
	note "npm is missing and this is not root: the accessibility checks will be skipped"
fi

# --- a throw-away PostgreSQL ------------------------------------------------
pgdata=
as_pg() { if is_root; then runuser -u postgres -- "$@"; else "$@"; fi; }
stop_postgres() {
	if [ -n "$pgdata" ]; then
		as_pg "$(pg_bin)/pg_ctl" -D "$pgdata" -m immediate stop >/dev/null 2>&1 || true
		rm -rf "$pgdata"
	fi
}
trap stop_postgres EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_postgres() {
	local bin port=54321
	bin=$(pg_bin)
	while ! port_free "$port"; do port=$((port + 1)); done
	pgdata=$(mktemp -d)
	if is_root; then chown postgres: "$pgdata"; fi
	as_pg "$bin/initdb" -D "$pgdata" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
	as_pg "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/log" -w \
		-o "-c listen_addresses=127.0.0.1 -p $port -k $pgdata -c fsync=off -c max_connections=200" start >/dev/null
	export CONVENE_TEST_POSTGRES="postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable"
	note "PostgreSQL $(basename "$(dirname "$bin")") on 127.0.0.1:$port (data in $pgdata)"
}

if [ -n "$(pg_bin)" ] && { is_root || [ -x "$(pg_bin)/initdb" ]; }; then
	start_postgres
else
	unset CONVENE_TEST_POSTGRES
fi
if [ -x /usr/bin/chromium ]; then
	export CONVENE_CHROMIUM=/usr/bin/chromium
fi
if [ -x /usr/bin/firefox-esr ]; then
	export CONVENE_FIREFOX=/usr/bin/firefox-esr
fi
# The browser tests refresh the screenshots in docs/screenshots.
export CONVENE_SCREENSHOTS=1

# --- vet and tests ----------------------------------------------------------
# Every step runs even when an earlier one failed, so that one run shows
# everything that is wrong; the exit status and the last line say whether
# all passed.
failed=()
step() {
	local name=$1
	shift
	note "$name"
	if ! "$@"; then
		failed+=("$name")
		note "FAILED: $name"
	fi
}

# The PostgreSQL store suite and the end-to-end test run verbosely, their
# summary lines in the log, so that CI shows that the PostgreSQL half ran;
# everything else runs quietly.
run_verbose() {
	local pkg=$1 log status=0
	log=$(mktemp)
	go test -count=1 -timeout 40m -v "$pkg" >"$log" 2>&1 || status=$?
	if [ "$status" -eq 0 ]; then
		grep -E '^(--- |ok |PASS|FAIL)|^    --- (PASS|FAIL|SKIP): [^/]+(/[^/]+)? ' "$log" || true
	else
		cat "$log"
	fi
	rm -f "$log"
	return "$status"
}

verbose_pkgs=(./internal/postgres ./cmd/convene)
mapfile -t quiet_pkgs < <(go list ./... | grep -v -e '/internal/postgres$' -e '/cmd/convene$')

# Every Go file as gofmt writes it.
gofmt_clean() {
	local unformatted
	unformatted=$(gofmt -l .)
	[ -z "$unformatted" ] || { echo "not formatted by gofmt:"; echo "$unformatted"; return 1; }
}

step "gofmt -l ." gofmt_clean
step "go vet ./..." go vet ./...
step "go test (all packages but ${verbose_pkgs[*]})" go test -count=1 -timeout 40m "${quiet_pkgs[@]}"
for pkg in "${verbose_pkgs[@]}"; do
	step "go test -v $pkg" run_verbose "$pkg"
done
# Every benchmark once, at its small size (-short leaves out the million
# pairs; the big sizes are on demand, docs/perf.md), so that none rots.
step "benchmarks, once each, small" go test -short -count=1 -run '^$' -bench . -benchtime 1x ./...
# The fuzz budget is a count, not a duration: with a duration, Go's fuzzing
# coordinator can fail a clean run with a bare "context deadline exceeded"
# when its workers are starved at the deadline (golang/go#75804, fixed only
# in Go 1.27). 300,000 runs is about 30 s on 2 cores.
step "fuzz FuzzParseContacts, 300,000 runs" go test -run '^$' -fuzz '^FuzzParseContacts$' -fuzztime 300000x .

pg_state="SQLite and PostgreSQL"
[ -n "${CONVENE_TEST_POSTGRES:-}" ] || pg_state="SQLite only (PostgreSQL skipped)"
browsers=()
[ -z "${CONVENE_CHROMIUM:-}" ] || browsers+=(Chromium)
[ -z "${CONVENE_FIREFOX:-}" ] || browsers+=(Firefox)
case ${#browsers[@]} in
0) browser_state="without browsers (browser tests skipped)" ;;
1) browser_state="with ${browsers[0]} only" ;;
*) browser_state="with ${browsers[0]} and ${browsers[1]}" ;;
esac
elapsed=$(($(date +%s) - started))
if [ "${#failed[@]}" -gt 0 ]; then
	echo "TESTS FAILED after ${elapsed}s (${pg_state}, ${browser_state}): $(IFS=';'; echo "${failed[*]}")"
	exit 1
fi
echo "ALL TESTS PASSED in ${elapsed}s: gofmt, vet, tests on ${pg_state}, ${browser_state}, benchmarks small, fuzz 300,000 runs"
