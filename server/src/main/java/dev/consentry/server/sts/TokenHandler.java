package dev.consentry.server.sts;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.identity.grant.TokenCall;
import dev.consentry.identity.grant.TokenEndpoint;
import dev.consentry.identity.grant.TokenOutcome;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.protocol.StsUrls;
import dev.consentry.server.http.FormBodies;
import dev.consentry.server.http.Origins;
import dev.consentry.server.http.RequestIds;
import dev.consentry.server.http.StsResponses;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.List;

/**
 * The HTTP side of {@code POST /{tenant}/oauth2/v2.0/token}: only POST, only
 * {@code application/x-www-form-urlencoded}, at most {@link #MAX_BODY_BYTES}; everything else is a
 * protocol error in the STS shape, never a 500.
 *
 * <pre>curl --cacert .consentry/ca.pem https://localhost:8443/contoso.onmicrosoft.com/oauth2/v2.0/token \
 *   -d grant_type=client_credentials -d client_id=... -d client_secret=... \
 *   --data-urlencode scope=https://graph.microsoft.com/.default</pre>
 */
public final class TokenHandler {
    /** Token requests are small; MSAL's largest (a certificate chain in an assertion) stay far below. */
    public static final int MAX_BODY_BYTES = 64 * 1024;
    private final TokenEndpoint endpoint;
    private final Origins origins;
    private final StsResponses sts;

    public TokenHandler(TokenEndpoint endpoint, Origins origins, StsResponses sts) {
        this.endpoint = endpoint;
        this.origins = origins;
        this.sts = sts;
    }

    public void post(Context ctx) {
        RequestIds ids = RequestIds.of(ctx);
        Instant now = sts.now();
        try {
            FormParameters params = readForm(ctx, TokenEndpoint.SINGLE_VALUED);
            TokenCall call = new TokenCall(new StsUrls(origins.of(ctx)), ctx.pathParam("tenant"), params,
                    ctx.header("Authorization"), now, origins.clientAddress(ctx), ctx.header("Origin"));
            TokenOutcome outcome = endpoint.handle(call);
            endpoint.recordSignIn(call, outcome, ids.correlationId());
            switch (outcome) {
                case TokenOutcome.Issued issued -> sts.issued(ctx, ids, issued.body(), now, issued.steps());
                case TokenOutcome.Refused refused -> sts.error(ctx, ids, refused.failure(), now, refused.steps());
            }
        } catch (FailureException e) {
            sts.error(ctx, ids, e.failure(), now, List.of());
        }
    }

    /** Any other method on the token path. */
    public void wrongMethod(Context ctx) {
        sts.error(ctx, Failure.of(Cause.METHOD_NOT_ALLOWED, "allowed", "POST", "method", ctx.method().name(),
                "endpoint", "token"));
    }

    /** Reads a form body with the token endpoint's limits; refuses duplicates of {@code singleValued}. */
    static FormParameters readForm(Context ctx, java.util.Set<String> singleValued) {
        return FormParameters.parse(FormBodies.read(ctx, MAX_BODY_BYTES), singleValued);
    }
}
