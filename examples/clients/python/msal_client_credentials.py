#!/usr/bin/env python3
"""MSAL Python's client credentials flow against Consentry, then one Graph call with the token.

Trust Consentry's CA with REQUESTS_CA_BUNDLE=<data dir>/ca.pem (MSAL Python sends through requests).
Prints one JSON line: {"token": true, "status": 200, "userPrincipalNames": [...]}, or the error.
"""
import msal

import consentry_env

p = consentry_env.parser(__doc__.splitlines()[0])
args = consentry_env.settings(p, "tenant", "client_id", "client_secret")

app = msal.ConfidentialClientApplication(
    args.client_id,
    client_credential=args.client_secret,
    authority=args.url + "/" + args.tenant,
    instance_discovery=False,  # otherwise MSAL asks Microsoft's host whether this authority is valid
)
result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
consentry_env.report_graph_call(result, args.url, args.path)
