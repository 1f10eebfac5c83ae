package dev.consentry.identity.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Golden wire fixture of the STS error body (wire spec, section 3.1). */
class StsErrorTest {

    @Test
    void rendersEntrasErrorBodyExactly() throws Exception {
        StsError error = new StsError(Failure.of(Cause.SCOPE_INVALID_FOR_FLOW, "scope", "User.Read",
                "suggestion", "https://graph.microsoft.com/.default"),
                "0000aaaa-11bb-cccc-dd33-eeeeee333333", "aaaa0000-bb11-2222-33cc-444444dddddd",
                Instant.parse("2016-01-09T02:02:12.345Z"));

        String expected = "{\"error\":\"invalid_scope\","
                + "\"error_description\":\"AADSTS1002012: The provided value for scope User.Read is not valid. Client credential "
                + "flows must have a scope value with /.default suffixed to the resource identifier (application ID URI)."
                + "\\r\\nTrace ID: 0000aaaa-11bb-cccc-dd33-eeeeee333333"
                + "\\r\\nCorrelation ID: aaaa0000-bb11-2222-33cc-444444dddddd"
                + "\\r\\nTimestamp: 2016-01-09 02:02:12Z\","
                + "\"error_codes\":[1002012],"
                + "\"timestamp\":\"2016-01-09 02:02:12Z\","
                + "\"trace_id\":\"0000aaaa-11bb-cccc-dd33-eeeeee333333\","
                + "\"correlation_id\":\"aaaa0000-bb11-2222-33cc-444444dddddd\"}";
        assertThat(new String(error.toJson(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(error.status()).isEqualTo(400);
        assertThat(new ObjectMapper().readTree(error.toJson()).path("error_codes").get(0).isInt()).isTrue();
    }

    @Test
    void statusComesFromTheCause() {
        StsError e = new StsError(Failure.of(Cause.CLIENT_SECRET_INVALID, "clientId", "x"), "t", "c", Instant.EPOCH);
        assertThat(e.status()).isEqualTo(401);
        assertThat(e.description()).startsWith("AADSTS7000215: Invalid client secret provided.");
    }

    @Test
    void theErrorUriNamesTheCodesPageOnTheOriginTheClientUsedAndComesLast() throws Exception {
        StsError e = new StsError(Failure.of(Cause.CLIENT_SECRET_INVALID, "clientId", "x"), "t", "c", Instant.EPOCH,
                "https://localhost:8443");
        var body = new ObjectMapper().readTree(e.toJson());
        assertThat(body.path("error_uri").asText()).isEqualTo("https://localhost:8443/error?code=7000215");
        java.util.List<String> names = new java.util.ArrayList<>();
        body.fieldNames().forEachRemaining(names::add);
        assertThat(names).endsWith("error_uri");
    }
}
