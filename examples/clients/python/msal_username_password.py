#!/usr/bin/env python3
"""MSAL Python's username/password flow against Consentry, then GET /v1.0/me with the user's token.

Trust Consentry's CA with REQUESTS_CA_BUNDLE=<data dir>/ca.pem (MSAL Python sends through requests).
Prints one JSON line: {"token": true, "status": 200, "userPrincipalName": ...}, or the error.

Before the password grant MSAL Python looks up the user's realm at
https://<host>/common/userrealm/<user>, built from the authority's host name alone: the port is
dropped, so on any port but 443 the lookup goes to port 443. This program hands MSAL an HTTP client
that puts the authority's port back into that one URL (--no-port-fix leaves MSAL's behaviour as is).
"""
import urllib.parse

import msal
import requests

import consentry_env


class KeepPortForUserRealm(requests.Session):
    """A requests session that sends MSAL's user realm lookup to the authority's port, not to 443."""

    def __init__(self, authority):
        super().__init__()
        self._authority = urllib.parse.urlsplit(authority)

    def request(self, method, url, *args, **kwargs):
        parts = urllib.parse.urlsplit(url)
        if (parts.path.startswith("/common/userrealm/") and parts.port is None
                and parts.hostname == self._authority.hostname and self._authority.port):
            url = parts._replace(netloc=self._authority.netloc).geturl()
        return super().request(method, url, *args, **kwargs)


p = consentry_env.parser(__doc__.splitlines()[0])
p.add_argument("--no-port-fix", action="store_true", help="let MSAL send the user realm lookup to port 443")
p.set_defaults(path="/v1.0/me")
args = consentry_env.settings(p, "tenant", "client_id", "username", "password")

authority = args.url + "/" + args.tenant
extra = {} if args.no_port_fix else {"http_client": KeepPortForUserRealm(authority)}
app = msal.PublicClientApplication(args.client_id, authority=authority, instance_discovery=False, **extra)
try:
    result = app.acquire_token_by_username_password(args.username, args.password, scopes=["User.Read"])
except requests.exceptions.ConnectionError as e:
    # Which URL MSAL could not reach, without the socket's details.
    consentry_env.report({"token": False, "unreachable": e.request.url if e.request else str(e)})
consentry_env.report_graph_call(result, args.url, args.path)
