#!/usr/bin/env bash
# Consentry's benchmarks, in one bounded run on loopback (about 5 minutes):
#   start-to-ready and idle RSS; client-credentials tokens/s at 16 and 64 keep-alive connections, side by
#   side with navikt's mock-oauth2-server; JWKS and discovery requests/s at 16 and 64 connections, and authorized
#   GET /v1.0/me (a user's token) and GET /v1.0/users/{id} (an app token) at 64, each next to the bare
#   /consentry/health route of the same server; RSS idle, after the loads and at its peak; user sign-in round trips/s (authorize, username, password, code redemption)
#   and refresh-token grants/s with 16 workers; JMH: token issuance next to a raw RS256 signature, and a
#   Graph decision (validate + decide) next to a raw RS256 verify and Nimbus's DefaultJWTProcessor.
# Usage: bash benchmarks/run.sh      Results: benchmarks/target/results/ and a summary on stdout.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
results="$root/benchmarks/target/results"
work="$(mktemp -d)"
mkdir -p "$results"
pids=()
server_pid=""
cleanup() {
  for p in "${pids[@]:-}" "$server_pid"; do [ -n "$p" ] && kill "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

DURATION="${DURATION:-10s}"
PORT=18443
MOCK_PORT=18080

for tool in wrk:wrk ab:apache2-utils; do
  if ! command -v "${tool%%:*}" >/dev/null; then
    echo "bench: installing ${tool#*:}" >&2
    (apt-get install -y "${tool#*:}" >/dev/null 2>&1 || sudo apt-get install -y "${tool#*:}" >/dev/null 2>&1) \
      || { echo "bench: ${tool%%:*} is needed (Debian package ${tool#*:})" >&2; exit 1; }
  fi
done

./consentry build
JAVA_HOME="$(./consentry java-home)"
export JAVA_HOME
mvn -B -q -DskipTests package -pl benchmarks -am >/dev/null
bench_cp="benchmarks/target/consentry-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*"

# ---- start to ready, idle RSS ----------------------------------------------------------------------
start_server() { # $1 data dir; sets last_ms (launch to ready line), server_pid and banner; leaves the server running
  # The ready line is read from a pipe, which blocks without using a core: polling the output file with grep every
  # few milliseconds took one of the two cores from the start it measured (about 0.3 s more on a restart).
  local out="$work/serve.$RANDOM"
  local start end fd
  mkfifo "$out.fifo"
  start=$(date +%s%N)
  ./consentry serve --data-dir "$1" --port "$PORT" --output json >"$out.fifo" 2>"$out.err" &
  server_pid=$!
  exec {fd}<"$out.fifo"
  banner=""
  IFS= read -r banner <&"$fd" || true
  end=$(date +%s%N)
  cat <&"$fd" >/dev/null & # the rest of standard output (nothing is expected), until the server stops
  exec {fd}<&-
  case "$banner" in *'"ready":true'*) ;; *) cat "$out.err" >&2; echo "bench: Consentry did not start" >&2; exit 1 ;; esac
  last_ms=$(( (end - start) / 1000000 ))
}
stop_server() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

data="$work/data"
start_server "$data"; first=$last_ms; stop_server
restarts=()
for i in 1 2 3; do start_server "$data"; restarts+=("$last_ms"); stop_server; done
restart=$(printf '%s\n' "${restarts[@]}" | sort -n | sed -n 2p)
start_server "$data"
pids+=("$server_pid")
sleep 3
rss_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')
# RSS under the loads that follow, sampled each second until the server stops.
(while kill -0 "$server_pid" 2>/dev/null; do ps -o rss= -p "$server_pid" 2>/dev/null; sleep 1; done) >"$work/rss.txt" &

secret=$(echo "$banner" | sed -n 's/.*"name":"Contoso Daemon","clientId":"\([^"]*\)","type":"[^"]*","mayDo":"[^"]*","secret":"\([^"]*\)".*/\2/p')
client=$(echo "$banner" | sed -n 's/.*"name":"Contoso Daemon","clientId":"\([^"]*\)".*/\1/p')
tenant=$(echo "$banner" | sed -n 's/.*"tenants":\[{"id":"\([^"]*\)".*/\1/p')
base="https://localhost:$PORT"

cat >"$work/token.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&client_id=$client&client_secret=$secret&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
LUA
curl -sf --cacert "$data/ca.pem" "$base/$tenant/oauth2/v2.0/token" -d @<(sed -n 's/^wrk.body = "\(.*\)"/\1/p' "$work/token.lua") >/dev/null \
  || { echo "bench: a token request to Consentry failed" >&2; exit 1; }

run_wrk() { # name connections url [script [warm-up]]; a short unmeasured run first warms the JIT and the connections
  local name=$1 c=$2 url=$3 script=${4:-} warm=${5:-3s}
  wrk -t2 -c"$c" -d"$warm" ${script:+-s "$script"} "$url" >/dev/null 2>&1 || true
  wrk -t2 -c"$c" -d"$DURATION" --latency ${script:+-s "$script"} "$url" >"$results/$name.txt" 2>&1
  local rps p50 p99
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' "$results/$name.txt")
  p50=$(awk '$1=="50%"{print $2}' "$results/$name.txt")
  p99=$(awk '$1=="99%"{print $2}' "$results/$name.txt")
  echo "$name $rps $p50 $p99"
}

# ab opens a new TLS connection per request (no keep-alive): the only way to load mock-oauth2-server's
# Netty server, which answers "connection: close"; Consentry is measured the same way for a fair ratio.
run_ab() { # name connections url bodyfile
  local name=$1 c=$2 url=$3 body=$4
  ab -q -n 1000 -c "$c" -p "$body" -T application/x-www-form-urlencoded "$url" >/dev/null 2>&1 || true
  ab -q -n 10000000 -t "${DURATION%s}" -c "$c" -p "$body" -T application/x-www-form-urlencoded "$url" >"$results/$name.txt" 2>&1 || true
  local rps p50 p99
  rps=$(sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p' "$results/$name.txt")
  p50=$(awk '$1=="50%"{print $2 "ms"}' "$results/$name.txt")
  p99=$(awk '$1=="99%"{print $2 "ms"}' "$results/$name.txt")
  echo "$name ${rps:-0} ${p50:-n/a} ${p99:-n/a}"
}
sed -n 's/^wrk.body = "\(.*\)"/\1/p' "$work/token.lua" | tr -d '\n' >"$work/token.body"
consentry_ab16=$(run_ab consentry-token-ab-c16 16 "$base/$tenant/oauth2/v2.0/token" "$work/token.body")
consentry_ab64=$(run_ab consentry-token-ab-c64 64 "$base/$tenant/oauth2/v2.0/token" "$work/token.body")
consentry16=$(run_wrk consentry-token-c16 16 "$base/$tenant/oauth2/v2.0/token" "$work/token.lua")
consentry64=$(run_wrk consentry-token-c64 64 "$base/$tenant/oauth2/v2.0/token" "$work/token.lua")
# The bare route and the routes measured against it alternate at each connection count, so that a change in how busy
# the shared cores are touches both sides of a ratio alike.
hello16=$(run_wrk consentry-health-c16 16 "$base/consentry/health")
jwks16=$(run_wrk consentry-jwks-c16 16 "$base/$tenant/discovery/v2.0/keys")
discovery16=$(run_wrk consentry-discovery-c16 16 "$base/$tenant/v2.0/.well-known/openid-configuration")
hello=$(run_wrk consentry-health-c64 64 "$base/consentry/health")
jwks=$(run_wrk consentry-jwks-c64 64 "$base/$tenant/discovery/v2.0/keys")
discovery=$(run_wrk consentry-discovery-c64 64 "$base/$tenant/v2.0/.well-known/openid-configuration")

# ---- Graph: an authorized GET /v1.0/me with one delegated token (a client reuses its token for an hour) ------
adele=adele@contoso.onmicrosoft.com
adele_password=$(echo "$banner" | sed -n 's/.*"userPrincipalName":"adele@contoso.onmicrosoft.com","displayName":"[^"]*","roles":"[^"]*","password":"\([^"]*\)".*/\1/p')
me_token=$(curl -sf --cacert "$data/ca.pem" "$base/$tenant/oauth2/v2.0/token" --data-urlencode grant_type=password \
  --data-urlencode client_id=d0a1b2c3-0005-4f60-8a7b-9c0d1e2f3a4b --data-urlencode "username=$adele" \
  --data-urlencode "password=$adele_password" --data-urlencode scope=User.Read | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$me_token" ] || { echo "bench: no delegated token for Adele" >&2; exit 1; }
cat >"$work/me.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $me_token"
LUA
# The Graph routes run more code than the bare route, which the JIT compiles over several seconds: 10 s of warm-up.
# The bare route is measured again with the same Authorization header, which Jetty parses on every request (about
# 1.5 KB), so that the second ratio shows what Consentry itself adds.
me=$(run_wrk consentry-graph-me-c64 64 "$base/v1.0/me" "$work/me.lua" 10s)
hello_bearer=$(run_wrk consentry-health-bearer-c64 64 "$base/consentry/health" "$work/me.lua")
# GET /v1.0/users/{id}: the daemon's app-only token (User.Read.All) reading Adele by object id.
adele_id=$(curl -sf --cacert "$data/ca.pem" -H "Authorization: Bearer $me_token" "$base/v1.0/me" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
app_token=$(curl -sf --cacert "$data/ca.pem" "$base/$tenant/oauth2/v2.0/token" -d @<(sed -n 's/^wrk.body = "\(.*\)"/\1/p' "$work/token.lua") \
  | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$adele_id" ] && [ -n "$app_token" ] || { echo "bench: no user id or app token for /users/{id}" >&2; exit 1; }
cat >"$work/app.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $app_token"
LUA
hello_again=$(run_wrk consentry-health-c64-again 64 "$base/consentry/health")
user_by_id=$(run_wrk consentry-graph-user-c64 64 "$base/v1.0/users/$adele_id" "$work/app.lua" 10s)
rss_load_kb=$(ps -o rss= -p "$server_pid" | tr -d ' ')

# ---- user sign-in: authorization code round trips, then refresh grants ----------------------------------
# SignInLoad: 16 workers (threads), each signing the demo user in with a new browser (empty cookie jar) per
# round trip over its one keep-alive connection, then redeeming its rotating refresh token; per phase 3 s
# of warm-up and $DURATION measured, with the server's CPU; then one worker alone for 5 s and one PBKDF2
# check timed in its own JVM. It runs after the token loads because it fills the store with sessions, codes
# and refresh tokens. Any unexpected answer fails the script.
"$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$bench_cp" dev.consentry.benchmarks.SignInLoad \
  --base-url "$base" --ca "$data/ca.pem" --credentials "$data/demo-credentials.json" \
  --user adele@contoso.onmicrosoft.com --workers 16 --warmup 3s --duration "$DURATION" --server-pid "$server_pid" \
  >"$results/signin.txt" 2>"$results/signin.err" \
  || { cat "$results/signin.err" >&2; echo "bench: the sign-in load got unexpected answers (above)" >&2; exit 1; }
tail -1 "$results/signin.txt" >"$results/signin.json"
signin=$(grep -v '^{' "$results/signin.txt")
stop_server
rss_peak_kb=$(sort -n "$work/rss.txt" | tail -1 | tr -d ' ')

# ---- navikt mock-oauth2-server, same load ----------------------------------------------------------
mkdir -p "$work/mock"
cat >"$work/mock/pom.xml" <<'POM'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>mock</artifactId><version>1</version>
  <dependencies><dependency><groupId>no.nav.security</groupId><artifactId>mock-oauth2-server</artifactId><version>6.0.2</version></dependency></dependencies>
</project>
POM
(cd "$work/mock" && mvn -B -q dependency:copy-dependencies -DoutputDirectory=lib >/dev/null)
SERVER_PORT=$MOCK_PORT JSON_CONFIG='{"interactiveLogin":false,"httpServer":{"type":"NettyWrapper","ssl":{}}}' \
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$work/mock/lib/*" no.nav.security.mock.oauth2.StandaloneMockOAuth2ServerKt \
  >"$results/mock-oauth2-server.log" 2>&1 &
mock_pid=$!
pids+=("$mock_pid")
mock="https://localhost:$MOCK_PORT"
for _ in $(seq 1 200); do curl -skf "$mock/default/.well-known/openid-configuration" >/dev/null 2>&1 && break; sleep 0.1; done
cat >"$work/mock.lua" <<'LUA'
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials&client_id=bench&client_secret=bench&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default"
LUA
curl -skf "$mock/default/token" -d "$(sed -n 's/^wrk.body = "\(.*\)"/\1/p' "$work/mock.lua")" >/dev/null \
  || { echo "bench: mock-oauth2-server did not issue a token" >&2; exit 1; }
sed -n 's/^wrk.body = "\(.*\)"/\1/p' "$work/mock.lua" | tr -d '\n' >"$work/mock.body"
mock16=$(run_ab mock-token-ab-c16 16 "$mock/default/token" "$work/mock.body")
mock64=$(run_ab mock-token-ab-c64 64 "$mock/default/token" "$work/mock.body")
kill "$mock_pid"; wait "$mock_pid" 2>/dev/null || true

# ---- the JUnit extension's in-process start (issue 14: 300 ms on a warm JVM) ------------------------------
extension_start=$("$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$bench_cp" dev.consentry.benchmarks.ExtensionStart 5 20 2>/dev/null \
  | grep '^extension start') || { echo "bench: the extension's start failed" >&2; exit 1; }

# ---- JMH --------------------------------------------------------------------------------------------
"$JAVA_HOME/bin/java" -cp "$bench_cp" \
  org.openjdk.jmh.Main -f 1 -wi 3 -w 2s -i 5 -r 2s -t 1 -rf json -rff "$results/jmh.json" 'TokenIssuance|GraphDecision' \
  >"$results/jmh.txt" 2>&1
# The score is the fourth field from the end (score, ±, error, unit), whether or not a benchmark of the run has
# parameters (which adds a column to every row).
jmh_raw=$(awk '/^TokenIssuanceBenchmark.rawRs256Sign/ {print $(NF-3)}' "$results/jmh.txt" | tail -1)
jmh_issue=$(awk '/^TokenIssuanceBenchmark.issueAppOnlyToken/ {print $(NF-3)}' "$results/jmh.txt" | tail -1)
# GraphDecisionBenchmark has a parameter (directory: small, large), in the second column.
graph_jmh() { awk -v b="GraphDecisionBenchmark.$1" -v d="$2" '$1==b && $2==d {print $(NF-3)}' "$results/jmh.txt" | tail -1; }
jmh_verify=$(graph_jmh rawRs256Verify small)
jmh_nimbus=$(graph_jmh nimbusDefaultJwtProcessor small)
jmh_decide=$(graph_jmh validateAndDecide small)
jmh_decide_large=$(graph_jmh validateAndDecide large)
jmh_refuse=$(graph_jmh validateAndRefuse small)
jmh_refuse_large=$(graph_jmh validateAndRefuse large)

# ---- summary -------------------------------------------------------------------------------------------
field() { echo "$1" | awk -v n="$2" '{print $n}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
{
  echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); $("$JAVA_HOME/bin/java" -version 2>&1 | head -1)"
  echo "start to ready: first start ${first} ms (fresh data dir: keys, CA, demo tenant), restart median ${restart} ms (target <= 1000)"
  echo "idle RSS: $((rss_kb / 1024)) MB (target <= 150); RSS after the token, JWKS, discovery and Graph loads: $((rss_load_kb / 1024)) MB, peak sampled each second $((rss_peak_kb / 1024)) MB (target <= 300)"
  printf '%-34s %10s %9s %9s\n' "load" "req/s" "p50" "p99"
  for line in "$consentry16" "$consentry64" "$consentry_ab16" "$consentry_ab64" "$mock16" "$mock64" "$hello16" "$jwks16" "$discovery16" "$hello" "$jwks" "$discovery" "$me" "$hello_bearer" "$hello_again" "$user_by_id"; do
    printf '%-34s %10s %9s %9s\n' $line
  done
  echo "tokens Consentry / mock-oauth2-server, both without keep-alive (ab): c16 $(ratio "$(field "$consentry_ab16" 2)" "$(field "$mock16" 2)"), c64 $(ratio "$(field "$consentry_ab64" 2)" "$(field "$mock64" 2)") (target >= 1.5)"
  echo "tokens Consentry with keep-alive (wrk) / mock-oauth2-server (it closes every connection): c16 $(ratio "$(field "$consentry16" 2)" "$(field "$mock16" 2)"), c64 $(ratio "$(field "$consentry64" 2)" "$(field "$mock64" 2)")"
  echo "$signin"
  echo "JWKS / hello: c16 $(ratio "$(field "$jwks16" 2)" "$(field "$hello16" 2)"), c64 $(ratio "$(field "$jwks" 2)" "$(field "$hello" 2)"); discovery / hello: c16 $(ratio "$(field "$discovery16" 2)" "$(field "$hello16" 2)"), c64 $(ratio "$(field "$discovery" 2)" "$(field "$hello" 2)") (target >= 0.8)"
  echo "GET /v1.0/me (authorized, one token) / hello, c64: $(ratio "$(field "$me" 2)" "$(field "$hello" 2)"); GET /v1.0/users/{id} (app token) / hello, c64: $(ratio "$(field "$user_by_id" 2)" "$(field "$hello_again" 2)") (target >= 0.7)"
  echo "GET /v1.0/me / hello with the same Authorization header, c64: $(ratio "$(field "$me" 2)" "$(field "$hello_bearer" 2)")"
  echo "tokens p99 at c16: wrk $(field "$consentry16" 4), ab $(field "$consentry_ab16" 4) (target <= 60 ms)"
  echo "$extension_start (target: 300 ms)"
  echo "JMH ops/s, one thread: raw RS256 sign $jmh_raw, Consentry app-only issuance $jmh_issue, ratio $(ratio "$jmh_issue" "$jmh_raw")"
  echo "JMH ops/s, one thread: raw RS256 verify $jmh_verify, Nimbus DefaultJWTProcessor $jmh_nimbus ($(ratio "$jmh_nimbus" "$jmh_verify")), Graph validate + decide $jmh_decide ($(ratio "$jmh_decide" "$jmh_verify"); target >= 0.8)"
  echo "JMH ops/s, one thread, 100,000 users and 10,000 apps / a small tenant: allowed $jmh_decide_large / $jmh_decide ($(ratio "$jmh_decide_large" "$jmh_decide")), refused $jmh_refuse_large / $jmh_refuse ($(ratio "$jmh_refuse_large" "$jmh_refuse")) (target >= 0.9)"
} | tee "$results/summary.txt"
