#!/usr/bin/env bash
# HTTP load figures of the Convene API, measured with wrk (make load).
#
# Builds the binary, creates a throw-away SQLite database with a tenant,
# starts `convene serve` on a free port of 127.0.0.1, seeds users and
# sessions through the API, then runs wrk for a fixed time per scenario and
# prints requests/s, latency percentiles and the non-2xx count of each.
# Everything it starts is stopped on exit (SIGTERM to the server); the
# temporary directory is removed.
#
# Traffic goes to 127.0.0.1 only. Every loop is bounded in count and time.
#
# Environment (all optional):
#   LOAD_DURATION=15s   wrk duration per scenario
#   LOAD_THREADS=2      wrk threads
#   LOAD_CONNECTIONS=16 wrk connections
#   CONVENE_LOAD_POSTGRES=postgres://...  also run against this PostgreSQL
#       database (use a throw-away one: the script adds a tenant
#       "load-<time>" with its users and sessions and leaves them there).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

duration=${LOAD_DURATION:-15s}
threads=${LOAD_THREADS:-2}
conns=${LOAD_CONNECTIONS:-16}
n_users=200
n_sessions=500       # what the list scenarios see
n_bulk_sessions=5000 # the multi-invites get more, for fresh pairs
password='load-password-1'

note() { printf '==> %s\n' "$*" >&2; }

# --- wrk ----------------------------------------------------------------------
if ! command -v wrk >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		note "installing wrk (apt-get install wrk)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null 2>&1 ||
			{ DEBIAN_FRONTEND=noninteractive apt-get update >/dev/null &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null; }
	else
		note "wrk is missing and this is not root (or there is no apt-get): install wrk to measure; skipping"
		exit 0
	fi
fi
for tool in curl go; do
	command -v "$tool" >/dev/null 2>&1 || { note "$tool is missing; skipping"; exit 0; }
done

# --- cleanup ------------------------------------------------------------------
tmp=$(mktemp -d)
server_pid=

stop_server() {
	if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
		kill -TERM "$server_pid" 2>/dev/null || true
		for _ in $(seq 1 100); do # at most 10 s
			kill -0 "$server_pid" 2>/dev/null || break
			sleep 0.1
		done
		if kill -0 "$server_pid" 2>/dev/null; then
			note "server $server_pid did not stop on SIGTERM within 10 s: SIGKILL"
			kill -KILL "$server_pid" 2>/dev/null || true
		fi
		wait "$server_pid" 2>/dev/null || true
	fi
	server_pid=
}
cleanup() {
	stop_server
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

note "building convene"
go build -o "$tmp/convene" ./cmd/convene
bin=$tmp/convene

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

free_port() {
	local port=$((20000 + RANDOM % 20000))
	for _ in $(seq 1 200); do
		if port_free "$port"; then
			echo "$port"
			return 0
		fi
		port=$((port + 1))
	done
	note "no free port found"
	return 1
}

# curl with a bound on time, to 127.0.0.1 only (the base URL is ours).
api() { curl -sS --max-time 30 -H "Authorization: Bearer $token" -H 'Content-Type: application/json' "$@"; }

# post_many URL BODIES: POST each line of BODIES (JSON) to URL with one curl
# process (one kept-alive connection); prints the Location of each answer.
# Fails unless every answer is 201.
post_many() {
	local url=$1 bodies=$2 cfg=$tmp/curl.cfg out=$tmp/curl.out body bad
	: >"$cfg"
	while IFS= read -r body; do
		body=${body//\\/\\\\}
		body=${body//\"/\\\"}
		{
			if [ -s "$cfg" ]; then echo next; fi
			printf 'url = "%s"\nrequest = "POST"\noutput = "/dev/null"\n' "$url"
			printf 'header = "Authorization: Bearer %s"\nheader = "Content-Type: application/json"\n' "$token"
			printf 'data = "%s"\nwrite-out = "%%{http_code} %%header{location}\\n"\nmax-time = 30\n' "$body"
		} >>"$cfg"
	done <"$bodies"
	curl -sS -K "$cfg" >"$out"
	bad=$(grep -vc '^201 ' "$out" || true)
	if [ "$bad" -ne 0 ] || [ "$(wc -l <"$out")" -ne "$(wc -l <"$bodies")" ]; then
		note "POST $url: $bad answers other than 201 (of $(wc -l <"$out"))"
		grep -v '^201 ' "$out" | head -3 >&2
		return 1
	fi
	sed 's|^201 .*/\([0-9][0-9]*\)$|\1|' "$out"
}

# seed_sessions BASE FROM TO: sessions FROM..TO, titled "<word> review <n>";
# their ids are appended to $tmp/sessions.
words=(alpha bravo charlie delta echo foxtrot golf hotel india juliet)
seed_sessions() {
	local base=$1 from=$2 to=$3 i
	for i in $(seq "$from" "$to"); do
		printf '{"title":"%s review %04d","description":"load test session"}\n' "${words[i % 10]}" "$i"
	done >"$tmp/sessions.jsonl"
	post_many "$base/api/v1/sessions" "$tmp/sessions.jsonl" >>"$tmp/sessions"
}

summary=$tmp/summary.md
printf '| database | scenario | req/s | p50 | p99 | requests | non-2xx | socket errors |\n|---|---|---:|---:|---:|---:|---:|---:|\n' >"$summary"

# run_wrk DB NAME URL [LUA [SCRIPT ARGS...]]: one scenario, its raw output kept and summarised.
run_wrk() {
	local db=$1 name=$2 url=$3 lua=${4:-} out
	out=$tmp/wrk-$db-$(printf %s "$name" | tr -c 'A-Za-z0-9' _).txt
	note "$db: $name ($duration, -t$threads -c$conns)"
	local args=(-t"$threads" -c"$conns" -d"$duration" --latency --timeout 10s)
	if [ -n "$lua" ]; then
		args+=(-s "$lua")
	else
		args+=(-H "Authorization: Bearer $token")
	fi
	args+=("$url")
	if [ $# -gt 4 ]; then args+=(-- "${@:5}"); fi
	# wrk stops by itself after $duration; timeout is the safety net.
	timeout 120 wrk "${args[@]}" | tee "$out"
	awk -v db="$db" -v name="$name" '
		/Requests\/sec:/ { rps = $2 }
		/^ +50%/ { p50 = $2 }
		/^ +99%/ { p99 = $2 }
		/requests in/ { reqs = $1 }
		/Non-2xx or 3xx responses:/ { non2xx = $NF }
		/Socket errors:/ { sock = $0; sub(/.*Socket errors: */, "", sock) }
		END {
			printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", db, name, rps, p50, p99, reqs,
				(non2xx == "" ? 0 : non2xx), (sock == "" ? "none" : sock)
		}' "$out" >>"$summary"
	echo
}

# bench DB_LABEL DB_URL SLUG: one full run against one database.
bench() {
	local label=$1 db=$2 slug=$3 port base
	note "$label: creating tenant $slug"
	"$bin" tenant create --db "$db" --slug "$slug" --name Load \
		--admin-email admin@load.test --admin-password "$password" >/dev/null
	token=$("$bin" token create --db "$db" --tenant "$slug" --user admin@load.test --name load)

	port=$(free_port)
	base=http://127.0.0.1:$port
	note "$label: starting convene serve on 127.0.0.1:$port (log: $tmp/server-$label.log)"
	"$bin" serve --db "$db" --addr "127.0.0.1:$port" \
		--invite-rate 100000 --invite-burst 100000 --resolve-rate 100000 --resolve-burst 100000 \
		>"$tmp/server-$label.log" 2>&1 &
	server_pid=$!
	local up=
	for _ in $(seq 1 100); do # at most about 10 s
		if curl -sf --max-time 1 "$base/healthz" >/dev/null 2>&1; then
			up=1
			break
		fi
		kill -0 "$server_pid" 2>/dev/null || break
		sleep 0.1
	done
	if [ -z "$up" ]; then
		note "$label: the server did not come up"
		cat "$tmp/server-$label.log" >&2
		return 1
	fi

	# Seed: users (each password is an argon2id hash: the slow part), sessions.
	note "$label: seeding $n_users users and $n_sessions sessions through the API"
	: >"$tmp/sessions"
	local i started=$SECONDS
	for i in $(seq 1 "$n_users"); do
		printf '{"name":"User %03d","email":"user%03d@load.test","password":"%s"}\n' "$i" "$i" "$password"
	done >"$tmp/users.jsonl"
	post_many "$base/api/v1/users" "$tmp/users.jsonl" >/dev/null
	seed_sessions "$base" 1 "$n_sessions"
	note "$label: seeded in $((SECONDS - started)) s"

	# POST bodies and headers go through small wrk Lua scripts.
	local resolve_body
	resolve_body='{"contacts":['
	for i in $(seq 1 17); do resolve_body+="\"user$(printf %03d $((i * 11)))@load.test\","; done
	resolve_body+='"Nobody <nobody1@elsewhere.test>","nobody2@elsewhere.test","+1 202 555 0143"]}'
	cat >"$tmp/resolve.lua" <<EOF
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '$resolve_body'
EOF

	run_wrk "$label" "GET /healthz" "$base/healthz"
	run_wrk "$label" "GET sessions limit=25" "$base/api/v1/sessions?limit=25"
	run_wrk "$label" "GET sessions q=delta limit=25" "$base/api/v1/sessions?q=delta&limit=25"
	run_wrk "$label" "POST contacts/resolve 20" "$base/api/v1/contacts/resolve" "$tmp/resolve.lua"

	# Multi-invite: 10 people x 10 sessions a request. A pair granted once
	# answers "unchanged" ever after, so fresh work needs fresh pairs: more
	# sessions are added now (after the list scenarios, which keep seeing
	# 500). The 200 users form 20 groups of 10 and the sessions groups of
	# 10; body k is users group k mod 20 x sessions group k div 20, so all
	# bodies cover disjoint pairs. "fresh" walks k = 0, 1, 2, ... (threads
	# interleaved) and repeats no body unless it runs out of them; "repeat"
	# cycles through the first 200 bodies, which "fresh" has already sent,
	# so every pair is "unchanged". The Lua script counts the outcomes from
	# the answers, to show which case was measured.
	note "$label: seeding $((n_bulk_sessions - n_sessions)) more sessions for the multi-invites"
	seed_sessions "$base" $((n_sessions + 1)) "$n_bulk_sessions"
	local groups=$((n_bulk_sessions / 10))
	{
		echo "local users = {"
		for g in $(seq 0 19); do
			printf '  {'
			for j in $(seq 1 10); do printf '"user%03d@load.test",' $((g * 10 + j)); done
			printf '},\n'
		done
		echo "}"
		echo "local sessions = {"
		paste -d, - - - - - - - - - - <"$tmp/sessions" | sed 's/[0-9][0-9]*/"&"/g; s/^/  {/; s/$/},/'
		echo "}"
		cat <<EOF
local nthreads, nbodies = $threads, 20 * $groups
local created = {}
local counter = 0
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(created, thread)
end
local function quoted(list)
  local parts = {}
  for i, v in ipairs(list) do parts[i] = '"' .. v .. '"' end
  return table.concat(parts, ",")
end
function init(args)
  -- wrk calls request() once on thread 0 before the run, to check it, and
  -- never sends that request: start thread 0 one body early.
  n = (tid == 0) and -1 or 0
  added, upgraded, unchanged, skipped, failed = 0, 0, 0, 0, 0
  mode = args[1] or "fresh"
  wrk.method = "POST"
  wrk.headers["Authorization"] = "Bearer $token"
  wrk.headers["Content-Type"] = "application/json"
end
function request()
  local k = tid + n * nthreads
  if mode == "repeat" then k = k % 200 else k = k % nbodies end
  n = n + 1
  local body = '{"session_ids":[' .. quoted(sessions[math.floor(k / 20) + 1]) .. '],"contacts":[' .. quoted(users[k % 20 + 1]) .. '],"access":"collaborate"}'
  return wrk.format(nil, nil, nil, body)
end
function response(status, headers, body)
  if status ~= 200 then failed = failed + 1 return end
  local a, u, c, s = string.match(body, '"counts":{"added":(%d+),"upgraded":(%d+),"unchanged":(%d+),"skipped":(%d+)}')
  if a then
    added = added + tonumber(a); upgraded = upgraded + tonumber(u)
    unchanged = unchanged + tonumber(c); skipped = skipped + tonumber(s)
  end
end
function done(summary, latency, requests)
  local t = {0, 0, 0, 0, 0, 0}
  for _, th in ipairs(created) do
    t[1] = t[1] + th:get("added"); t[2] = t[2] + th:get("upgraded")
    t[3] = t[3] + th:get("unchanged"); t[4] = t[4] + th:get("skipped")
    t[5] = t[5] + th:get("failed"); t[6] = t[6] + math.max(th:get("n"), 0)
  end
  local repeat_mode = #created > 0 and created[1]:get("mode") == "repeat"
  io.write(string.format("Multi-invite pairs: added %d, upgraded %d, unchanged %d, skipped %d; non-200 answers %d; bodies sent %d (of %d distinct)\n",
    t[1], t[2], t[3], t[4], t[5], t[6], repeat_mode and 200 or nbodies))
end
EOF
	} >"$tmp/bulk.lua"

	run_wrk "$label" "POST invitations/bulk 10x10 new pairs" "$base/api/v1/invitations/bulk" "$tmp/bulk.lua" fresh
	run_wrk "$label" "POST invitations/bulk 10x10 repeated" "$base/api/v1/invitations/bulk" "$tmp/bulk.lua" repeat
	grep -h '^Multi-invite pairs' "$tmp/wrk-$label-POST_invitations_bulk_10x10_new_pairs.txt" | sed "s/^Multi-invite pairs:/$label, multi-invite new pairs:/" >>"$tmp/notes"
	grep -h '^Multi-invite pairs' "$tmp/wrk-$label-POST_invitations_bulk_10x10_repeated.txt" | sed "s/^Multi-invite pairs:/$label, multi-invite repeated:/" >>"$tmp/notes"

	note "$label: stopping the server (SIGTERM)"
	stop_server
	grep -c '"status":429\|status=429' "$tmp/server-$label.log" | sed "s/^/$label: 429 answers in the server log: /" >>"$tmp/notes" || true
}

: >"$tmp/notes"
bench sqlite "sqlite:$tmp/db" load
if [ -n "${CONVENE_LOAD_POSTGRES:-}" ]; then
	bench postgres "$CONVENE_LOAD_POSTGRES" "load-$(date +%s)"
else
	note "CONVENE_LOAD_POSTGRES is not set: PostgreSQL skipped"
fi

echo
echo "## Summary ($(nproc) cores; wrk -t$threads -c$conns -d$duration on the same machine as the server)"
echo
cat "$summary"
echo
cat "$tmp/notes"
