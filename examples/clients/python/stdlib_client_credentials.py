#!/usr/bin/env python3
"""The client credentials grant and one Graph call with Python's standard library only (urllib).

Trust Consentry's CA with SSL_CERT_FILE=<data dir>/ca.pem: urllib's default TLS context loads
OpenSSL's default CA file, which that variable names (REQUESTS_CA_BUNDLE is read by the requests
package only and does nothing here).
Prints one JSON line: {"token": true, "status": 200, "userPrincipalNames": [...]}, or the error.
"""
import json
import urllib.error
import urllib.parse
import urllib.request

import consentry_env


def call(request):
    """(status, JSON body) of a request; an HTTP error's body is read too: it carries the error code."""
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


p = consentry_env.parser(__doc__.splitlines()[0])
args = consentry_env.settings(p, "tenant", "client_id", "client_secret")

form = urllib.parse.urlencode({
    "grant_type": "client_credentials",
    "client_id": args.client_id,
    "client_secret": args.client_secret,
    "scope": "https://graph.microsoft.com/.default",
}).encode()
status, token = call(urllib.request.Request(args.url + "/" + args.tenant + "/oauth2/v2.0/token", data=form))
if status != 200:
    consentry_env.report({"token": False, "error": token.get("error"), "error_codes": token.get("error_codes")})

status, body = call(urllib.request.Request(args.url + args.path,
                                           headers={"Authorization": "Bearer " + token["access_token"]}))
consentry_env.report(dict(consentry_env.graph_summary(status, body), token=True))
