package dev.consentry.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;

/** Reading Graph's answers in tests: the JSON body, and a refusal's status and {@code error.code}. */
public final class GraphReplies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GraphReplies() {}

    public static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Asserts Graph's status and {@code error.code}; answers the body. */
    public static JsonNode refused(HttpResponse<String> response, int status, String code) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json(response);
        assertThat(body.path("error").path("code").asText()).as(response.body()).isEqualTo(code);
        return body;
    }
}
