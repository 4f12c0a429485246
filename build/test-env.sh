# Sourced by build/test.sh and bench/run.sh: what the integration tests and the bench need around
# them. Defines `say`, installs redis-server and curl when they are missing, and `test_env_start` creates a
# throw-away test CA (trusted through SSL_CERT_FILE, the system bundle kept), starts redis-server on a
# free loopback port and exports TEST_REDIS, TEST_CA_CERT, TEST_CA_KEY and SSL_CERT_FILE.
# `test_env_start_topologies` (build/test.sh) adds the other Redis the product must run on: a Redis
# 6.0 stand-in (build/redis-6.0-standin.conf: the 6.2+ commands renamed away; TEST_REDIS_60) and a
# 3-shard Redis Cluster (TEST_REDIS_CLUSTER, its three nodes as a comma list). An EXIT trap stops every
# redis-server it started by PID and removes the work folder ($work).

say() { printf '==> %s\n' "$*" >&2; }

# redis-server for the tests and the bench; curl for the container image's probe check; Debian's
# chromium for the dashboard tab's browser tests (Playwright drives it; it downloads no browser).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
if [ "${#missing[@]}" -gt 0 ]; then
  say "installing ${missing[*]}"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

work=$(mktemp -d)
redis_pids=()
test_env_cleanup() {
  local pid
  for pid in "${redis_pids[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$work"
}
trap test_env_cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# A free port P whose cluster bus port (P + 10000) is free too, so P ≤ 55535.
free_cluster_port() {
  python3 -c '
import random, socket
def free(p):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); return True
    except OSError:
        return False
    finally:
        s.close()
while True:
    p = random.randint(20000, 55535)
    if free(p) and free(p + 10000):
        print(p); break'
}

# start_redis NAME PORT [redis-server options…]: starts one server in the background (log in
# $work/redis-NAME.log), remembers its PID for the EXIT trap, and waits until it answers.
start_redis() {
  local name=$1 port=$2
  shift 2
  redis-server "$@" --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/redis-$name.log" 2>&1 &
  redis_pids+=($!)
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "redis-server ($name) did not start on port $port:" >&2
  cat "$work/redis-$name.log" >&2
  return 1
}

test_env_start() {
  say "creating a throw-away test CA"
  # The fakes' webhook signing certificate names this organization as its issuer.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=TeamsAlertBot test CA/O=TeamsAlertBot tests" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  # The system bundle stays trusted (restore needs it); the test CA is added for the loopback fakes.
  cat /etc/ssl/certs/ca-certificates.crt "$work/ca.pem" > "$work/bundle.pem" 2>/dev/null || cp "$work/ca.pem" "$work/bundle.pem"

  local port
  port=$(free_port)
  say "starting redis-server on 127.0.0.1:$port"
  start_redis plain "$port"

  export TEST_REDIS="127.0.0.1:$port"
  export TEST_CA_CERT="$work/ca.pem" TEST_CA_KEY="$work/ca.key" SSL_CERT_FILE="$work/bundle.pem"
}

test_env_start_topologies() {
  local root port ports=() nodes=()
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  port=$(free_port)
  say "starting the Redis 6.0 stand-in (6.2+ commands renamed away) on 127.0.0.1:$port"
  start_redis 6.0 "$port" "$root/build/redis-6.0-standin.conf"
  export TEST_REDIS_60="127.0.0.1:$port"

  for _ in 1 2 3; do
    port=$(free_cluster_port)
    start_redis "cluster-$port" "$port" --cluster-enabled yes --cluster-config-file "$work/nodes-$port.conf" --dir "$work"
    ports+=("$port")
    nodes+=("127.0.0.1:$port")
  done
  say "creating a 3-shard Redis Cluster on ${nodes[*]}"
  redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >"$work/redis-cluster-create.log" 2>&1 \
    || { cat "$work/redis-cluster-create.log" >&2; return 1; }
  for port in "${ports[@]}"; do
    for attempt in $(seq 1 100); do
      redis-cli -p "$port" cluster info 2>/dev/null | grep -q '^cluster_state:ok' && break
      [ "$attempt" -eq 100 ] && { echo "Redis Cluster node $port never reached cluster_state:ok" >&2; return 1; }
      sleep 0.1
    done
  done
  TEST_REDIS_CLUSTER=$(IFS=,; echo "${nodes[*]}")
  export TEST_REDIS_CLUSTER
}
