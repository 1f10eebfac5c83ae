package dev.consentry.graph.authz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.directory.AssignedLicense;
import dev.consentry.core.directory.SubscribedSku;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.permission.GraphPermissionCatalogue;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.core.tenantfile.TenantFile;
import dev.consentry.identity.key.SigningKeys;
import dev.consentry.store.memory.InMemoryStore;
import dev.consentry.testkit.TestTenants;
import dev.consentry.testkit.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The licence stage through the whole engine: mail and files need the data owner's service plan, the
 * directory needs none, and a plan disabled in the assignment does not count.
 */
class LicenceChecksTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final TenantId TENANT = TenantId.of("5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
    static final UUID E3 = UUID.fromString("6fd2c87f-b296-42f0-b197-1e91e994b900");
    static final UUID EXCHANGE_PLAN = UUID.fromString("efb87545-963c-4e0d-99df-69c6916d9eb0");
    static final UUID SHAREPOINT_PLAN = UUID.fromString("5dbe027f-2339-4123-9542-606e4d348a72");
    static final ObjectId LICENSED = ObjectId.of("77777777-0000-4000-8000-000000000011");
    static final ObjectId UNLICENSED = ObjectId.of("77777777-0000-4000-8000-000000000012");
    static final ObjectId NO_MAIL = ObjectId.of("77777777-0000-4000-8000-000000000013");
    static SigningKeys keys;
    static AuthorizationEngine engine;

    @BeforeAll
    static void tenant() {
        InMemoryStore store = new InMemoryStore();
        keys = SigningKeys.load(store.signingKeys(), Clock.systemUTC());
        SubscribedSku e3 = new SubscribedSku("sku-1", E3, "ENTERPRISEPACK", List.of(
                new SubscribedSku.ServicePlan(EXCHANGE_PLAN, "EXCHANGE_S_ENTERPRISE", "Success", "User"),
                new SubscribedSku.ServicePlan(SHAREPOINT_PLAN, "SHAREPOINTENTERPRISE", "Success", "User")), null);
        List<User> users = List.of(
                new User(LICENSED, "licensed@fabrikam.example", "Licensed", null, "Member", true, null, null,
                        List.of(new AssignedLicense(E3, List.of())), null),
                new User(UNLICENSED, "unlicensed@fabrikam.example", "Unlicensed", null, "Member", true, null, null, List.of(), null),
                new User(NO_MAIL, "nomail@fabrikam.example", "No mail", null, "Member", true, null, null,
                        List.of(new AssignedLicense(E3, List.of(EXCHANGE_PLAN))), null));
        store.tenants().replace(TenantFile.normalise(TestTenants.fabrikam().withOnlyDomains("fabrikam.example")
                .withUsers(users).withSubscribedSku(e3).build(), new SecretHasher(1_000)));
        engine = new AuthorizationEngine(TokenChecks.graphTokenValidator(keys), GraphPermissionCatalogue.builtin(), store);
    }

    static String token(ObjectId user, String scp) {
        TestTokens.Builder t = TestTokens.signedWith(keys.primary().signer(), keys.primary().kid()).tenant(TENANT)
                .aud("https://graph.microsoft.com").appId("a1111111-0000-4000-8000-000000000001").at(NOW, Duration.ofHours(1));
        if (user == null) {
            t.appOnly().roles(scp);
        } else {
            t.delegated().oid(user).scp(scp);
        }
        return t.sign();
    }

    static Decision get(String path, String token) {
        return engine.decide(new GraphRequest("GET", path, "Bearer " + token), NOW);
    }

    static void assertNotLicensed(Decision d) {
        assertNotLicensed(d, Cause.USER_NOT_LICENSED);
    }

    static void assertNotLicensed(Decision d, Cause cause) {
        assertThat(d).isInstanceOf(Decision.Deny.class);
        assertThat(((Decision.Deny) d).failure().cause()).isEqualTo(cause);
        assertThat(d.steps().get(d.steps().size() - 1).check()).isEqualTo(dev.consentry.core.explain.Check.LICENCE);
    }

    @Test
    void mailNeedsAnExchangePlanOfTheMailboxOwner() throws Exception {
        assertThat(get("/v1.0/me/messages", token(LICENSED, "Mail.Read"))).isInstanceOf(Decision.Allow.class);
        assertNotLicensed(get("/v1.0/me/messages", token(UNLICENSED, "Mail.Read")), Cause.MAILBOX_NOT_LICENSED);
        Decision disabled = get("/v1.0/me/messages", token(NO_MAIL, "Mail.Read"));
        assertNotLicensed(disabled, Cause.MAILBOX_NOT_LICENSED);
        assertThat(((Decision.Deny) disabled).failure().explanation()).contains("ENTERPRISEPACK").contains("EXCHANGE_S_");
        // An application reading a user's mail: the owner is the named user.
        assertNotLicensed(get("/v1.0/users/" + UNLICENSED + "/messages", token(null, "Mail.Read")), Cause.MAILBOX_NOT_LICENSED);
        assertThat(get("/v1.0/users/licensed@fabrikam.example/messages", token(null, "Mail.Read"))).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void filesNeedSharePointAndTheDirectoryNeedsNothing() throws Exception {
        assertThat(get("/v1.0/me/drive/root/children", token(NO_MAIL, "Files.Read"))).as("SharePoint still enabled")
                .isInstanceOf(Decision.Allow.class);
        assertNotLicensed(get("/v1.0/me/drive/root/children", token(UNLICENSED, "Files.Read")));
        assertThat(get("/v1.0/me", token(UNLICENSED, "User.Read"))).isInstanceOf(Decision.Allow.class);
    }

    @Test
    void workloadsAndTheirAccessDeniedCodes() {
        assertThat(Workload.of("/v1.0/me/messages/abc")).isEqualTo(Workload.EXCHANGE);
        assertThat(Workload.of("/beta/users/x/calendar/events")).isEqualTo(Workload.EXCHANGE);
        assertThat(Workload.of("/v1.0/me/drive/root/children")).isEqualTo(Workload.FILES);
        assertThat(Workload.of("/v1.0/sites/root")).isEqualTo(Workload.FILES);
        assertThat(Workload.of("/v1.0/users/x")).isEqualTo(Workload.DIRECTORY);
        assertThat(Workload.of("/v1.0/me/messagesX")).isEqualTo(Workload.DIRECTORY);
        assertThat(Workload.EXCHANGE.deniedCode()).isEqualTo("ErrorAccessDenied");
        assertThat(Workload.FILES.deniedCode()).isEqualTo("accessDenied");
        // The services' own texts (observed-responses.md: graph-mail-403 to 2024, graph-sharepoint-403 to 2026).
        assertThat(Workload.EXCHANGE.deniedMessage()).isEqualTo("Access is denied. Check credentials and try again.");
        assertThat(Workload.FILES.deniedMessage()).isEqualTo("Access denied");
        assertThat(Workload.DIRECTORY.deniedMessage()).isNull();
    }
}
