#!/usr/bin/env bash
# Conditional access's cost at token issuance, for docs/performance.md: SignInLoad (sign-in round trips and refresh
# grants, 16 workers) against the demo tenant without policies, then with ten enabled policies that apply to every user
# and app and are met, alternated twice, each on a fresh data dir (about 5 minutes).
# Usage: bash benchmarks/conditional-access.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./consentry build >/dev/null
JAVA_HOME="$(./consentry java-home)"; export JAVA_HOME
mvn -B -q -DskipTests package -pl benchmarks -am >/dev/null
bench_cp="benchmarks/target/consentry-benchmarks-0.1.0-SNAPSHOT.jar:benchmarks/target/lib/*"
work=$(mktemp -d); PORT=18543
run() {
  data="$work/data.$RANDOM"
  ./consentry serve --data-dir "$data" --port $PORT --output json >"$work/serve.out" 2>"$work/serve.err" &
  pid=$!
  until grep -q '"ready":true' "$work/serve.out" 2>/dev/null; do kill -0 $pid || { cat "$work/serve.err"; exit 1; }; sleep 0.05; done
  if [ -n "${1:-}" ]; then ./consentry tenant import "$1" --data-dir "$data" >/dev/null; fi
  "$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$bench_cp" dev.consentry.benchmarks.SignInLoad \
    --base-url "https://localhost:$PORT" --ca "$data/ca.pem" --credentials "${creds:-$data/demo-credentials.json}" \
    --user adele@contoso.onmicrosoft.com --workers 16 --warmup 3s --duration 8s --server-pid $pid | grep -v '^{'
  kill $pid; wait $pid 2>/dev/null || true
}
echo "== no policies"; run
./consentry tenant export --data-dir "$data" > "$work/t.json"
cp "$data/demo-credentials.json" "$work/creds.json"
python3 - "$work/t.json" <<'PY'
import json,sys,uuid
p=sys.argv[1]; d=json.load(open(p))
for t in d["tenants"]:
    if "contoso" in json.dumps(t.get("verifiedDomains","")):
        t["conditionalAccessPolicies"]=[{"id":str(uuid.uuid4()),"displayName":"Policy %d"%i,"state":"enabled",
          "conditions":{"users":{"includeUsers":["All"],"excludeUsers":[]},"applications":{"includeApplications":["All"]},"clientAppTypes":["all"]},
          "sessionControls":{"signInFrequency":{"value":12,"type":"hours","isEnabled":True}}} for i in range(10)]
        # Enabled, applying to every user and app, and met: no grant control (a session control only), so every token
        # issuance evaluates all ten fully and none refuses.
json.dump(d,open(p,"w"))
PY
echo "== 10 policies"; creds="$work/creds.json" run "$work/t.json"
echo "== no policies, again"; run
echo "== 10 policies, again"; creds="$work/creds.json" run "$work/t.json"
rm -rf "$work"
