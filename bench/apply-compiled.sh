#!/usr/bin/env bash
# The user-facing apply: the built server (dist/) and the built CLI as separate processes, one manifest of N triggers
# and a Broker; prints when `cemesh apply -f` returned and when every trigger was Ready, and the CPU of both.
# Usage: bash bench/apply-compiled.sh [triggers] [memory|embedded]   (SERVER_FLAGS: node flags for the server)
set -euo pipefail
cd "$(dirname "$0")/.."
node node_modules/typescript/bin/tsc -p tsconfig.bench.json
DIR=$(mktemp -d); N=${1:-10000}
node -e "
const n=+process.argv[1]; const out=['apiVersion: eventing.knative.dev/v1\nkind: Broker\nmetadata:\n  name: default\n  namespace: default'];
for (let i=0;i<n;i++) out.push('apiVersion: eventing.knative.dev/v1\nkind: Trigger\nmetadata:\n  name: t'+i+'\n  namespace: default\nspec:\n  broker: default\n  filters:\n    - exact:\n        type: bench.type.'+i+'\n  subscriber:\n    uri: http://127.0.0.1:9/');
require('fs').writeFileSync(process.argv[2], out.join('\n---\n')+'\n');" $N $DIR/t.yaml
node ${SERVER_FLAGS:-} dist/src/server/bin.js serve --port 0 --admin-port 0 --gateway-port 0 --data-dir $DIR/data --backend ${2:-memory} > $DIR/out.log 2>&1 &
PID=$!
for i in $(seq 50); do grep -q "ready" $DIR/out.log && break; sleep 0.2; done
ADMIN=$(grep -o 'admin=[^ ]*' $DIR/out.log | head -1 | cut -d= -f2); TOKEN=$(cat $DIR/data/admin.token)
T0=$(date +%s.%N); C0=$(awk '{print $14+$15}' /proc/$PID/stat)
/usr/bin/time -f "cli: %e s wall, %U+%S s CPU" node dist/src/server/bin.js apply -f $DIR/t.yaml --server $ADMIN --token $TOKEN > $DIR/apply.out
T1=$(date +%s.%N)
while :; do R=$(curl -s -H "authorization: Bearer $TOKEN" "$ADMIN/apis/eventing.knative.dev/v1/namespaces/default/triggers" | node -e "let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{const l=JSON.parse(s);console.log(l.items.filter(t=>t.status?.conditions?.some(c=>c.type==='Ready'&&c.status==='True')).length)})"); [ "$R" -ge "$N" ] && break; sleep 0.05; done
T2=$(date +%s.%N); C1=$(awk '{print $14+$15}' /proc/$PID/stat)
echo "apply returned after $(echo "$T1 - $T0" | bc) s; all $N Ready after $(echo "$T2 - $T0" | bc) s; server CPU $(echo "scale=2; ($C1 - $C0) / $(getconf CLK_TCK)" | bc) s; $(sort $DIR/apply.out | awk '{print $NF}' | uniq -c | tr '\n' ' ')"
kill $PID; wait $PID 2>/dev/null || true; rm -rf $DIR
