package dev.consentry.server;

import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.TokenChecks;
import dev.consentry.graph.resource.GraphData;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.consent.PermissionDescriptions;
import dev.consentry.identity.grant.HypotheticalTokens;
import dev.consentry.identity.grant.TokenEndpoint;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.identity.token.TokenValidator;
import dev.consentry.server.admin.AdminHandler;
import dev.consentry.server.diagnostics.Traces;
import dev.consentry.server.explain.DiagnosticsAccess;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.StsResponses;
import dev.consentry.server.signin.BrowserCookie;
import dev.consentry.store.Store;
import java.time.Clock;
import java.util.Optional;

/**
 * The services {@link Consentry#start} builds, each once, for {@link Routing#configure} to hand to the handlers
 * that use them. Only the routing function reads this record; handlers receive their own collaborators, so that
 * what each one depends on is in its constructor (and the handler packages never import this one).
 *
 * @param graphTokens Graph's token checks, shared by Graph's front door and {@code /oidc/userinfo}
 * @param descriptions the consent page's descriptions of permissions
 * @param admin the admin API of the {@code consentry} commands; present when the server has a data dir
 * @param anyAudience a validator for tokens whose audience the caller checks itself (id token hints)
 */
record Components(Store store, Clock clock, SigningKeys keys, Origins origins, Traces traces, StsResponses sts,
                  TokenEndpoint tokenEndpoint, AuthorizeFlow authorizeFlow, BrowserCookie browserCookie,
                  AuthorizationEngine graphEngine, TokenChecks graphTokens, TokenValidator anyAudience, GraphData graphData,
                  Optional<AdminHandler> admin, PermissionDescriptions descriptions, DiagnosticsAccess diagnosticsAccess,
                  AuthorizationEngine offlineGraphEngine, HypotheticalTokens hypotheticalTokens) {}
