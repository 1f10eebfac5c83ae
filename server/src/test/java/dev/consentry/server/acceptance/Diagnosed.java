package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.explain.Check;
import dev.consentry.core.explain.Diagnosis;
import dev.consentry.server.admin.Administration;
import dev.consentry.server.admin.StoreAdministration;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What every acceptance test of a cause does with the answer it got: read the diagnosis through the diagnostics API
 * (as a user does, by the id the answer carried), check that it names the cause and fails the check the catalogue
 * assigns to it, and apply the fix it names.
 */
final class Diagnosed {
    private static final Pattern GRANT = Pattern.compile(
            "consentry grant --tenant (\\S+) --app (\\S+) --permission (\\S+) --type (application|delegated)");

    private Diagnosed() {}

    /**
     * The diagnosis recorded under {@code id} (a Graph request id, an STS trace or correlation id), asserted to be a
     * refusal of {@code cause} whose failed step is the cause's check, with an explanation and a fix.
     */
    static Diagnosis as(RunningConsentry server, String id, Cause cause) {
        HttpResponse<String> r = server.get("/consentry/diagnostics/" + id);
        assertThat(r.statusCode()).as("diagnosis of %s: %s", id, r.body()).isEqualTo(200);
        Diagnosis d = Diagnosis.parse(r.body());
        assertThat(d.allowed()).as(r.body()).isFalse();
        assertThat(d.cause()).as(r.body()).isEqualTo(cause.slug());
        assertThat(d.failedStep()).as(r.body())
                .hasValueSatisfying(s -> assertThat(s.check()).isEqualTo(Check.of(cause)));
        assertThat(d.explanation()).as(r.body()).isNotBlank();
        assertThat(d.fix()).as(r.body()).isNotBlank();
        return d;
    }

    /** The recorded diagnosis under {@code id}, asserted to be an allowed request. */
    static Diagnosis allowed(RunningConsentry server, String id) {
        HttpResponse<String> r = server.get("/consentry/diagnostics/" + id);
        assertThat(r.statusCode()).as("diagnosis of %s: %s", id, r.body()).isEqualTo(200);
        Diagnosis d = Diagnosis.parse(r.body());
        assertThat(d.allowed()).as(r.body()).isTrue();
        return d;
    }

    /**
     * Runs the {@code consentry grant} command the diagnosis's fix names (its {@code command} fact, which the fix text
     * also shows) through the administration that command uses, against the running server's store. Answers what the
     * grant did.
     */
    static Administration.GrantResult applyGrant(RunningConsentry server, Diagnosis d) {
        String command = d.facts().get("command");
        assertThat(command).as("the fix names a command: %s", d.facts()).isNotNull();
        assertThat(d.fix()).contains(command);
        Matcher m = GRANT.matcher(command);
        assertThat(m.matches()).as(command).isTrue();
        try (Administration admin = StoreAdministration.onStore(server.consentry().store(), server.consentry().clock())) {
            return admin.grant(new Administration.GrantRequest(m.group(1), m.group(2), null, m.group(3), m.group(4)));
        }
    }

    /** Puts the test tenants back as {@link TestTenant} defines them, undoing what an earlier test changed. */
    static void reset(RunningConsentry server) {
        server.consentry().importTenants(TestTenant.tenants());
    }
}
