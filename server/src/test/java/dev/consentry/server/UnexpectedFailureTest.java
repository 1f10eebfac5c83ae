package dev.consentry.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.store.memory.InMemoryStore;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A fault of Consentry's own while it handles a request, over a real socket through the production routing: the
 * caller gets a JSON 500 naming the request id, and the log has that id once, at ERROR, with the cause.
 */
class UnexpectedFailureTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final FaultyClock CLOCK = new FaultyClock();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start(new InMemoryStore(), CLOCK);

    /** The system clock, except that it throws what {@link #fault} supplies when {@link #handler} asks it the time. */
    static final class FaultyClock extends Clock {
        volatile Supplier<? extends Throwable> fault;
        volatile String handler = ".GraphHandler";

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            Supplier<? extends Throwable> f = fault;
            if (f != null && StackWalker.getInstance().walk(s -> s.anyMatch(fr -> fr.getClassName().endsWith(handler)))) {
                Throwable t = f.get();
                if (t instanceof RuntimeException r) {
                    throw r;
                }
                throw (Error) t;
            }
            return Instant.now();
        }
    }

    @AfterEach
    void noMoreFaults() {
        CLOCK.fault = null;
        CLOCK.handler = ".GraphHandler";
    }

    /** The response, and what was logged meanwhile. */
    record Outcome(HttpResponse<String> response, String log) {}

    static Outcome getCapturingTheLog(String path) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        try {
            return new Outcome(server.get(path), captured.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(original);
        }
    }

    static void assertAnsweredAndLoggedOnce(Outcome o, String causeName) throws Exception {
        HttpResponse<String> r = o.response();
        assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
        assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("application/json");
        String id = r.headers().firstValue("request-id").orElseThrow();
        JsonNode error = JSON.readTree(r.body()).path("error");
        assertThat(error.path("code").asText()).isEqualTo("generalException");
        assertThat(error.path("innerError").path("request-id").asText()).isEqualTo(id);
        assertThat(r.body()).doesNotContain(causeName).doesNotContain("at dev.consentry");

        List<String> mentions = o.log().lines().filter(l -> l.contains(id)).toList();
        assertThat(mentions).as(o.log()).hasSize(1);
        assertThat(mentions.get(0)).startsWith("ERROR");
        assertThat(o.log()).contains(causeName).doesNotContain("Fatal error");
    }

    @Test
    void anExceptionIsAnsweredAsJsonAndLoggedOnceWithTheRequestId() throws Exception {
        CLOCK.fault = () -> new IllegalStateException("clock fault for the test");
        assertAnsweredAndLoggedOnce(getCapturingTheLog("/v1.0/users"), "IllegalStateException");
    }

    @Test
    void anErrorIsAnsweredAsJsonAndLoggedOnceWithTheRequestId() throws Exception {
        CLOCK.fault = () -> new StackOverflowError("deep recursion for the test");
        assertAnsweredAndLoggedOnce(getCapturingTheLog("/v1.0/users"), "StackOverflowError");
    }

    @Test
    void aFaultOutsideGraphIsAnsweredInTheStsShapeWithTheSameId() throws Exception {
        CLOCK.handler = ".TokenHandler";
        CLOCK.fault = () -> new IllegalStateException("clock fault for the test");
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
        HttpResponse<String> r;
        try {
            r = server.postForm("/" + dev.consentry.server.testing.TestTenant.TENANT + "/oauth2/v2.0/token",
                    "grant_type=client_credentials&client_id=x&client_secret=y&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
        } finally {
            System.setErr(original);
        }
        assertThat(r.statusCode()).as(r.body()).isEqualTo(500);
        String id = r.headers().firstValue("request-id").orElseThrow();
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("error").asText()).isEqualTo("server_error");
        assertThat(body.path("trace_id").asText()).isEqualTo(id);
        assertThat(r.headers().firstValue("x-ms-request-id")).contains(id);
        assertThat(captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.contains(id)).toList())
                .singleElement().asString().startsWith("ERROR");
    }

    /** Writes to both streams. */
    static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws java.io.IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public void write(byte[] buf, int off, int len) throws java.io.IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
            b.flush();
        }
    }
}
