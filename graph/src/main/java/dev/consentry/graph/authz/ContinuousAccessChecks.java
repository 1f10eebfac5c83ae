package dev.consentry.graph.authz;

import dev.consentry.core.builtin.WellKnown;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.directory.User;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Step;
import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.identity.access.AccessDecision;
import dev.consentry.identity.access.AccessRequest;
import dev.consentry.identity.token.TokenView;
import dev.consentry.identity.user.UserSessions;
import java.net.InetAddress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Continuous access evaluation at Graph (wire spec, section 7.2; Microsoft Learn, "Continuous access evaluation"): a
 * delegated token whose client declared the {@code cp1} capability ({@code xms_cc}) lives long, and Graph refuses it as
 * soon as its user's critical event is newer than the token: sessions revoked ({@code signInSessionsValidFromDateTime},
 * set by {@code revokeSignInSessions}, a password reset, an account disabled), a password changed
 * ({@code lastPasswordChangeDateTime}), the account disabled, or the user deleted. The refusal is a claims challenge
 * asking for a sign-in newer than the event ({@code {"access_token":{"nbf":{"essential":true, "value":"<epoch>"}}}}),
 * which the client sends back to the STS. Tokens without {@code cp1} are not looked at: they keep their short
 * lifetime, as Graph lets them.
 *
 * <p>A call from a known address is also checked against the tenant's location policies (IP named locations, the
 * only kind continuous access evaluation enforces): when one refuses the call from there, with what the token proved
 * (its {@code amr}, {@code acrs} and device), the challenge names {@code LocationConditionEvaluationSatisfied} and asks
 * for a sign-in from now on, naming the address ({@code xms_rp_ipaddr}); the STS then evaluates the policies for the
 * client's address.
 *
 * <p>Guaranteed: the check reads the store at every call, so a revocation is seen by the next call on any node that
 * shares the store.
 */
final class ContinuousAccessChecks implements Stage {
    /** The reason Graph names for a token issued before the user's revocation. */
    static final String REVOKED = "TokenIssuedBeforeRevocationTimestamp";
    /** The reason Graph names for a call from an address that a location policy does not allow. */
    static final String LOCATION = "LocationConditionEvaluationSatisfied";
    private final DirectoryFacts facts;

    ContinuousAccessChecks(DirectoryFacts facts) {
        this.facts = facts;
    }

    /** The event that makes a token of {@code issuedAt} stale, if any. */
    record Event(String what, Instant at) {}

    @Override
    public StageResult apply(Evaluation evaluation) {
        TokenView token = evaluation.token();
        if (token.appOnly() || !capabilities(token).contains("cp1")) {
            return new StageResult.Continue(evaluation, List.of());
        }
        Optional<DirectoryFacts.View> view = facts.tenant(token.tenantId());
        // Entra backdates iat by five minutes; the token was issued that much later than it says.
        Optional<Instant> issued = token.issuedAt().map(t -> t.plus(dev.consentry.identity.token.AccessTokenFactory.BACKDATE));
        if (view.isEmpty() || issued.isEmpty()) {
            return new StageResult.Continue(evaluation, List.of(Step.unknown(Check.CONTINUOUS_ACCESS, "a continuous access "
                    + "evaluation token; whether its user's sessions were revoked since it was issued is for the tenant to say")));
        }
        Optional<User> user = token.objectId().flatMap(ObjectId::tryParse).flatMap(view.get()::user);
        Optional<Event> event = user.isEmpty() ? Optional.of(new Event("the user was deleted", evaluation.now()))
                : latest(user.get(), issued.get(), evaluation.now());
        if (event.isPresent()) {
            Event e = event.get();
            Failure challenge = Failure.of(Cause.CAE_CHALLENGE, "reason", REVOKED, "issuedAt", issued.get().toString(),
                    "event", e.what(), "eventAt", e.at().toString()).withClaims(notBefore(e.at(), null));
            return new StageResult.Stop(challenge, evaluation, List.of(Step.failed(Check.CONTINUOUS_ACCESS,
                    "issued at " + issued.get() + ", before " + e.what() + " at " + e.at())));
        }
        Step fresh = Step.passed(Check.CONTINUOUS_ACCESS, "a continuous access evaluation token, issued after the user's "
                + "last critical event");
        InetAddress address = evaluation.request().clientAddress();
        if (address == null) {
            return new StageResult.Continue(evaluation, List.of(fresh));
        }
        AccessRequest call = new AccessRequest(token.tenantId(), user.get(), token.clientId().flatMap(AppId::tryParse)
                .orElse(null), WellKnown.GRAPH_APP_ID, AccessRequest.MODERN_CLIENT, new AuthContext(token.amr(), token.acrs(),
                deviceId(token), issued.get()), deviceId(token) == null ? null : view.get().device(deviceId(token))
                .orElse(null), token.acrs(), evaluation.now(), address);
        Optional<AccessDecision> located = view.get().locationPolicies(call);
        if (located.isEmpty() || located.get().outcomes().isEmpty()) {
            return new StageResult.Continue(evaluation, List.of(fresh));
        }
        if (located.get().allowed()) {
            return new StageResult.Continue(evaluation, List.of(fresh, Step.passed(Check.CONTINUOUS_ACCESS,
                    "the tenant's location policies allow a call from " + address.getHostAddress() + ": "
                            + located.get().record())));
        }
        Failure challenge = Failure.of(Cause.CAE_LOCATION_CHALLENGE, "reason", LOCATION, "address", address.getHostAddress(),
                "policies", located.get().record()).withClaims(notBefore(evaluation.now(), address));
        return new StageResult.Stop(challenge, evaluation, List.of(fresh, Step.failed(Check.CONTINUOUS_ACCESS,
                "the tenant's location policies refuse a call from " + address.getHostAddress() + ": " + located.get().record())));
    }

    /**
     * The claims a challenge asks for, in the form of Graph's answers of 2025: a sign-in not older than {@code notBefore}
     * (seconds since 1970, as a string) and, for a location challenge, the address Graph saw ({@code xms_rp_ipaddr}).
     */
    static String notBefore(Instant notBefore, InetAddress address) {
        String nbf = "\"nbf\":{\"essential\":true,\"value\":\"" + notBefore.getEpochSecond() + "\"}";
        return "{\"access_token\":{" + nbf + (address == null ? ""
                : ",\"xms_rp_ipaddr\":{\"value\":\"" + address.getHostAddress() + "\"}") + "}}";
    }

    private static String deviceId(TokenView token) {
        Object id = token.claims().getClaim("deviceid");
        return id == null ? null : id.toString();
    }

    /**
     * The newest critical event of {@code user} after {@code issued}; empty when there is none. Events are compared in
     * whole seconds, as a token states its issue time: a token issued in the second of the event stands.
     */
    private static Optional<Event> latest(User user, Instant issued, Instant now) {
        Instant issuedSecond = issued.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Event found = null;
        Optional<Instant> revoked = UserSessions.validFrom(user);
        if (!user.enabled()) {
            found = new Event("the account was disabled", revoked.filter(t -> after(t, issuedSecond)).orElse(now));
        }
        if (found == null && revoked.isPresent() && after(revoked.get(), issuedSecond)) {
            found = new Event("the user's sessions were revoked", revoked.get());
        }
        Instant changed = user.lastPasswordChangeDateTime();
        if (found == null && changed != null && after(changed, issuedSecond)) {
            found = new Event("the password was changed", changed);
        }
        return Optional.ofNullable(found);
    }

    private static boolean after(Instant event, Instant issuedSecond) {
        return event.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).isAfter(issuedSecond);
    }

    private static List<String> capabilities(TokenView token) {
        try {
            List<String> cc = token.claims().getStringListClaim("xms_cc");
            return cc == null ? List.of() : cc;
        } catch (java.text.ParseException e) {
            return List.of();
        }
    }
}
