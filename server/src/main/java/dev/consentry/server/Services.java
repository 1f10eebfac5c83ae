package dev.consentry.server;

import dev.consentry.graph.authz.AuthorizationEngine;
import dev.consentry.graph.authz.DecisionLog;
import dev.consentry.graph.resource.GraphData;
import dev.consentry.identity.authorize.AuthorizeFlow;
import dev.consentry.identity.grant.TokenEndpoint;
import dev.consentry.server.signin.BrowserCookie;
import dev.consentry.server.diagnostics.RecentFailures;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.server.http.Origins;
import dev.consentry.store.Store;
import java.time.Clock;

/**
 * Everything the routes need, assembled once by {@link Consentry}: the store, the clock, the signing
 * keys, the token endpoint's logic, how to compute the published origin, the record of recent failures, the end
 * of browser sign-in, the browser cookie's keys, Graph's authorization engine, its record of decisions and the Graph data served once a call is allowed.
 */
public record Services(Store store, Clock clock, SigningKeys signingKeys, TokenEndpoint tokenEndpoint, Origins origins,
                       RecentFailures failures, AuthorizeFlow authorizeFlow, BrowserCookie browserCookie,
                       AuthorizationEngine graphEngine, DecisionLog decisions, GraphData graphData) {}
