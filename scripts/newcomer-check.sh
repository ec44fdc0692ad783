#!/usr/bin/env bash
# A newcomer's first run, as the README tells it: in a fresh clone (after `npm ci`), `npm start`
# with no configuration; wait for /health; find the demo box in the log; sign in through the pages
# as the demo presenter with the link the log shows; see an upcoming meeting with free slots.
# Stops only the processes it started (by PID). PORT, if set, is used with a PUBLIC_URL to match
# (the default, 3000, is what a newcomer gets). Then starts once more: no build, /health within
# NEWCOMER_WARM_LIMIT seconds (10), and the box again. Usage: bash scripts/newcomer-check.sh
set -euo pipefail
cd "$(dirname "$0")/.."

port="${PORT:-3000}"
base="http://localhost:${port}"
presenter="dsl@riverside-academy.sch.uk"
work=$(mktemp -d)
log="$work/start.log"
jar="$work/cookies"
app_pid=""

# Every process under a PID (children first), so that npm's child node process is stopped too.
descendants() {
  local child
  for child in $(ps -o pid= --ppid "$1" 2>/dev/null); do
    descendants "$child"
    echo "$child"
  done
}
stop() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    for p in $(descendants "$app_pid") "$app_pid"; do kill -TERM "$p" 2>/dev/null || true; done
    wait "$app_pid" 2>/dev/null || true
  fi
  app_pid=""
}
fail() {
  echo "newcomer check FAILED: $*" >&2
  echo "--- the last lines of the log:" >&2
  tail -n 30 "$log" >&2 || true
  stop
  exit 1
}
trap 'stop; rm -rf "$work"' EXIT

if curl -fsS -o /dev/null "$base/health" 2>/dev/null; then
  echo "something already answers on $base; stop it or set PORT" >&2
  exit 1
fi

# Starts `npm start` (no configuration) and waits up to $1 s for /health and then for the demo box.
start_app() {
  : >"$log"
  local started
  started=$(date +%s.%N)
  if [ -n "${PORT:-}" ]; then
    PUBLIC_URL="$base" npm start >"$log" 2>&1 &
  else
    npm start >"$log" 2>&1 &
  fi
  app_pid=$!
  for _ in $(seq 1 $(($1 * 10))); do
    if curl -fsS -o /dev/null "$base/health" 2>/dev/null; then break; fi
    kill -0 "$app_pid" 2>/dev/null || fail "npm start exited before /health answered"
    sleep 0.1
  done
  curl -fsS -o /dev/null "$base/health" || fail "/health did not answer within $1 s"
  echo "/health answered after $(echo "$(date +%s.%N) - $started" | bc) s"
  # The box comes last at start-up, on every start while demo data is present.
  for _ in $(seq 1 100); do
    if grep -aq "Demo data" "$log"; then break; fi
    sleep 0.1
  done
  grep -aq "Demo data" "$log" || fail "no demo box in the log"
  grep -aq "$presenter" "$log" || fail "the demo box does not name the presenter $presenter"
}

echo "== npm start (no configuration; builds on a fresh clone)"
start_app 180

echo "== sign in through the pages as $presenter"
csrf_of() { grep -o 'name="_csrf" value="[^"]*"' | head -n 1 | sed 's/.*value="\([^"]*\)"/\1/'; }
page=$(curl -fsS -c "$jar" -b "$jar" -H 'Accept: text/html' "$base/sign-in") || fail "GET /sign-in"
csrf=$(printf '%s' "$page" | csrf_of)
[ -n "$csrf" ] || fail "the sign-in page has no CSRF field"
links_before=$(grep -ac "Mail to $presenter: .*sign-in link: " "$log" || true)
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -H 'Accept: text/html' \
  --data-urlencode "_csrf=$csrf" --data-urlencode "email=$presenter" "$base/sign-in")
[ "$status" = 303 ] || fail "POST /sign-in answered $status"

link=""
for _ in $(seq 1 100); do
  count=$(grep -ac "Mail to $presenter: .*sign-in link: " "$log" || true)
  if [ "$count" -gt "$links_before" ]; then
    link=$(grep -a "Mail to $presenter: .*sign-in link: " "$log" | tail -n 1 | sed 's/.*sign-in link: \([^ "]*\).*/\1/')
    break
  fi
  sleep 0.1
done
[ -n "$link" ] || fail "no sign-in link for $presenter in the log"
token="${link##*token=}"
page=$(curl -fsS -c "$jar" -b "$jar" -H 'Accept: text/html' "$base/sign-in/verify?token=$token") || fail "GET the sign-in link"
csrf=$(printf '%s' "$page" | csrf_of)
status=$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" -H 'Accept: text/html' \
  --data-urlencode "_csrf=$csrf" --data-urlencode "token=$token" "$base/sign-in/verify")
[ "$status" = 303 ] || fail "POST /sign-in/verify answered $status"

echo "== the presenter sees an upcoming meeting with free slots"
page=$(curl -fsS -b "$jar" -H 'Accept: text/html' "$base/meetings") || fail "GET /meetings"
printf '%s' "$page" | grep -q 'Upcoming meetings' || fail "/meetings is not the upcoming meetings page"
printf '%s' "$page" | grep -Eq 'href="/meetings/[0-9a-f-]{36}/book"' || fail "no meeting open for booking"
printf '%s' "$page" | tr -d '\n' | grep -Eq 'Free slots\s*</dt>\s*<dd[^>]*>\s*[1-9][0-9]*\s*</dd>' ||
  fail "no meeting with free slots"

stop

echo "== npm start again: no build, /health within ${NEWCOMER_WARM_LIMIT:-10} s, the box again"
start_app "${NEWCOMER_WARM_LIMIT:-10}"
grep -aiq "building the service" "$log" && fail "the second start built the service again"
stop
echo "newcomer check passed"
