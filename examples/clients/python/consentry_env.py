"""Settings shared by the Python examples: where Consentry is and who signs in.

Each value comes from a command-line option or, failing that, an environment variable:
CONSENTRY_URL (default https://localhost:8443), CONSENTRY_TENANT, CONSENTRY_CLIENT_ID,
CONSENTRY_CLIENT_SECRET, CONSENTRY_USERNAME, CONSENTRY_PASSWORD.
"""
import argparse
import json
import os
import sys

_OPTIONS = {
    "url": "CONSENTRY_URL",
    "tenant": "CONSENTRY_TENANT",
    "client_id": "CONSENTRY_CLIENT_ID",
    "client_secret": "CONSENTRY_CLIENT_SECRET",
    "username": "CONSENTRY_USERNAME",
    "password": "CONSENTRY_PASSWORD",
}


def parser(description):
    p = argparse.ArgumentParser(description=description)
    for name, variable in _OPTIONS.items():
        p.add_argument("--" + name.replace("_", "-"), default=os.environ.get(variable),
                       help="default: $" + variable)
    p.add_argument("--path", default="/v1.0/users", help="the Graph route to call (default: /v1.0/users)")
    return p


def settings(p, *required):
    args = p.parse_args()
    args.url = (args.url or "https://localhost:8443").rstrip("/")
    missing = [n for n in required if not getattr(args, n)]
    if missing:
        p.error("missing: " + ", ".join("--" + n.replace("_", "-") + " or $" + _OPTIONS[n] for n in missing))
    return args


def report(result):
    """Prints the one JSON line a caller (or a test) reads, and exits 0 only for a Graph 200."""
    print(json.dumps(result, sort_keys=True))
    sys.exit(0 if result.get("status") == 200 else 1)


def graph_summary(status, body):
    """Graph's answer reduced to what a check needs: the status and either the data or the error code."""
    result = {"status": status}
    if status == 200:
        if "value" in body:
            result["userPrincipalNames"] = [u.get("userPrincipalName") for u in body["value"]]
        else:
            result["userPrincipalName"] = body.get("userPrincipalName")
            result["id"] = body.get("id")
    else:
        result["code"] = body.get("error", {}).get("code")
    return result


def report_graph_call(result, url, path):
    """Reports MSAL's failure to get a token, or calls Graph with the token it got and reports the answer."""
    import requests  # only the MSAL examples use this, and MSAL brings requests with it

    if "access_token" not in result:
        report({"token": False, "error": result.get("error"), "error_codes": result.get("error_codes")})
    response = requests.get(url + path, headers={"Authorization": "Bearer " + result["access_token"]}, timeout=30)
    report(dict(graph_summary(response.status_code, response.json()), token=True))
