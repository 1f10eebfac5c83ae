#!/bin/sh
# The client credentials grant and one Graph call with curl alone (no jq).
#   CONSENTRY_URL (default https://localhost:8443), CONSENTRY_TENANT, CONSENTRY_CLIENT_ID,
#   CONSENTRY_CLIENT_SECRET; CONSENTRY_CA_FILE (default .consentry/ca.pem): the CA curl trusts.
#   $1: the Graph route (default /v1.0/users).
# Prints one JSON line: {"token":true,"status":<Graph's status>,"body":<Graph's JSON>}; exits 0 on a 200.
set -eu
url="${CONSENTRY_URL:-https://localhost:8443}"
ca="${CONSENTRY_CA_FILE:-.consentry/ca.pem}"
path="${1:-/v1.0/users}"
: "${CONSENTRY_TENANT:?set CONSENTRY_TENANT}" "${CONSENTRY_CLIENT_ID:?set CONSENTRY_CLIENT_ID}"
: "${CONSENTRY_CLIENT_SECRET:?set CONSENTRY_CLIENT_SECRET}"

token_response="$(curl -sS --cacert "$ca" "$url/$CONSENTRY_TENANT/oauth2/v2.0/token" \
  -d grant_type=client_credentials \
  --data-urlencode "client_id=$CONSENTRY_CLIENT_ID" \
  --data-urlencode "client_secret=$CONSENTRY_CLIENT_SECRET" \
  --data-urlencode scope=https://graph.microsoft.com/.default)"
# The token is a JWT (base64url and dots only), so a plain pattern finds it in the JSON.
token="$(printf '%s' "$token_response" | sed -n 's/.*"access_token" *: *"\([A-Za-z0-9._-]*\)".*/\1/p')"
if [ -z "$token" ]; then
  printf '{"token":false,"body":%s}\n' "$token_response"
  exit 1
fi

body_file="$(mktemp)"
trap 'rm -f "$body_file"' EXIT
status="$(curl -sS --cacert "$ca" -o "$body_file" -w '%{http_code}' -H "Authorization: Bearer $token" "$url$path")"
printf '{"token":true,"status":%s,"body":%s}\n' "$status" "$(cat "$body_file")"
[ "$status" = 200 ]
