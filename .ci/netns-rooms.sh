#!/usr/bin/env bash
# Rooms across real hosts: five console peers, each in its own network namespace with its own
# address in 198.18.0.0/15 (the range set aside for network tests), joined by veth pairs to a
# bridge that lives in a sixth namespace, so nothing here touches the host's own network or sends
# anything outside these namespaces. The peers form a room through one another; each publishes
# while all are up; one namespace's link goes down for longer than the failure time and comes
# back. The script checks that every peer got every message published while all were up, that
# the others reported the cut-off peer unreachable and then joined again, and that all five
# membership views agree at the end. It removes everything it made, on failure too.
#
#   bash .ci/netns-rooms.sh [path/to/p2pchat-chat.jar]      (as root; CI runs it from .ci/run)
#
# Without root or `ip netns`, it says so and skips, loudly, with exit code 0.
set -euo pipefail

jar="${1:-$(cd "$(dirname "$0")/.." && pwd)/p2pchat-examples/target/p2pchat-chat.jar}"
peers=5
failure_timeout=4s        # p2pchat.roomFailureTimeout for this run
down_seconds=9            # longer than the failure timeout
deadline_seconds=90       # for each thing waited for

skip() {
  echo "" >&2
  echo "################################################################################" >&2
  echo "## SKIPPED: the multi-host room test (.ci/netns-rooms.sh): $*" >&2
  echo "################################################################################" >&2
  exit 0
}

[ -f "$jar" ] || { echo "error: no console jar at $jar (run mvn verify first)" >&2; exit 1; }
[ "$(id -u)" = 0 ] || skip "it needs root to make network namespaces"
command -v ip >/dev/null 2>&1 || skip "the ip command (iproute2) is not installed"
tag="p2p$$"
ip netns add "${tag}probe" 2>/dev/null || skip "ip netns is unavailable here"
ip netns del "${tag}probe"

work=$(mktemp -d)
hub="${tag}hub"
pids=()

cleanup() {
  local status=$?
  for fd in "${fds[@]:-}"; do
    [ -n "$fd" ] && eval "exec ${fd}>&-" 2>/dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]:-}"; do
    [ -n "$pid" ] && wait "$pid" 2>/dev/null || true
  done
  for i in $(seq 1 "$peers"); do
    ip netns del "${tag}n$i" 2>/dev/null || true
  done
  ip netns del "$hub" 2>/dev/null || true
  if [ "$status" != 0 ]; then
    echo "netns-rooms: FAILED; each peer's screen follows" >&2
    for i in $(seq 1 "$peers"); do
      echo "----- peer$i (198.18.0.$i) -----" >&2
      cat "$work/out$i" >&2 2>/dev/null || true
    done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT

fail() {
  echo "netns-rooms: $*" >&2
  exit 1
}

# Polls a condition until the deadline; never sleeps for a fixed wait.
await() {
  local what="$1"
  shift
  local until=$((SECONDS + deadline_seconds))
  until "$@"; do
    [ "$SECONDS" -lt "$until" ] || fail "gave up after ${deadline_seconds}s waiting for: $what"
    sleep 0.2
  done
}

# --- the network: a bridge in its own namespace, one veth pair per peer ---
ip netns add "$hub"
ip -n "$hub" link add br0 type bridge
ip -n "$hub" link set br0 up
for i in $(seq 1 "$peers"); do
  ns="${tag}n$i"
  ip netns add "$ns"
  ip link add "h$i" netns "$hub" type veth peer name "e$i" netns "$ns"
  ip -n "$hub" link set "h$i" master br0
  ip -n "$hub" link set "h$i" up
  ip -n "$ns" link set lo up
  ip -n "$ns" addr add "198.18.0.$i/24" dev "e$i"
  ip -n "$ns" link set "e$i" up
done

# --- the peers: peer1 opens #general, peer i joins through peer i-1 ---
fds=()
start_peer() {
  local i="$1"
  shift
  mkfifo "$work/in$i"
  ip netns exec "${tag}n$i" java -Dp2pchat.roomFailureTimeout="$failure_timeout" \
      -Dp2pchat.roomDigestInterval=500ms -Dp2pchat.connectTimeout=2s \
      -Dp2pchat.maxReconnectDelay=500ms -Dp2pchat.maxHandshakeRetryDelay=2s \
      -jar "$jar" "peer$i" --listen "198.18.0.$i:7001" --state-dir "$work/state$i" "$@" \
      < "$work/in$i" > "$work/out$i" 2>&1 &
  pids+=("$!")
  local fd
  exec {fd}>"$work/in$i"
  fds[$i]=$fd
}
say() {
  echo "$2" >&"${fds[$1]}"
}
printed() {
  grep -qF -- "$2" "$work/out$1"
}
printed_times() {
  [ "$(grep -cF -- "$2" "$work/out$1" || true)" -ge "$3" ]
}

start_peer 1
await "peer1 listening" printed 1 "peer1 listening on 198.18.0.1:7001"
for i in $(seq 2 "$peers"); do
  start_peer "$i" --join "198.18.0.$((i - 1)):7001"
  await "peer$i joined #general" printed "$i" "* you joined #general"
done
for i in $(seq 1 $((peers - 1))); do
  await "peer$i saw peer$peers join" printed "$i" "* peer$peers joined #general"
done

# --- everyone publishes while all are up ---
for k in 1 2 3 4 5; do
  for i in $(seq 1 "$peers"); do
    say "$i" "m$i-$k"
  done
done
all_messages() {
  local j="$1" i k
  for i in $(seq 1 "$peers"); do
    [ "$i" = "$j" ] && continue
    for k in 1 2 3 4 5; do
      grep -qxF "[#general] peer$i: m$i-$k" "$work/out$j" || return 1
    done
  done
}
for j in $(seq 1 "$peers"); do
  await "peer$j has every other peer's messages" all_messages "$j"
done
for j in $(seq 1 "$peers"); do
  for i in $(seq 1 "$peers"); do
    [ "$i" = "$j" ] && continue
    for k in 1 2 3 4 5; do
      n=$(grep -cxF "[#general] peer$i: m$i-$k" "$work/out$j" || true)
      [ "$n" = 1 ] || fail "peer$j printed m$i-$k $n times; expected once"
    done
  done
done
echo "netns-rooms: 5 peers in 5 namespaces; each has the other 20 messages exactly once"

# --- peer3's link goes down for longer than the failure time, then comes back ---
ip -n "${tag}n3" link set e3 down
for i in 1 2 4 5; do
  await "peer$i reports peer3 unreachable" printed "$i" "* peer3 is unreachable (#general)"
done
deadline_down=$((SECONDS + down_seconds))
while [ "$SECONDS" -lt "$deadline_down" ]; do sleep 0.5; done
ip -n "${tag}n3" link set e3 up
for i in 1 2 4 5; do
  await "peer$i sees peer3 again" printed "$i" "* peer3 is reachable again (#general)"
done
for i in 1 2 4 5; do
  await "peer3 sees peer$i again" printed 3 "* peer$i is reachable again (#general)"
done
echo "netns-rooms: peer3 was reported unreachable while its link was down, and joined again"

# --- the views agree ---
members_of() {
  # The member lines of the last /members listing: name, address and key, not the state.
  awk '/^  #general \(open\), [0-9]+ members?:$/ {n = NR; delete lines; c = 0; next}
       n && NR > n && /^  [^ #]/ {lines[c++] = $1 " " $2 " " $4; next}
       n && NR > n {n = 0}
       END {for (i = 0; i < c; i++) print lines[i]}' "$work/out$1" | sort
}
for i in $(seq 1 "$peers"); do
  say "$i" "/members general"
done
view_of_five() {
  [ "$(members_of "$1" | wc -l)" = "$peers" ] && [ "$(members_of "$1" | sort | uniq | wc -l)" = "$peers" ]
}
views_agree() {
  local first
  first=$(members_of 1)
  for i in $(seq 2 "$peers"); do
    [ "$(members_of "$i")" = "$first" ] || return 1
  done
}
for i in $(seq 1 "$peers"); do
  await "peer$i lists five members" view_of_five "$i"
done
refresh_and_compare() {
  views_agree && return 0
  for i in $(seq 1 "$peers"); do say "$i" "/members general"; done
  return 1
}
await "all five views agree" refresh_and_compare
echo "netns-rooms: all five membership views agree:"
members_of 1 | sed 's/^/  /'

for i in $(seq 1 "$peers"); do
  say "$i" ":q"
done
for pid in "${pids[@]}"; do
  wait "$pid" || true
done
pids=()
echo "netns-rooms: passed"
