#!/usr/bin/env bash
# A real-terminal check of the dashboard: starts the built CLI inside tmux (80x24), reads the screen,
# presses keys, and verifies with curl that the faults, token policy and responses changed as the
# screen says. Prints a PASS/FAIL line per check and a summary; cleans up after itself.
#
#   scripts/tmux-check.sh               build, then check
#   scripts/tmux-check.sh --no-build    check the dist/ already there
#   scripts/tmux-check.sh --write-docs  also save the screen captures to docs/dashboard.txt
#
# Needs tmux, curl, jq and node. Binds 127.0.0.1 only; every wait is bounded.
set -uo pipefail

cd "$(dirname "$0")/.."
BUILD=1
WRITE_DOCS=0
for arg in "$@"; do
  case "$arg" in
    --no-build) BUILD=0 ;;
    --write-docs) WRITE_DOCS=1 ;;
    *) echo "unknown option $arg" >&2; exit 2 ;;
  esac
done
for tool in tmux curl jq node; do
  command -v "$tool" >/dev/null || { echo "FAIL: $tool is not installed (apt-get install $tool)"; exit 1; }
done

# Own tmux server (socket) so nothing here can touch anyone else's sessions.
SOCKET="patients-sandbox-check-$$"
SESSION=dashboard
WORK="$(mktemp -d)"
PASSED=0
FAILED=0
tmx() { tmux -L "$SOCKET" "$@"; }
cleanup() {
  tmx kill-server 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

pass() { PASSED=$((PASSED + 1)); echo "PASS  $1"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL  $1"; [ -n "${2:-}" ] && echo "$2" | sed 's/^/      /'; }
check() { if eval "$2"; then pass "$1"; else fail "$1" "${3:-}"; fi; }
screen() { tmx capture-pane -p -t "$SESSION"; }
press() { tmx send-keys -t "$SESSION" "$@"; sleep 0.4; }
# Wait (up to $2 seconds) until the screen matches the extended regex $1.
wait_screen() {
  local deadline=$((SECONDS + $2))
  while [ $SECONDS -lt $deadline ]; do
    screen | grep -Eq -- "$1" && return 0
    sleep 0.2
  done
  return 1
}
# Widest line on screen in characters (awk would count bytes of "•" and "…").
widest() { screen | node -e 'let t="";process.stdin.on("data",d=>t+=d).on("end",()=>console.log(Math.max(0,...t.split("\n").map(l=>[...l].length))))'; }
capture() { { echo "\$ $1"; echo; screen; echo; } >>"$WORK/captures.txt"; }

if [ $BUILD -eq 1 ]; then
  # Type errors elsewhere in a shared tree still emit JavaScript; the checks below judge what runs.
  npm run build >"$WORK/build.log" 2>&1 || echo "note: the build reported errors (see below); checking the JavaScript it emitted" && grep -m5 'error TS' "$WORK/build.log"
fi
[ -f dist/cli.js ] || { echo "FAIL: dist/cli.js missing (npm run build)"; exit 1; }

free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT="$(free_port)"
ORIGIN="http://127.0.0.1:$PORT"
NORTHSIDE=3f8e2a10-5b7c-4d21-9e6a-0c1b2d3e4f50
RIVERSIDE=7a1c9d42-2e3f-4b5a-8c6d-1e2f3a4b5c60

tmx new-session -d -s "$SESSION" -x 80 -y 24 "node dist/cli.js --host 127.0.0.1 --port $PORT --simulate-client 2>$WORK/stderr.txt; echo \$? >$WORK/exit-code; sleep 30"

deadline=$((SECONDS + 90))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "$ORIGIN/healthz")" = 200 ] || [ $SECONDS -ge $deadline ]; do sleep 0.5; done
check "sandbox is up and seeded on $ORIGIN" '[ "$(curl -s -o /dev/null -w "%{http_code}" "$ORIGIN/healthz")" = 200 ]' "$(cat "$WORK/stderr.txt" 2>/dev/null)"

check "dashboard shows base URLs, token URL and tenants" 'wait_screen "token $ORIGIN/oauth2/token" 10 && screen | grep -q "FHIR $ORIGIN/fhir/ + dstu2 · stu3 · r4" && screen | grep -q "Northside" && screen | grep -q "e8f9a0b1 R4"' "$(screen)"
check "secret is masked" 'screen | grep -q "creds demo-client:••••••••"' "$(screen)"
check "frame fits 80x24 (no line wider than 80, at most 24 lines)" '[ "$(widest)" -le 80 ] && [ "$(screen | wc -l)" -le 24 ]' "$(screen)"
check "demo client traffic shows in the log" 'wait_screen "sim +3f8e2a10 (got a token|opened )" 20' "$(screen)"
check "first frame drawn from the top row (no blank block above it)" '[ "$(screen | head -1 | cut -c1-16)" = "patients-sandbox" ]' "$(screen)"
check "fills the height: the key bar is at the bottom" '[ "$(screen | sed -n 23p | grep -c "q quit")" = 1 ]' "$(screen)"
check "admin URL and a curl hint on screen" 'screen | grep -q "admin $ORIGIN/admin/tenants  try curl -s $ORIGIN/"' "$(screen)"
check "P50/P95 window labelled" 'screen | grep -Eq "last 60 s: +P50 +P95"' "$(screen)"
check "ready once every tenant is seeded" 'wait_screen "^ready$" 10' "$(screen)"
check "the demo client names the patient it opened" 'wait_screen "sim +[0-9a-f]{8} opened [A-Z][^ ]* [^ ]+ \\(Patient/" 20' "$(screen)"
capture "patients-sandbox --simulate-client   (80x24, just started)"

token() {
  curl -s -d grant_type=client_credentials -d client_id=demo-client -d client_secret=demo-secret-change-me -d "scope=$1" "$ORIGIN/oauth2/token" | jq -r .access_token
}
fault_rule() { curl -s "$ORIGIN/admin/faults" | jq -c --arg name "$1" '.rules[] | select(.name == $name)'; }
search_status() {
  curl -s -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $(token "$1")" -H 'Accept: application/fhir+json' --data '_count=1' "$ORIGIN/fhir/stu3/Patient/_search"
}

press e
check "e: error rule dash-error-3f8e2a10 (503) in /admin/faults" '[ "$(fault_rule dash-error-3f8e2a10 | jq -r .effect.error.status)" = 503 ]' "$(fault_rule dash-error-3f8e2a10)"
check "e: Northside searches now answer 503" '[ "$(search_status $NORTHSIDE)" = 503 ]'
check "e: Riverside is unaffected (200)" '[ "$(search_status $RIVERSIDE)" = 200 ]'
check "e: screen shows err 503 on the tenant" 'wait_screen "Northside.*err 503" 3' "$(screen)"
press e
check "e again: 429 in /admin/faults and in responses" '[ "$(fault_rule dash-error-3f8e2a10 | jq -r .effect.error.status)" = 429 ] && [ "$(search_status $NORTHSIDE)" = 429 ]'
wait_screen "sim +3f8e2a10 .*(retry|gave up)" 15
capture "after e, e: Northside answers 429; the demo client retries and gives up"
press e; press e; press e
check "e cycled back to none: rule removed, Northside answers 200" '[ -z "$(fault_rule dash-error-3f8e2a10)" ] && [ "$(search_status $NORTHSIDE)" = 200 ]'

press l
check "l: latency rule dash-latency-3f8e2a10 (fixed 200 ms) in /admin/faults" '[ "$(fault_rule dash-latency-3f8e2a10 | jq -c .effect.latency)" = "{\"distribution\":\"fixed\",\"ms\":200}" ]'
TOKEN="$(token $NORTHSIDE)"
SLOW="$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" -H 'Accept: application/fhir+json' "$ORIGIN/fhir/stu3/Patient?_count=1")"
check "l: a Northside request now takes ≥ 200 ms (took ${SLOW}s)" 'awk "BEGIN { exit !($SLOW >= 0.2) }"'
press l; press l; press l
check "l cycled back to none" '[ -z "$(fault_rule dash-latency-3f8e2a10)" ]'

press t
check "t: token lifetime 300 s in /admin/tokens" '[ "$(curl -s "$ORIGIN/admin/tokens" | jq .lifetimeSeconds)" = 300 ]'
press t; press t
check "t, t: token lifetime 5 s" '[ "$(curl -s "$ORIGIN/admin/tokens" | jq .lifetimeSeconds)" = 5 ] && [ "$(curl -s -d grant_type=client_credentials -d client_id=demo-client -d client_secret=demo-secret-change-me -d scope=$NORTHSIDE "$ORIGIN/oauth2/token" | jq .expires_in)" = 5 ]'
press x
check "x: every token refused (401 with the token fetched before)" '[ "$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $TOKEN" -H "Accept: application/fhir+json" "$ORIGIN/fhir/stu3/Patient?_count=1")" = 401 ]'
check "demo client refreshes its token and carries on" 'wait_screen "sim .*token refreshed" 20 && wait_screen "sim .*opened .*\\(Patient/" 20' "$(screen)"
curl -s -o /dev/null "$ORIGIN/fhir/stu3/Patient"
check "401s without a tenant are counted on screen" 'wait_screen "401 without tenant: [1-9]" 3' "$(screen)"
capture "after t, t, t (5 s tokens) and x (expire all): the demo client refreshes its token"
press t

KID_BEFORE="$(curl -s "$ORIGIN/admin/tokens" | jq -r .signingKeyId)"
press k
sleep 0.5
check "k: signing key rotated in /admin/tokens" '[ "$(curl -s "$ORIGIN/admin/tokens" | jq -r .signingKeyId)" != "$KID_BEFORE" ]'

press Down
PRESETS="$(curl -s "$ORIGIN/admin/faults" | jq -r '.presets[].name')"
OUTAGE_AT="$(echo "$PRESETS" | grep -n '^tenant-outage$' | cut -d: -f1)"
for _ in $(seq "$OUTAGE_AT"); do press p; done
check "p: preset tenant-outage chosen" 'wait_screen "preset tenant-outage \(enter" 3' "$(screen)"
press Enter
check "enter: tenant-outage rule for Riverside in /admin/faults" '[ -n "$(fault_rule "tenant-outage/$RIVERSIDE")" ]' "$(curl -s "$ORIGIN/admin/faults" | jq -c '.rules[].name')"
check "enter: Riverside searches answer 503, Northside 200" '[ "$(search_status $RIVERSIDE)" = 503 ] && [ "$(search_status $NORTHSIDE)" = 200 ]'
check "screen shows the outage on Riverside" 'wait_screen "Riverside.*tenant-outage" 3' "$(screen)"
capture "after ↓, p×$OUTAGE_AT, enter: tenant-outage on Riverside"

press s
check "s: secret shown" 'wait_screen "creds demo-client:demo-secret-change-me" 3' "$(screen)"
press s

press '?'
check "?: help lists every key" 'wait_screen "Keys \(\? closes\)" 3 && screen | grep -q "expire every token issued so far"' "$(screen)"
capture "? (help)"
press '?'

tmx resize-window -t "$SESSION" -x 120 -y 32
sleep 0.6
check "grows with the window (120x32: lines up to 120 wide, more log lines)" 'wait_screen "P50" 3 && [ "$(widest)" -gt 80 ] && [ "$(widest)" -le 120 ] && [ "$(screen | grep -Ec "^[0-9]{2}:[0-9]{2}:[0-9]{2} ")" -gt 10 ]' "$(screen)"
capture "the same, resized to 120x32"

press Space
check "space: log paused" 'wait_screen "PAUSED" 3' "$(screen)"
press Space
press c
check "c: log cleared in /admin/requests too" '[ "$(curl -s "$ORIGIN/admin/requests?limit=500" | jq "[.[] | select(.path != \"/admin/requests\")] | length")" -le 8 ]'

press q
deadline=$((SECONDS + 20))
until [ -f "$WORK/exit-code" ] || [ $SECONDS -ge $deadline ]; do sleep 0.2; done
check "q: the sandbox shut down gracefully (exit code 0)" '[ "$(cat "$WORK/exit-code" 2>/dev/null)" = 0 ]' "$(cat "$WORK/stderr.txt" 2>/dev/null)"
check "q: stopped gracefully without claiming a SIGINT arrived" 'grep -q "stopping, finishing in-flight requests" "$WORK/stderr.txt" && ! grep -q "SIGINT received" "$WORK/stderr.txt"' "$(cat "$WORK/stderr.txt" 2>/dev/null)"
check "terminal restored: the banner is back on the normal screen" 'screen | grep -q "Token URL"' "$(screen)"
check "port released" '! curl -s -o /dev/null --max-time 2 "$ORIGIN/healthz"'

# Colour codes in a capture with attributes: 30–37, 90–97 foreground, 38;… extended.
colour_codes() { tmx capture-pane -e -p -t "$1" | grep -cE $'\e\\[([0-9;]*;)?(3[0-7]|9[0-7]|38)(;[0-9;]*)?m'; }
tmx new-session -d -s colours -x 80 -y 24 "node dist/cli.js --host 127.0.0.1 --port $(free_port) 2>/dev/null"
tmx new-session -d -s no-colour -x 80 -y 24 "NO_COLOR=1 node dist/cli.js --host 127.0.0.1 --port $(free_port) 2>/dev/null"
deadline=$((SECONDS + 30))
# "req/s" is on the dashboard's header only: the banner printed before it also lists the tenants.
until { tmx capture-pane -p -t colours | grep -q req/s && tmx capture-pane -p -t no-colour | grep -q req/s; } || [ $SECONDS -ge $deadline ]; do sleep 0.3; done
check "colours on a normal terminal" '[ "$(colour_codes colours)" -gt 0 ]'
check "NO_COLOR=1: same screen, no colour codes (bold and inverse only)" 'tmx capture-pane -p -t no-colour | grep -q "Tenants" && [ "$(colour_codes no-colour)" = 0 ]' "$(tmx capture-pane -e -p -t no-colour | cat -v | head -5)"
tmx send-keys -t colours q
tmx send-keys -t no-colour q
deadline=$((SECONDS + 20))
while { tmx has-session -t colours || tmx has-session -t no-colour; } 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done

if [ $WRITE_DOCS -eq 1 ]; then
  mkdir -p docs
  {
    echo "# patients-sandbox dashboard: text captures"
    echo
    echo "Captured with tmux capture-pane by scripts/tmux-check.sh --write-docs (colours are not captured)."
    echo
    cat "$WORK/captures.txt"
  } >docs/dashboard.txt
  echo "wrote docs/dashboard.txt"
fi

echo
echo "tmux check: $PASSED passed, $FAILED failed"
[ $FAILED -eq 0 ] && echo "PASS" || echo "FAIL"
[ $FAILED -eq 0 ]
