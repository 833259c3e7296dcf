#!/usr/bin/env bash
# Gives one native detector its own broker login, and makes sure the broker's ACL lets that
# login publish on its own topic (smokegate/detectors/DEVICE_ID/event) and nowhere else.
#
#   scripts/provision-detector.sh [--acl ACL_FILE] PASSWORD_FILE DEVICE_ID
#   make detector-login DEVICE=DEVICE_ID [PASSWORD_FILE=/etc/mosquitto/passwd] [ACL_FILE=/etc/mosquitto/acl]
#
# The password is read from standard input (its first line) when that is not a terminal, so
# it never appears in a process listing:  printf '%s\n' "$secret" | scripts/provision-detector.sh …
# From a terminal, a new login gets a random password, printed once, to load into the
# detector. An existing login keeps its password unless one is given (then it is replaced:
# that is how a password is rotated). Running it again with the same input changes nothing
# that matters, so it is safe to repeat.
#
# With --acl, the file must hold the detectors' pattern line (the shipped config/mosquitto.acl
# does); it is appended once if missing. No per-detector ACL line is needed: the pattern is
# written in terms of the login. Afterwards reload the broker: systemctl reload mosquitto.
set -euo pipefail

pattern='pattern write smokegate/detectors/%u/event'
# Logins the shipped ACL gives other rights: a detector may not take their names.
reserved=(smokegated responders zigbee2mqtt ctwing-relay)

usage() {
  echo "usage: $0 [--acl ACL_FILE] PASSWORD_FILE DEVICE_ID   (password on standard input)" >&2
  exit 2
}

acl=""
while [ $# -gt 0 ]; do
  case "$1" in
    --acl)
      [ $# -ge 2 ] || usage
      acl=$2
      shift 2
      ;;
    --acl=*)
      acl=${1#--acl=}
      shift
      ;;
    -h | --help) usage ;;
    --) shift; break ;;
    -*)
      echo "provision-detector: unknown option '$1'" >&2
      usage
      ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || usage
passwords=$1
device=$2

fail() {
  echo "provision-detector: $*" >&2
  exit 1
}

# The device id is a level of an MQTT topic and a line of mosquitto's password file.
check_device() {
  local id=$1
  [ -n "$id" ] || fail "the device id is empty"
  case "$id" in
    */*) fail "device id '$id' contains '/': it must be one level of smokegate/detectors/{id}/event" ;;
    *+* | *'#'*) fail "device id '$id' contains an MQTT wildcard ('+' or '#')" ;;
    *:*) fail "device id '$id' contains ':', which separates the login from its hash in the password file" ;;
    '$'*) fail "device id '$id' starts with '\$', which MQTT keeps for the broker's own topics" ;;
  esac
  if [[ "$id" =~ [[:space:][:cntrl:]] ]]; then
    fail "device id '$id' contains white space or a control character"
  fi
  local name
  for name in "${reserved[@]}"; do
    if [ "$id" = "$name" ]; then
      fail "device id '$id' is the login of the gateway, responders or a bridge in the shipped ACL; pick another"
    fi
  done
}
check_device "$device"

tool=$(command -v mosquitto_passwd || true)
[ -n "$tool" ] || fail "mosquitto_passwd not found: install the mosquitto package (make deps)"

folder=$(dirname -- "$passwords")
[ -d "$folder" ] || fail "password file $passwords: folder $folder does not exist"
if [ -e "$passwords" ] && [ ! -w "$passwords" ]; then
  fail "password file $passwords is not writable (run as root?)"
fi
if [ -n "$acl" ]; then
  [ -e "$acl" ] || fail "ACL file $acl does not exist (install config/mosquitto.acl as it first)"
  [ -w "$acl" ] || fail "ACL file $acl is not writable (run as root?)"
fi

known=false
if [ -f "$passwords" ] && cut -d: -f1 -- "$passwords" | grep -qxF -- "$device"; then
  known=true
fi

secret=""
generated=false
if [ ! -t 0 ]; then
  IFS= read -r secret || true
  [ -n "$secret" ] || fail "no password on standard input for $device (an empty line is not a password)"
elif [ "$known" = false ]; then
  secret=$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')
  generated=true
fi

if [ -n "$secret" ]; then
  create=()
  [ -e "$passwords" ] || create=(-c)
  # mosquitto_passwd asks twice, on standard input; -b would put the password in argv.
  if ! output=$(printf '%s\n%s\n' "$secret" "$secret" | "$tool" "${create[@]}" "$passwords" "$device" 2>&1); then
    fail "mosquitto_passwd could not write $device into $passwords: $output"
  fi
  if [ "$known" = true ]; then
    echo "updated the password of $device in $passwords"
  else
    echo "added $device to $passwords"
  fi
  if [ "$generated" = true ]; then
    echo "password for $device (shown once; load it into the detector): $secret"
  fi
else
  echo "$device already has a login in $passwords; kept its password (give one on standard input to replace it)"
fi

if [ -n "$acl" ]; then
  if grep -qxF -- "$pattern" "$acl"; then
    echo "$acl already lets every detector publish on its own topic only"
  else
    # A newline first if the file does not end with one.
    if [ -s "$acl" ] && [ -n "$(tail -c 1 -- "$acl")" ]; then echo >>"$acl"; fi
    printf '%s\n' "$pattern" >>"$acl"
    echo "appended to $acl: $pattern"
  fi
else
  echo "the broker's ACL needs this line once (the shipped config/mosquitto.acl has it): $pattern"
fi
echo "$device may publish on smokegate/detectors/$device/event; reload the broker: systemctl reload mosquitto"
