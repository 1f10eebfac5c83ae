"""The consentry fixture as a user's tests would use it, with MSAL Python (Debian's python3-msal) and requests."""
import msal


def daemon(consentry):
    return consentry.apps["Contoso Daemon"]


def app_token(consentry):
    app = msal.ConfidentialClientApplication(daemon(consentry)["clientId"], client_credential=daemon(consentry)["secret"],
                                             authority=consentry.authority(), instance_discovery=False,
                                             http_client=consentry.msal_http_client())
    result = app.acquire_token_for_client(scopes=["https://graph.microsoft.com/.default"])
    assert "access_token" in result, result
    return result["access_token"]


def test_a_daemon_reads_the_users(consentry):
    r = consentry.session().get(consentry.graph_url + "/users",
                                headers={"Authorization": "Bearer " + app_token(consentry)}, timeout=10)
    assert r.status_code == 200, r.text
    assert "adele@" + consentry.domain in [u["userPrincipalName"] for u in r.json()["value"]]


def test_a_refused_call_has_a_diagnosis_naming_its_cause(consentry):
    r = consentry.session().get(consentry.graph_url + "/groups",
                                headers={"Authorization": "Bearer " + app_token(consentry)}, timeout=10)
    assert r.status_code == 403
    assert r.json()["error"]["code"] == "Authorization_RequestDenied"
    diagnosis = consentry.diagnosis(r.headers["request-id"])
    assert diagnosis["decision"] == "deny"
    # The daemon's registration requests no permission that reads groups: the fix names one to add and grant.
    assert diagnosis["cause"] == "permission-not-requested"
    assert diagnosis["fix"].startswith("Add Group.") and "(application permission" in diagnosis["fix"]


def test_a_user_signs_in_with_a_password(consentry):
    upn = "adele@" + consentry.domain
    desktop = consentry.apps["Contoso Desktop"]
    app = msal.PublicClientApplication(desktop["clientId"], authority=consentry.authority(), instance_discovery=False,
                                       http_client=consentry.msal_http_client())
    result = app.acquire_token_by_username_password(upn, consentry.users[upn]["password"], scopes=["User.Read"])
    assert "access_token" in result, result
    r = consentry.session().get(consentry.graph_url + "/me", headers={"Authorization": "Bearer " + result["access_token"]},
                                timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["userPrincipalName"] == upn


def test_a_wrong_password_is_entras_error_with_a_trace_id_to_diagnose(consentry):
    upn = "adele@" + consentry.domain
    app = msal.PublicClientApplication(consentry.apps["Contoso Desktop"]["clientId"], authority=consentry.authority(),
                                       instance_discovery=False, http_client=consentry.msal_http_client())
    result = app.acquire_token_by_username_password(upn, "not-her-password", scopes=["User.Read"])
    assert result["error"] == "invalid_grant"
    assert result["error_description"].startswith("AADSTS50126:")
    assert consentry.diagnosis(result["trace_id"])["cause"] == "password-invalid"


def test_a_device_signs_in_with_a_code(consentry):
    upn = "adele@" + consentry.domain
    app = msal.PublicClientApplication(consentry.apps["Contoso Desktop"]["clientId"], authority=consentry.authority(),
                                       instance_discovery=False, http_client=consentry.msal_http_client())
    flow = app.initiate_device_flow(scopes=["User.Read"])
    assert flow["verification_uri"] == consentry.base_url + "/devicelogin", flow
    consentry.sign_in_on_device_page(flow["user_code"], upn, consentry.users[upn]["password"])
    result = app.acquire_token_by_device_flow(flow)
    assert "access_token" in result, result
    r = consentry.session().get(consentry.graph_url + "/me", headers={"Authorization": "Bearer " + result["access_token"]},
                                timeout=10)
    assert r.json()["userPrincipalName"] == upn
