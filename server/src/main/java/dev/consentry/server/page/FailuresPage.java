package dev.consentry.server.page;

import dev.consentry.core.explain.Diagnosis;
import java.util.List;

/**
 * One app's newest refusals, each linking to its diagnosis page.
 *
 * @param clientId the app asked about; empty before one is given
 * @param channel the channel shown ({@code all}, {@code graph}, {@code sts})
 */
public record FailuresPage(String clientId, String channel, List<Diagnosis> failures) {

    /** The link to one failure's page. */
    public static String link(Diagnosis d) {
        return "/consentry/diagnosis/" + java.net.URLEncoder.encode(d.id(), java.nio.charset.StandardCharsets.UTF_8);
    }
}
