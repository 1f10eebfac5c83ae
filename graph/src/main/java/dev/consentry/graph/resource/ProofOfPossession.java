package dev.consentry.graph.resource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.directory.KeyCredential;
import dev.consentry.core.id.ObjectId;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The proof of possession that Graph's {@code addKey} and {@code removeKey} require of an application or a service
 * principal: a JWT signed with the private key of one of the object's existing valid certificates. Its claims, as
 * Microsoft documents them ("Generate proof of possession tokens for rolling keys",
 * https://learn.microsoft.com/graph/application-rollkey-prooftoken, and the {@code proof} parameter of
 * https://learn.microsoft.com/graph/api/application-addkey):
 *
 * <ul>
 *   <li>{@code aud} is {@value #AUDIENCE};</li>
 *   <li>{@code iss} is the object id of the application or service principal the call changes;</li>
 *   <li>{@code nbf} and {@code exp}, with {@code exp} at most ten minutes after {@code nbf} ("nbf + 10 mins"; the
 *       first version of the addKey page said "The token lifespan should not exceed 10 minutes. Where token lifespan
 *       is the difference between EXP and NBF claims", https://github.com/microsoftgraph/microsoft-graph-docs/pull/6587);</li>
 *   <li>a header and payload without base64 padding {@code =} ("or an Authentication_MissingOrMalformed error is
 *       returned", same page).</li>
 * </ul>
 *
 * <p>Signed RS256 (what the page's sample, {@code X509SigningCredentials}, writes), verified with each certificate of
 * the object whose {@code usage} is {@code Verify} and that is valid now by its registered dates and its own. The
 * lifetime is checked with Microsoft.IdentityModel's default clock skew of five minutes
 * (https://learn.microsoft.com/dotnet/api/microsoft.identitymodel.tokens.tokenvalidationparameters.defaultclockskew):
 * a proof whose {@code exp} plus the skew is now has expired.
 *
 * <p>Guaranteed: nothing of the proof is read as a fact before its signature verified, except to report why it is
 * refused; {@link #check} never throws for any input.
 */
final class ProofOfPossession {
    /** The audience of every proof: the app id of Azure AD Graph, whatever object it is for. */
    static final String AUDIENCE = "00000002-0000-0000-c000-000000000000";
    static final Duration MAX_LIFETIME = Duration.ofMinutes(10);
    static final Duration SKEW = Duration.ofMinutes(5);
    private static final int MAX_CHARS = 16 * 1024;

    private ProofOfPossession() {}

    /** What {@link #check} found. */
    sealed interface Outcome {
        /** The proof holds: {@code signer} is the certificate whose key signed it. */
        record Proven(KeyCredential signer) implements Outcome {}

        /** The proof does not hold, and exactly why (for the log and the tenant's developer, not for the wire). */
        record Refused(String why) implements Outcome {}
    }

    /**
     * Checks {@code proof} for the object {@code issuer} whose certificates are {@code certificates}, at {@code now}.
     */
    static Outcome check(String proof, ObjectId issuer, List<KeyCredential> certificates, Instant now) {
        if (proof.length() > MAX_CHARS) {
            return new Outcome.Refused("the proof is longer than " + MAX_CHARS + " characters");
        }
        String[] parts = proof.split("\\.", -1);
        if (parts.length != 3) {
            return new Outcome.Refused("the proof is not a compact JWS (three base64url parts separated by dots)");
        }
        if (parts[0].contains("=") || parts[1].contains("=")) {
            return new Outcome.Refused("the proof's header or payload carries base64 padding '='");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(proof);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            return new Outcome.Refused("the proof is not a signed JWT with a JSON claims set");
        }
        if (!JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())) {
            return new Outcome.Refused("the proof is signed " + jwt.getHeader().getAlgorithm() + "; RS256 is expected");
        }
        List<KeyCredential> usable = new ArrayList<>();
        List<RSAPublicKey> keys = new ArrayList<>();
        for (KeyCredential c : certificates) {
            rsaKey(c, now).ifPresent(k -> {
                usable.add(c);
                keys.add(k);
            });
        }
        if (usable.isEmpty()) {
            return new Outcome.Refused("the object " + issuer + " has no certificate (usage Verify) that is valid now to "
                    + "verify the proof with; add its first certificate with PATCH keyCredentials instead");
        }
        KeyCredential signer = null;
        for (int i = 0; i < keys.size() && signer == null; i++) {
            try {
                if (jwt.verify(new RSASSAVerifier(keys.get(i)))) {
                    signer = usable.get(i);
                }
            } catch (JOSEException | RuntimeException e) {
                // a key too short for RS256, say: not this one
            }
        }
        if (signer == null) {
            return new Outcome.Refused("the proof is signed with none of the " + usable.size()
                    + " valid certificates of " + issuer + " (keyIds " + usable.stream().map(c -> c.keyId().toString()).toList()
                    + ")");
        }
        if (claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
            return new Outcome.Refused("the proof's aud is " + claims.getAudience() + "; " + AUDIENCE + " is expected");
        }
        if (claims.getIssuer() == null || !ObjectId.tryParse(claims.getIssuer()).map(issuer::equals).orElse(false)) {
            return new Outcome.Refused("the proof's iss is '" + claims.getIssuer() + "'; the object id " + issuer
                    + " of the object the call changes is expected");
        }
        Date nbf = claims.getNotBeforeTime();
        Date exp = claims.getExpirationTime();
        if (nbf == null || exp == null) {
            return new Outcome.Refused("the proof needs both nbf and exp");
        }
        Instant notBefore = nbf.toInstant();
        Instant expires = exp.toInstant();
        if (Duration.between(notBefore, expires).compareTo(MAX_LIFETIME) > 0 || expires.isBefore(notBefore)) {
            return new Outcome.Refused("the proof lives from " + notBefore + " to " + expires + "; at most "
                    + MAX_LIFETIME.toMinutes() + " minutes after nbf is allowed");
        }
        if (!now.isBefore(expires.plus(SKEW))) {
            return new Outcome.Refused("the proof expired at " + expires + " (now " + now + ", skew " + SKEW + ")");
        }
        if (now.plus(SKEW).isBefore(notBefore)) {
            return new Outcome.Refused("the proof is not valid before " + notBefore + " (now " + now + ", skew " + SKEW + ")");
        }
        return new Outcome.Proven(signer);
    }

    /** The RSA key of a certificate that may verify a proof now; empty for any other. */
    private static Optional<RSAPublicKey> rsaKey(KeyCredential c, Instant now) {
        if (!c.verifies() || !c.validAt(now)) {
            return Optional.empty();
        }
        try {
            X509Certificate cert = c.certificate();
            if (now.isBefore(cert.getNotBefore().toInstant()) || !now.isBefore(cert.getNotAfter().toInstant())) {
                return Optional.empty();
            }
            return cert.getPublicKey() instanceof RSAPublicKey rsa ? Optional.of(rsa) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty(); // stored before certificates were checked: not one to verify with
        }
    }
}
