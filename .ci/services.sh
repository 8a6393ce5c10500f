#!/usr/bin/env bash
# Real services for the cluster tests, on loopback only:
#   - an OpenSSH sshd on 127.0.0.1:$SSH_PORT with throwaway ed25519 host and user keys and a test user;
#   - a single-node Slurm (own munged, slurmctld, `slurmd -N localhost`) with two fake GPUs.
# Usage: bash .ci/services.sh start|stop|status. Run as root. `start` is idempotent; `stop` ends only
# the processes this script started (by the pid files it wrote). Connection facts go to .ci/.services.env.
set -euo pipefail
cd "$(dirname "$0")/.."

STATE="${VALLEY_SERVICES_DIR:-/tmp/valley-services}"
ENV_FILE=".ci/.services.env"
SSH_PORT="${VALLEY_TEST_SSH_PORT:-22022}"
CTLD_PORT=26817
SLURMD_PORT=26818
TEST_USER="${VALLEY_TEST_USER:-valleyci}"
GPUS=2

log() { echo "services: $*" >&2; }
# alive PIDFILE: the pid file names a live (not zombie) process running the program the file is named after,
# so a stale file whose pid was reused by another process is never taken for ours (nor killed by stop).
alive() {
  [ -f "$1" ] || return 1
  local pid name
  pid="$(cat "$1")"
  name="$(basename "$1" .pid)"
  [ -n "$pid" ] && [ -r "/proc/$pid/comm" ] || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$name" ] || return 1
  ! grep -q '^[^)]*) Z' "/proc/$pid/stat" 2>/dev/null
}

wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local deadline=$((SECONDS + $1)) what="$2"
  shift 2
  until "$@" >/dev/null 2>&1; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "timed out waiting for $what"
      return 1
    fi
    sleep 0.2
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_user() {
  if ! id "$TEST_USER" >/dev/null 2>&1; then
    useradd --create-home --shell /bin/bash "$TEST_USER"
  fi
  # useradd leaves the account locked ("!"); with UsePAM no, sshd refuses key logins to locked accounts.
  usermod -p '*' "$TEST_USER"
  local home
  home="$(getent passwd "$TEST_USER" | cut -d: -f6)"
  install -d -m 700 -o "$TEST_USER" -g "$TEST_USER" "$home/.ssh"
  cat "$STATE/ssh/user_ed25519.pub" "$STATE/ssh/user_ed25519_enc.pub" >"$home/.ssh/authorized_keys"
  chown "$TEST_USER:$TEST_USER" "$home/.ssh/authorized_keys"
  chmod 600 "$home/.ssh/authorized_keys"
}

start_sshd() {
  mkdir -p "$STATE/ssh" /run/sshd
  chmod 755 "$STATE" "$STATE/ssh"
  [ -f "$STATE/ssh/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C valley-test-host -f "$STATE/ssh/host_ed25519"
  [ -f "$STATE/ssh/user_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C valley-test-user -f "$STATE/ssh/user_ed25519"
  chmod 600 "$STATE/ssh/user_ed25519"
  # a second user key, encrypted, for the passphrase tests (its passphrase in a file beside it)
  if [ ! -f "$STATE/ssh/user_ed25519_enc" ]; then
    head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$STATE/ssh/user_ed25519_enc.passphrase"
    ssh-keygen -q -t ed25519 -N "$(cat "$STATE/ssh/user_ed25519_enc.passphrase")" -C valley-test-user-enc -f "$STATE/ssh/user_ed25519_enc"
  fi
  chmod 600 "$STATE/ssh/user_ed25519_enc" "$STATE/ssh/user_ed25519_enc.passphrase"
  ensure_user
  cat >"$STATE/ssh/sshd_config" <<EOF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $STATE/ssh/host_ed25519
PidFile $STATE/ssh/sshd.pid
UsePAM no
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin no
AllowUsers $TEST_USER
AuthorizedKeysFile .ssh/authorized_keys
Subsystem sftp internal-sftp
MaxStartups 100:30:200
MaxSessions 100
ClientAliveInterval 0
LogLevel INFO
SetEnv SLURM_CONF=$STATE/slurm/slurm.conf
EOF
  echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$STATE/ssh/host_ed25519.pub")" >"$STATE/ssh/known_hosts"
  if alive "$STATE/ssh/sshd.pid"; then return; fi
  /usr/sbin/sshd -t -f "$STATE/ssh/sshd_config"
  /usr/sbin/sshd -f "$STATE/ssh/sshd_config" -E "$STATE/ssh/sshd.log"
  wait_for 10 sshd port_open "$SSH_PORT"
  log "sshd on 127.0.0.1:$SSH_PORT (user $TEST_USER)"
}

start_munge() {
  local d="$STATE/munge"
  mkdir -p "$d/run"
  # The socket's folder must be reachable by every user who submits jobs; the key stays root's.
  chmod 755 "$d" "$d/run"
  [ -f "$d/munge.key" ] || { dd if=/dev/urandom of="$d/munge.key" bs=1024 count=1 status=none; chmod 600 "$d/munge.key"; }
  if alive "$d/munged.pid"; then return; fi
  /usr/sbin/munged --force --key-file="$d/munge.key" --socket="$d/run/munge.socket" \
    --pid-file="$d/munged.pid" --log-file="$d/munged.log" --seed-file="$d/munged.seed"
  wait_for 10 munged test -S "$d/run/munge.socket"
}

write_slurm_conf() {
  local d="$STATE/slurm" cpus
  cpus="$(nproc)"
  mkdir -p "$d/ctld" "$d/d" "$d/gpu"
  chmod 755 "$d"
  for i in $(seq 0 $((GPUS - 1))); do : >"$d/gpu/nvidia$i"; done
  cat >"$d/slurm.conf" <<EOF
ClusterName=valleyci
SlurmctldHost=localhost(127.0.0.1)
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$STATE/munge/run/munge.socket
StateSaveLocation=$d/ctld
SlurmdSpoolDir=$d/d
SlurmctldPidFile=$d/slurmctld.pid
SlurmdPidFile=$d/slurmd.pid
SlurmctldLogFile=$d/slurmctld.log
SlurmdLogFile=$d/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
GresTypes=gpu
MpiDefault=none
ReturnToService=2
MinJobAge=86400
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
SlurmctldTimeout=30
SlurmdTimeout=60
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=1000 Gres=gpu:$GPUS State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
  echo "NodeName=localhost Name=gpu File=$d/gpu/nvidia[0-$((GPUS - 1))]" >"$d/gres.conf"
}

node_idle() { SLURM_CONF="$STATE/slurm/slurm.conf" sinfo -h -N -o '%t' | grep -qE '^(idle|mix|alloc)'; }

start_slurm() {
  local d="$STATE/slurm"
  write_slurm_conf
  export SLURM_CONF="$d/slurm.conf"
  if ! alive "$d/slurmctld.pid"; then
    /usr/sbin/slurmctld -f "$d/slurm.conf"
    wait_for 60 slurmctld port_open "$CTLD_PORT"
  fi
  if ! alive "$d/slurmd.pid"; then
    /usr/sbin/slurmd -f "$d/slurm.conf" -N localhost
  fi
  if ! wait_for 30 "the Slurm node to come up" node_idle; then
    tail -n 20 "$d/slurmctld.log" "$d/slurmd.log" >&2 || true
    return 1
  fi
  log "slurm up (partition debug, $GPUS fake GPUs, SLURM_CONF=$d/slurm.conf)"
}

write_env() {
  cat >"$ENV_FILE" <<EOF
VALLEY_TEST_SSH_HOST=127.0.0.1
VALLEY_TEST_SSH_PORT=$SSH_PORT
VALLEY_TEST_SSH_USER=$TEST_USER
VALLEY_TEST_SSH_KEY=$STATE/ssh/user_ed25519
VALLEY_TEST_SSH_KEY_ENCRYPTED=$STATE/ssh/user_ed25519_enc
VALLEY_TEST_SSH_KEY_PASSPHRASE_FILE=$STATE/ssh/user_ed25519_enc.passphrase
VALLEY_TEST_SSH_KNOWN_HOSTS=$STATE/ssh/known_hosts
VALLEY_TEST_SSH_HOST_KEY_PUB=$STATE/ssh/host_ed25519.pub
VALLEY_TEST_SLURM_CONF=$STATE/slurm/slurm.conf
VALLEY_TEST_SLURM_PARTITION=debug
VALLEY_TEST_SLURM_GPUS=$GPUS
EOF
}

stop_pid() { # stop_pid PIDFILE NAME
  if alive "$1"; then
    local pid
    pid="$(cat "$1")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    log "stopped $2 ($pid)"
  fi
  rm -f "$1"
}

case "${1:-}" in
  start)
    if [ "$(id -u)" != 0 ]; then log "must run as root"; exit 1; fi
    mkdir -p "$STATE"
    chmod 755 "$STATE"
    start_sshd
    start_munge
    start_slurm
    write_env
    ;;
  stop)
    stop_pid "$STATE/slurm/slurmd.pid" slurmd
    stop_pid "$STATE/slurm/slurmctld.pid" slurmctld
    stop_pid "$STATE/munge/munged.pid" munged
    stop_pid "$STATE/ssh/sshd.pid" sshd
    rm -f "$ENV_FILE"
    ;;
  status)
    for p in ssh/sshd munge/munged slurm/slurmctld slurm/slurmd; do
      if alive "$STATE/$p.pid"; then echo "$(basename "$p") running ($(cat "$STATE/$p.pid"))"; else echo "$(basename "$p") stopped"; fi
    done
    ;;
  *)
    echo "usage: $0 start|stop|status" >&2
    exit 2
    ;;
esac
