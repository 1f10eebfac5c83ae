package dev.consentry.identity.grant;

import dev.consentry.core.explain.Steps;
import dev.consentry.identity.protocol.ClaimsRequest;
import dev.consentry.identity.protocol.FormParameters;
import dev.consentry.identity.protocol.StsUrls;
import java.time.Instant;

/**
 * One call of the token endpoint, as the HTTP layer hands it over.
 *
 * @param urls the URLs on the origin the client used
 * @param tenantPathValue the {@code {tenant}} segment of the path, as sent
 * @param params the parsed form body
 * @param authorization the {@code Authorization} header, or null
 * @param now the request's instant, from the injected clock
 * @param steps the checks taken so far, which the endpoint and the grant add to as they pass (one per call)
 * @param clientAddress where the call came from, for conditional access's named locations; null when unknown
 * @param signIn what the grant learnt of the user's sign-in, for the sign-in log (one per call)
 * @param origin the {@code Origin} header a browser adds to a page's cross-origin call, or null (a server, a desktop app)
 */
public record TokenCall(StsUrls urls, String tenantPathValue, FormParameters params, String authorization, Instant now,
                        Steps steps, java.net.InetAddress clientAddress, SignInNote signIn, String origin) {

    /** A call with {@code steps} taken so far and nothing noted of its sign-in yet, without an Origin. */
    public TokenCall(StsUrls urls, String tenantPathValue, FormParameters params, String authorization, Instant now,
                     Steps steps, java.net.InetAddress clientAddress) {
        this(urls, tenantPathValue, params, authorization, now, steps, clientAddress, new SignInNote(), null);
    }

    /** A call from {@code clientAddress} with no step taken yet, carrying the browser's {@code origin} (or null). */
    public TokenCall(StsUrls urls, String tenantPathValue, FormParameters params, String authorization, Instant now,
                     java.net.InetAddress clientAddress, String origin) {
        this(urls, tenantPathValue, params, authorization, now, new Steps(), clientAddress, new SignInNote(), origin);
    }

    /** A call from an unknown address with no step taken yet. */
    public TokenCall(StsUrls urls, String tenantPathValue, FormParameters params, String authorization, Instant now) {
        this(urls, tenantPathValue, params, authorization, now, new Steps(), null);
    }

    /** A call from {@code clientAddress} with no step taken yet. */
    public TokenCall(StsUrls urls, String tenantPathValue, FormParameters params, String authorization, Instant now,
                     java.net.InetAddress clientAddress) {
        this(urls, tenantPathValue, params, authorization, now, new Steps(), clientAddress);
    }

    /** The {@code claims} parameter; AADSTS50117 when it cannot be read ({@link ClaimsRequest#parse}). */
    public ClaimsRequest claims() {
        return ClaimsRequest.parse(params.get("claims").orElse(null));
    }
}
