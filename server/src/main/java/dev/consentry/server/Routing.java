package dev.consentry.server;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.consentry.server.diagnostics.WhatIf;
import dev.consentry.server.explain.DiagnosticsHandler;
import dev.consentry.server.explain.WhatIfPageHandler;
import dev.consentry.server.graph.GraphHandler;
import dev.consentry.server.http.UnexpectedFailures;
import dev.consentry.server.page.Pages;
import dev.consentry.server.signin.AuthorizeHandler;
import dev.consentry.server.signin.DeviceLoginHandler;
import dev.consentry.server.signin.LogoutHandler;
import dev.consentry.server.sts.DeviceCodeHandler;
import dev.consentry.server.sts.DiscoveryHandler;
import dev.consentry.server.sts.ErrorCodesHandler;
import dev.consentry.server.sts.InstanceDiscoveryHandler;
import dev.consentry.server.sts.KeysHandler;
import dev.consentry.server.sts.TokenHandler;
import dev.consentry.server.sts.UserInfoHandler;
import dev.consentry.server.sts.UserRealmHandler;
import io.javalin.config.JavalinConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The one routing function: every HTTP route of Consentry is declared here, and both production
 * ({@link ConsentryServer}) and every test build the server through it.
 *
 * <p>Routes of this version (the identity platform's v2.0 endpoints, wire spec section 1):
 * <ul>
 *   <li>{@code GET /{tenant}/v2.0/.well-known/openid-configuration} and the v1.0 document;</li>
 *   <li>{@code GET /{tenant}/discovery/v2.0/keys} and {@code /{tenant}/discovery/keys};</li>
 *   <li>{@code GET|POST /{tenant}/oauth2/v2.0/authorize} and the sign-in forms, {@code POST /{tenant}/login}; the
 *   consent page's answer, {@code POST /{tenant}/consent};</li>
 *   <li>{@code GET|POST /{tenant}/oauth2/v2.0/logout}, the end-session endpoint (section 1.7);</li>
 *   <li>{@code GET|POST /oidc/userinfo}, the UserInfo endpoint (OpenID Connect Core 1.0, section 5.3);</li>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/devicecode} and the verification page {@code GET|POST /devicelogin};</li>
 *   <li>{@code POST /{tenant}/oauth2/v2.0/token} (other methods: AADSTS900561);</li>
 *   <li>{@code GET /common/discovery/instance} and {@code GET /common/userrealm/{upn}};</li>
 *   <li>every method under {@code /v1.0/} and {@code /beta/}: Microsoft Graph, decided by the authorization
 *       engine (allowed calls answer 501 until Consentry serves Graph data);</li>
 *   <li>{@code GET /consentry/diagnostics/{request-id}}: the recorded decision of a Graph call;</li>
 *   <li>{@code GET /error?code=}: what an AADSTS code means here, where every {@code error_uri} points;</li>
 *   <li>{@code GET /consentry/health}: a bare route, for readiness checks and as the benchmarks' baseline.</li>
 * </ul>
 * Unknown paths get a JSON 404; an unexpected exception or error gets a JSON 500 naming its request id, without a
 * stack trace, and is logged once at ERROR with that id ({@link UnexpectedFailures}).
 */
public final class Routing {
    private static final byte[] HEALTH = "ok".getBytes(StandardCharsets.US_ASCII);

    private Routing() {}

    /** An HTTP route as declared here: a method and Javalin's path pattern ({@code {tenant}} a path parameter). */
    public record Route(String method, String path) {
        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** What configuring gave: the route table, in declaration order, and what must hear of directory changes. */
    record Configured(List<Route> routes, DirectoryListener listener) {}

    /** Declares every route on {@code config}. */
    static Configured configure(JavalinConfig config, Components c) {
        DiscoveryHandler discovery = new DiscoveryHandler(c.store(), c.origins(), c.sts());
        KeysHandler keys = new KeysHandler(c.store(), c.keys(), c.origins(), c.sts());
        TokenHandler token = new TokenHandler(c.tokenEndpoint(), c.origins(), c.sts());
        InstanceDiscoveryHandler instance = new InstanceDiscoveryHandler(c.origins(), c.sts());
        UserRealmHandler userRealm = new UserRealmHandler(c.store());
        Pages pages = new Pages();
        // The consent page's permission texts: Consentry's own words. Microsoft's descriptions file
        // (serve --permission-descriptions) is a later PermissionDescriptions passed here, falling back to OwnWords.
        AuthorizeHandler authorize = new AuthorizeHandler(c.store(), c.origins(), c.sts(), c.authorizeFlow(),
                c.browserCookie(), pages, c.descriptions());

        Guarded routes = new Guarded(config.routes);
        routes.get("/consentry/health", ctx -> ctx.contentType("text/plain").result(HEALTH));
        routes.get("/error", new ErrorCodesHandler(pages)::get);
        GraphHandler graph = new GraphHandler(c.graphEngine(), c.graphData(), c.store(), c.clock(), c.origins(), c.traces());
        for (String prefix : new String[] {"/v1.0", "/beta"}) {
            for (String path : new String[] {prefix, prefix + "/*"}) {
                routes.on(path, graph::handle, GET, POST, PUT, PATCH, DELETE);
            }
        }
        WhatIf whatIf = new WhatIf(c.graphEngine(), c.offlineGraphEngine(), c.hypotheticalTokens(), c.store());
        DiagnosticsHandler diagnostics = new DiagnosticsHandler(c.traces(), c.store(), c.origins(), c.diagnosticsAccess(),
                c.graphTokens(), pages, whatIf, c.clock());
        routes.get("/consentry/diagnostics", diagnostics::list);
        routes.post("/consentry/diagnostics/what-if", diagnostics::whatIf);
        WhatIfPageHandler whatIfPage = new WhatIfPageHandler(diagnostics, whatIf, c.browserCookie(), pages, c.clock());
        routes.get("/consentry/what-if", whatIfPage::get);
        routes.post("/consentry/what-if", whatIfPage::post);
        routes.get("/consentry/diagnostics/{id}", diagnostics::get);
        routes.get("/consentry/diagnosis", diagnostics::failuresPage);
        routes.get("/consentry/diagnosis/{id}", diagnostics::page);
        c.admin().ifPresent(admin -> {
            routes.post("/consentry/admin/tenants", admin::importTenants);
            routes.get("/consentry/admin/tenants", admin::exportTenants);
            routes.get("/consentry/admin/keys", admin::keys);
            routes.post("/consentry/admin/keys/rotate", admin::rotateKey);
            routes.post("/consentry/admin/grants", admin::grant);
            routes.post("/consentry/admin/consents", admin::consent);
            routes.get("/consentry/admin/permission-use", admin::permissionUse);
        });
        routes.get("/common/discovery/instance", instance::handle);
        routes.get("/common/userrealm/{upn}", userRealm::handle);
        routes.get("/{tenant}/v2.0/.well-known/openid-configuration", discovery::v2);
        routes.get("/{tenant}/.well-known/openid-configuration", discovery::v1);
        routes.get("/{tenant}/discovery/v2.0/keys", keys::handle);
        routes.get("/{tenant}/discovery/keys", keys::handle);
        routes.get("/{tenant}/oauth2/v2.0/authorize", authorize::get);
        routes.post("/{tenant}/oauth2/v2.0/authorize", authorize::post);
        routes.post("/{tenant}/login", authorize::login);
        routes.post("/{tenant}/consent", authorize::consent);
        routes.get("/{tenant}/v2.0/adminconsent", authorize::adminConsent);
        routes.get("/{tenant}/adminconsent", authorize::adminConsent);
        LogoutHandler logout = new LogoutHandler(c.store(), c.origins(), c.sts(), c.anyAudience(), pages);
        UserInfoHandler userInfo = new UserInfoHandler(c.store(), c.clock(), c.origins(), c.graphTokens(), c.traces());
        routes.get("/{tenant}/oauth2/v2.0/logout", logout::get);
        routes.post("/{tenant}/oauth2/v2.0/logout", logout::post);
        routes.get("/oidc/userinfo", userInfo::get);
        routes.post("/oidc/userinfo", userInfo::post);
        DeviceCodeHandler deviceCode = new DeviceCodeHandler(c.store(), c.origins(), c.sts());
        DeviceLoginHandler deviceLogin = new DeviceLoginHandler(c.store(), c.origins(), c.sts(), c.browserCookie(), pages);
        routes.post("/{tenant}/oauth2/v2.0/devicecode", deviceCode::post);
        routes.get("/{tenant}/oauth2/v2.0/devicecode", deviceCode::wrongMethod);
        routes.get("/devicelogin", deviceLogin::get);
        routes.post("/devicelogin", deviceLogin::post);
        routes.post("/{tenant}/oauth2/v2.0/token", token::post);
        routes.on("/{tenant}/oauth2/v2.0/token", token::wrongMethod, GET, PUT, PATCH, DELETE);

        config.routes.error(404, "*", Routing::notFound);
        // Every route is guarded (errors too), so this one handler sees each fault of ours once: one ERROR line with
        // the request id, one JSON 500 that names it.
        config.routes.exception(Exception.class, UnexpectedFailures::answer);
        return new Configured(routes.declared(), () -> {
            discovery.clear();
            keys.clear();
        });
    }

    /** The route table with every handler guarded ({@link UnexpectedFailures#guarded}), so no route can forget it. */
    private record Guarded(RoutesConfig routes, List<Route> added) {
        Guarded(RoutesConfig routes) {
            this(routes, new ArrayList<>());
        }

        List<Route> declared() {
            return List.copyOf(added);
        }

        void get(String path, Handler handler) {
            on(path, handler, GET);
        }

        void post(String path, Handler handler) {
            on(path, handler, POST);
        }

        void on(String path, Handler handler, HandlerType... methods) {
            Handler guarded = UnexpectedFailures.guarded(handler);
            for (HandlerType method : methods) {
                routes.addHttpHandler(method, path, guarded);
                added.add(new Route(method.name(), path));
            }
        }
    }

    /** Only for a path no route took: a route's own 404 (Graph's Request_ResourceNotFound, say) stays as it wrote it. */
    private static void notFound(Context ctx) {
        if (ctx.endpoints().matchedHttpEndpoint() != null) {
            return;
        }
        ctx.contentType("application/json; charset=utf-8")
                .result("{\"error\":\"not_found\",\"error_description\":\"Consentry has no endpoint at this path.\"}");
    }

    /** Told when tenants were imported or changed, so cached documents are rebuilt. */
    @FunctionalInterface
    public interface DirectoryListener {
        void directoryChanged();
    }
}
