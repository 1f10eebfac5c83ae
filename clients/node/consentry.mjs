// A Consentry for a Node test run: startConsentry() runs the runnable jar (java -jar consentry.jar serve) on a free
// port, with an in-memory store and its demo tenant, and hands the tests what they need to reach it from this very
// process, where NODE_EXTRA_CA_CERTS cannot help (Node reads it at start, before Consentry has made its CA):
//   - consentry.fetch(url, init): fetch for Consentry's URLs, trusting its CA and nothing else;
//   - consentry.msalSystemOptions(): msal-node's `system` options (a network client over that fetch);
//   - consentry.graphHttpHandler(): the last middleware of the Microsoft Graph JavaScript client (over that fetch);
//   - the authority, the demo tenant's apps and users, and the diagnosis of a request by its id.
// The jar: options.jar, else $CONSENTRY_JAR, else cli/target/dist/consentry.jar of the checkout this file is in.
// Java: options.java, else $CONSENTRY_JAVA, else $JAVA_HOME/bin/java, else java on PATH (21 or newer).
// Built-in modules only.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import https from "node:https";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));

export class Consentry {
  constructor(banner, dataDir, child) {
    this.baseUrl = banner.baseUrl;
    this.graphUrl = banner.graphUrl;
    this.host = new URL(banner.baseUrl).host; // with the port, as msal-node's knownAuthorities wants it
    this.hostname = new URL(banner.baseUrl).hostname; // without it, as the Graph client's customHosts wants it
    this.caFile = path.join(dataDir, "ca.pem");
    this.ca = readFileSync(this.caFile, "utf8");
    this.tenantId = banner.tenants[0].id;
    this.domain = banner.tenants[0].domain;
    this.apps = Object.fromEntries((banner.demoApps ?? []).map((a) => [a.name, a]));
    this.users = Object.fromEntries((banner.demoUsers ?? []).map((u) => [u.userPrincipalName, u]));
    this.agent = new https.Agent({ ca: this.ca, keepAlive: true });
    this.dataDir = dataDir;
    this.child = child;
  }

  /** The authority msal-node is given for `tenant` (an id or a domain; the demo tenant by default). */
  authority(tenant) {
    return `${this.baseUrl}/${tenant ?? this.tenantId}`;
  }

  /** A WHATWG fetch for Consentry's URLs over TLS that trusts its CA only; resolves to a Response. */
  fetch(url, init = {}) {
    return new Promise((resolve, reject) => {
      const target = new URL(typeof url === "string" ? url : url.url ?? String(url));
      const headers = init.headers instanceof Headers ? Object.fromEntries(init.headers.entries()) : { ...(init.headers ?? {}) };
      const request = https.request(target, { method: init.method ?? "GET", headers, agent: this.agent }, (response) => {
        const chunks = [];
        response.on("data", (c) => chunks.push(c));
        response.on("end", () => {
          const h = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            for (const v of Array.isArray(value) ? value : [value]) h.append(name, v);
          }
          const empty = response.statusCode === 204 || response.statusCode === 304;
          resolve(new Response(empty ? null : Buffer.concat(chunks), { status: response.statusCode, headers: h }));
        });
        response.on("error", reject);
      });
      request.on("error", reject);
      if (init.body !== undefined && init.body !== null) request.write(init.body);
      request.end();
    });
  }

  /** msal-node's `system` options: its requests go through this.fetch. */
  msalSystemOptions() {
    const send = async (url, method, options) => {
      const r = await this.fetch(url, { method, headers: options?.headers, body: options?.body });
      return { headers: Object.fromEntries(r.headers.entries()), body: await r.json(), status: r.status };
    };
    return {
      networkClient: {
        sendGetRequestAsync: (url, options) => send(url, "GET", options),
        sendPostRequestAsync: (url, options) => send(url, "POST", options),
      },
    };
  }

  /** The Graph client's last middleware (in place of its HTTPMessageHandler): the request goes through this.fetch. */
  graphHttpHandler() {
    return {
      execute: async (context) => {
        context.response = await this.fetch(context.request, context.options);
      },
    };
  }

  /**
   * Does what the person does in a browser for a device code sign-in: opens the verification page (/devicelogin),
   * enters the code, confirms, and signs in with a password; the device's next poll gets its tokens. Rejects with the
   * page's text when a step does not lead where a sign-in leads.
   */
  async signInOnDevicePage(userCode, username, password) {
    const cookies = new Map();
    const send = async (url, init = {}) => {
      const headers = { ...(init.headers ?? {}), cookie: [...cookies].map(([n, v]) => `${n}=${v}`).join("; ") };
      const r = await this.fetch(url, { ...init, headers });
      for (const c of r.headers.getSetCookie()) {
        const [pair] = c.split(";");
        const at = pair.indexOf("=");
        cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      }
      return r.text();
    };
    let page = await send(`${this.baseUrl}/devicelogin`);
    for (const fields of [{ user_code: userCode }, { step: "confirm" }, { username }, { password }]) {
      const form = { ...hiddenFields(page), ...fields };
      const action = /<form[^>]*action="([^"]*)"/.exec(page);
      if (!action) throw new Error(`no form on the page: ${text(page)}`);
      page = await send(new URL(unescape(action[1]), this.baseUrl + "/").href, { method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" }, body: new URLSearchParams(form).toString() });
    }
    if (!page.includes("You have signed in")) throw new Error(`the device code sign-in did not complete: ${text(page)}`);
  }

  /** Consentry's explanation of a decision, by Graph's request-id or the trace id of an AADSTS error. */
  async diagnosis(id) {
    const r = await this.fetch(`${this.baseUrl}/consentry/diagnostics/${encodeURIComponent(id)}`);
    if (r.status !== 200) throw new Error(`no diagnosis for ${id}: ${r.status}`);
    return r.json();
  }

  /** Stops the server and removes its data dir. */
  async stop() {
    this.agent.destroy();
    if (this.child.exitCode === null) {
      const exited = new Promise((resolve) => this.child.once("exit", resolve));
      this.child.kill("SIGTERM");
      await exited;
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The hidden inputs of one of Consentry's pages (attributes quoted with "), name to value. */
function hiddenFields(page) {
  const fields = {};
  for (const tag of page.match(/<input[^>]*>/g) ?? []) {
    const attributes = Object.fromEntries([...tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)].map((m) => [m[1], unescape(m[2])]));
    if (attributes.type === "hidden" && attributes.name) fields[attributes.name] = attributes.value ?? "";
  }
  return fields;
}

/** Undoes the escaping of Consentry's templates in an attribute value (&amp; last). */
function unescape(value) {
  return value.replaceAll("&#34;", '"').replaceAll("&quot;", '"').replaceAll("&#39;", "'").replaceAll("&#x27;", "'").replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">").replaceAll("&amp;", "&");
}

function text(page) {
  return page.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").slice(0, 500);
}

/** Starts a Consentry; resolves once it is ready. */
export async function startConsentry(options = {}) {
  const jar = options.jar ?? process.env.CONSENTRY_JAR ?? path.resolve(here, "../../cli/target/dist/consentry.jar");
  if (!existsSync(jar)) throw new Error(`no Consentry jar at ${jar}: run ./consentry build, or set CONSENTRY_JAR`);
  const java = options.java ?? process.env.CONSENTRY_JAVA
    ?? (process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, "bin", "java") : "java");
  const dataDir = mkdtempSync(path.join(tmpdir(), "consentry-"));
  const child = spawn(java, ["-jar", jar, "serve", "--in-memory", "--data-dir", dataDir, "--port", "0", "--output", "json"],
    { stdio: ["ignore", "pipe", "pipe"] });
  let log = "";
  child.stderr.on("data", (d) => { log = (log + d).slice(-4000); });
  const lines = createInterface({ input: child.stdout });
  const timeoutMs = options.timeoutMs ?? 60000;
  const banner = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Consentry did not start within ${timeoutMs} ms: ${log}`)), timeoutMs);
    lines.once("line", (line) => { clearTimeout(timer); resolve(JSON.parse(line)); });
    child.once("exit", (code) => { clearTimeout(timer); reject(new Error(`Consentry exited (${code}) before it was ready: ${log}`)); });
  }).catch((e) => {
    child.kill("SIGKILL");
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  });
  child.removeAllListeners("exit");
  lines.on("line", () => {}); // nothing else is expected on standard output; keep it drained
  return new Consentry(banner, dataDir, child);
}
