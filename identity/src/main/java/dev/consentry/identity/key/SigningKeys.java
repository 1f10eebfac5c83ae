package dev.consentry.identity.key;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import dev.consentry.core.key.SigningKeyRecord;
import dev.consentry.core.key.SigningKeyRecord.KeyStatus;
import dev.consentry.store.SigningKeyStore;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The token-signing keys: one primary that signs, previous ones still published and accepted, kept
 * in the {@link SigningKeyStore} so that tokens issued before a restart verify after it.
 *
 * <p>Guaranteed: {@link #primary()} never changes between two calls unless {@link #rotate} or
 * {@link #reload} ran; the JWKS bytes per origin are built once per key set and then served as they are.
 * Key ids follow Entra: {@code kid} = {@code x5t} = base64url SHA-1 thumbprint of the certificate.
 */
public final class SigningKeys {
    /** How many previous keys stay published after a rotation. */
    public static final int KEEP_PREVIOUS = 2;
    private static final int RSA_BITS = 2048;
    private static final Duration CERT_VALIDITY = Duration.ofDays(5 * 365);

    private final SigningKeyStore store;
    private final Clock clock;
    private volatile KeySet keys;

    private SigningKeys(SigningKeyStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Loads the keys from the store, creating the first primary key if the store has none. */
    public static SigningKeys load(SigningKeyStore store, Clock clock) {
        SigningKeys k = new SigningKeys(store, clock);
        if (store.primary().isEmpty()) {
            store.initializeIfEmpty(newRecord(clock.instant(), KeyStatus.PRIMARY));
        }
        k.reload();
        return k;
    }

    /** Re-reads the key set from the store (after another node rotated, for instance). */
    public void reload() {
        List<ActiveKey> published = new ArrayList<>();
        ActiveKey primary = null;
        for (SigningKeyRecord r : store.list()) {
            if (r.status() == KeyStatus.RETIRED) {
                continue;
            }
            ActiveKey k = ActiveKey.of(r);
            published.add(k);
            if (r.status() == KeyStatus.PRIMARY) {
                primary = k;
            }
        }
        if (primary == null) {
            throw new IllegalStateException("the signing key store has no primary key");
        }
        // The primary key comes first in the JWKS, then the previous ones, newest first.
        ActiveKey first = primary;
        published.sort((a, b) -> a == first ? -1 : b == first ? 1 : b.createdAt().compareTo(a.createdAt()));
        keys = new KeySet(primary, List.copyOf(published), new ConcurrentHashMap<>());
    }

    /** Makes a new primary key; the old one stays published as previous. Returns the new key id. */
    public String rotate() {
        SigningKeyRecord next = newRecord(clock.instant(), KeyStatus.PRIMARY);
        store.rotate(next, KEEP_PREVIOUS);
        reload();
        return next.kid();
    }

    /** The key that signs now. */
    public ActiveKey primary() {
        return keys.primary();
    }

    /** Every published key (primary first). */
    public List<ActiveKey> published() {
        return keys.published();
    }

    /** The published key with that id; empty for an unknown or retired key. */
    public Optional<ActiveKey> find(String kid) {
        for (ActiveKey k : keys.published()) {
            if (k.kid().equals(kid)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /**
     * The JWKS document for an origin, as pre-built UTF-8 bytes (section 1.3 of the wire spec: no
     * {@code alg}, {@code kid} = {@code x5t}, standard-base64 {@code x5c}, and the non-standard
     * {@code issuer} member with the literal {@code {tenantid}} placeholder).
     */
    public byte[] jwks(String origin) {
        KeySet set = keys;
        return set.jwksByOrigin().computeIfAbsent(origin, o -> buildJwks(set, o));
    }

    private static byte[] buildJwks(KeySet set, String origin) {
        StringBuilder json = new StringBuilder(4096).append("{\"keys\":[");
        for (int i = 0; i < set.published().size(); i++) {
            ActiveKey k = set.published().get(i);
            if (i > 0) {
                json.append(',');
            }
            json.append("{\"kty\":\"RSA\",\"use\":\"sig\",\"kid\":\"").append(k.kid())
                    .append("\",\"x5t\":\"").append(k.kid())
                    .append("\",\"n\":\"").append(Base64URL.encode(k.publicKey().getModulus()))
                    .append("\",\"e\":\"").append(Base64URL.encode(k.publicKey().getPublicExponent()))
                    .append("\",\"x5c\":[\"").append(k.certificateBase64())
                    .append("\"],\"issuer\":\"").append(origin).append("/{tenantid}/v2.0\"}");
        }
        return json.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private static SigningKeyRecord newRecord(Instant now, KeyStatus status) {
        KeyPair pair = Certificates.rsaKeyPair(RSA_BITS);
        X509Certificate cert = CertificateIssuer.selfSigned(pair, "Consentry token signing", now.minus(Duration.ofDays(1)),
                CERT_VALIDITY);
        return new SigningKeyRecord(Certificates.sha1Thumbprint(cert), status,
                Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded()), Certificates.toBase64Der(cert), now);
    }

    private record KeySet(ActiveKey primary, List<ActiveKey> published, Map<String, byte[]> jwksByOrigin) {}

    /**
     * A usable key: its id, certificate, public key and (for signing) a ready Nimbus signer.
     * Signers are thread-safe, so one instance serves every request.
     */
    public record ActiveKey(String kid, Instant createdAt, X509Certificate certificate, String certificateBase64,
                            RSAPublicKey publicKey, JWSSigner signer) {

        static ActiveKey of(SigningKeyRecord r) {
            try {
                X509Certificate cert = Certificates.fromBase64Der(r.certificate());
                PrivateKey key = Certificates.privateKeyFromPkcs8(r.privateKeyPkcs8(), "RSA");
                return new ActiveKey(r.kid(), r.createdAt(), cert, r.certificate(), (RSAPublicKey) cert.getPublicKey(),
                        new QueuedSigner(new RSASSASigner(key)));
            } catch (CertificateException e) {
                throw new IllegalStateException("stored signing key " + r.kid() + " has an unreadable certificate", e);
            }
        }

        /** The algorithm every Consentry token uses. */
        public JWSAlgorithm algorithm() {
            return JWSAlgorithm.RS256;
        }
    }

    /**
     * An RS256 signer that lets one signature per processor run at a time; the others wait in arrival order. A signature
     * is about a millisecond of CPU and nothing else, so running every request thread's signature at once only
     * interleaves them, and some tokens waited far longer than others (the token p99 in docs/performance.md, issue 13).
     * Thread-safe; {@link #rsa()} is the signer without the queue (for benchmarks that time the bare signature).
     */
    public record QueuedSigner(RSASSASigner rsa) implements JWSSigner {
        private static final Semaphore SIGNATURES = new Semaphore(Runtime.getRuntime().availableProcessors(), true);

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            SIGNATURES.acquireUninterruptibly();
            try {
                return rsa.sign(header, signingInput);
            } finally {
                SIGNATURES.release();
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return rsa.supportedJWSAlgorithms();
        }

        @Override
        public JCAContext getJCAContext() {
            return rsa.getJCAContext();
        }
    }
}
