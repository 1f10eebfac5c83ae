// Settings shared by the Node examples, from the environment: CONSENTRY_URL (default
// https://localhost:8443), CONSENTRY_TENANT, CONSENTRY_CLIENT_ID, CONSENTRY_CLIENT_SECRET,
// CONSENTRY_USERNAME, CONSENTRY_PASSWORD.
const VARIABLES = {
  tenant: "CONSENTRY_TENANT",
  clientId: "CONSENTRY_CLIENT_ID",
  clientSecret: "CONSENTRY_CLIENT_SECRET",
  username: "CONSENTRY_USERNAME",
  password: "CONSENTRY_PASSWORD",
};

/** The settings, with url as a URL; exits with a usage line when one of the required names is unset. */
export function settings(...required) {
  const missing = required.filter((name) => !process.env[VARIABLES[name]]);
  if (missing.length > 0) {
    console.error(`set ${missing.map((name) => VARIABLES[name]).join(", ")}`);
    process.exit(2);
  }
  const values = Object.fromEntries(Object.entries(VARIABLES).map(([name, v]) => [name, process.env[v]]));
  return { ...values, url: new URL(process.env.CONSENTRY_URL ?? "https://localhost:8443") };
}

/** Prints the one JSON line a caller (or a test) reads; exits 0 only for a Graph 200. */
export function report(result) {
  console.log(JSON.stringify(result));
  process.exit(result.status === 200 ? 0 : 1);
}

/** A Graph 200's body reduced to what a check needs. */
export function graphSummary(status, body) {
  if (Array.isArray(body.value)) {
    return { status, userPrincipalNames: body.value.map((u) => u.userPrincipalName) };
  }
  return { status, userPrincipalName: body.userPrincipalName, id: body.id };
}
