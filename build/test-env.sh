# Sourced by build/test.sh and bench/run.sh: what the integration tests and the bench need around
# them. Defines `say`, installs redis-server when it is missing, and `test_env_start` creates a
# throw-away test CA (trusted through SSL_CERT_FILE, the system bundle kept), starts redis-server on a
# free loopback port and exports TEST_REDIS, TEST_CA_CERT, TEST_CA_KEY and SSL_CERT_FILE. An EXIT trap
# stops redis-server by PID and removes the work folder ($work).

say() { printf '==> %s\n' "$*" >&2; }

if ! command -v redis-server >/dev/null 2>&1; then
  say "installing redis-server"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi

work=$(mktemp -d)
redis_pid=""
test_env_cleanup() {
  if [ -n "$redis_pid" ] && kill -0 "$redis_pid" 2>/dev/null; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap test_env_cleanup EXIT

test_env_start() {
  say "creating a throw-away test CA"
  # The fakes' webhook signing certificate names this organization as its issuer.
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=TeamsAlertBot test CA/O=TeamsAlertBot tests" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$work/ca.key" -out "$work/ca.pem" 2>/dev/null
  # The system bundle stays trusted (restore needs it); the test CA is added for the loopback fakes.
  cat /etc/ssl/certs/ca-certificates.crt "$work/ca.pem" > "$work/bundle.pem" 2>/dev/null || cp "$work/ca.pem" "$work/bundle.pem"

  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
  say "starting redis-server on 127.0.0.1:$port"
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 50); do
    redis-cli -p "$port" ping >/dev/null 2>&1 && break
    sleep 0.1
  done

  export TEST_REDIS="127.0.0.1:$port"
  export TEST_CA_CERT="$work/ca.pem" TEST_CA_KEY="$work/ca.key" SSL_CERT_FILE="$work/bundle.pem"
}
