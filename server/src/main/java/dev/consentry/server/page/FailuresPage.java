package dev.consentry.server.page;

import dev.consentry.core.explain.Diagnosis;
import java.util.List;

/**
 * The newest refusals of one app, or of every app of a tenant, each linking to its diagnosis page.
 *
 * @param clientId the app asked about; empty when none is
 * @param tenant the tenant asked about (its id or a domain, as typed); empty when none is
 * @param channel the channel shown ({@code all}, {@code graph}, {@code sts})
 * @param message why nothing is listed for what was asked (an unknown tenant), or null
 */
public record FailuresPage(String clientId, String tenant, String channel, List<Diagnosis> failures, String message) {

    /** Whether an app or a tenant was asked about, so the list (or its absence) is shown. */
    public boolean asked() {
        return !clientId.isEmpty() || !tenant.isEmpty();
    }

    /** The link to one failure's page. */
    public static String link(Diagnosis d) {
        return "/consentry/diagnosis/" + java.net.URLEncoder.encode(d.id(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
