// The Node helper (clients/node/consentry.mjs) as a user's tests would use it, with msal-node and the Microsoft Graph
// JavaScript client from this folder's lock file: node --test consentry_helper.test.mjs
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { ConfidentialClientApplication, PublicClientApplication } from "@azure/msal-node";
import { AuthenticationHandler, Client, GraphError } from "@microsoft/microsoft-graph-client";
import { startConsentry } from "../../../clients/node/consentry.mjs";

let consentry;
before(async () => { consentry = await startConsentry(); });
after(async () => { await consentry?.stop(); });

function graph(token) {
  const auth = new AuthenticationHandler({ getAccessToken: async () => token });
  auth.setNext(consentry.graphHttpHandler());
  return Client.initWithMiddleware({ baseUrl: consentry.baseUrl, defaultVersion: "v1.0", middleware: auth,
    customHosts: new Set([consentry.hostname]) });
}

function desktop() {
  return new PublicClientApplication({
    auth: { clientId: consentry.apps["Contoso Desktop"].clientId, authority: consentry.authority(),
      knownAuthorities: [consentry.host] },
    system: consentry.msalSystemOptions(),
  });
}

async function daemonToken() {
  const daemon = consentry.apps["Contoso Daemon"];
  const app = new ConfidentialClientApplication({
    auth: { clientId: daemon.clientId, clientSecret: daemon.secret, authority: consentry.authority(),
      knownAuthorities: [consentry.host] },
    system: consentry.msalSystemOptions(),
  });
  return (await app.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] })).accessToken;
}

test("a daemon reads the users", async () => {
  const users = await graph(await daemonToken()).api("/users").get();
  assert.ok(users.value.some((u) => u.userPrincipalName === `adele@${consentry.domain}`));
});

test("a refused call is a GraphError whose request id has a diagnosis", async () => {
  const error = await graph(await daemonToken()).api("/groups").get().then(() => null, (e) => e);
  assert.ok(error instanceof GraphError);
  assert.equal(error.statusCode, 403);
  assert.equal(error.code, "Authorization_RequestDenied");
  const diagnosis = await consentry.diagnosis(error.requestId);
  assert.equal(diagnosis.decision, "deny");
  assert.equal(diagnosis.cause, "permission-not-requested");
});

test("a user signs in with a password and reads /me", async () => {
  const upn = `adele@${consentry.domain}`;
  const app = desktop();
  const result = await app.acquireTokenByUsernamePassword({ username: upn, password: consentry.users[upn].password,
    scopes: ["User.Read"] });
  const me = await graph(result.accessToken).api("/me").get();
  assert.equal(me.userPrincipalName, upn);
});

test("a device signs in with a code", async () => {
  const upn = `adele@${consentry.domain}`;
  const app = desktop();
  let shown;
  const result = await app.acquireTokenByDeviceCode({
    scopes: ["User.Read"],
    deviceCodeCallback: (response) => {
      shown = response;
      // Adele opens the page on her phone; msal-node polls meanwhile.
      consentry.signInOnDevicePage(response.userCode, upn, consentry.users[upn].password).catch((e) => { shown.failure = e; });
    },
  });
  assert.equal(shown.verificationUri, `${consentry.baseUrl}/devicelogin`);
  const me = await graph(result.accessToken).api("/me").get();
  assert.equal(me.userPrincipalName, upn);
});
