// msal-node's client credentials flow against Consentry, then one call through the Microsoft Graph
// JavaScript client. Settings from the environment: CONSENTRY_URL (default https://localhost:8443),
// CONSENTRY_TENANT, CONSENTRY_CLIENT_ID, CONSENTRY_CLIENT_SECRET; the Graph route is the first argument
// (default /users); --without-custom-hosts leaves customHosts out, to see the token withheld.
// Trust Consentry's CA with NODE_EXTRA_CA_CERTS=<data dir>/ca.pem.
// Prints one JSON line: {"token":true,"status":200,"userPrincipalNames":[...]} or {"status":403,"code":...}.
import { ConfidentialClientApplication } from "@azure/msal-node";
import { Client, GraphError } from "@microsoft/microsoft-graph-client";
import { settings, report, graphSummary } from "./consentry-env.mjs";

const env = settings("tenant", "clientId", "clientSecret");
const args = process.argv.slice(2);
const route = args.find((a) => !a.startsWith("--")) ?? "/users";
const withCustomHosts = !args.includes("--without-custom-hosts");

const msal = new ConfidentialClientApplication({
  auth: {
    clientId: env.clientId,
    clientSecret: env.clientSecret,
    authority: `${env.url.origin}/${env.tenant}`,
    // A host listed here (with its port) is trusted as it is: no instance discovery at Microsoft's host.
    knownAuthorities: [env.url.host],
  },
});

let token;
try {
  const result = await msal.acquireTokenByClientCredential({ scopes: ["https://graph.microsoft.com/.default"] });
  token = result.accessToken;
} catch (e) {
  report({ token: false, error: e.errorCode, message: e.errorMessage?.split("\n")[0] });
}

const graph = Client.initWithMiddleware({
  baseUrl: env.url.origin,
  defaultVersion: "v1.0",
  // The client only sends the token to Graph's own hosts and these: the host name, without the port.
  customHosts: withCustomHosts ? new Set([env.url.hostname]) : undefined,
  authProvider: { getAccessToken: async () => token },
});
try {
  report({ token: true, ...graphSummary(200, await graph.api(route).get()) });
} catch (e) {
  if (!(e instanceof GraphError)) throw e;
  report({ token: true, status: e.statusCode, code: e.code });
}
