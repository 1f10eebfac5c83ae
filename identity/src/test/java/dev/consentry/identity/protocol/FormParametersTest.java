package dev.consentry.identity.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.FailureException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Form bodies as RFC 6749, appendix B and section 3.2 describe them. */
class FormParametersTest {

    static FormParameters parse(String body) {
        return FormParameters.parse(body.getBytes(StandardCharsets.UTF_8), Set.of("grant_type", "scope"));
    }

    @Test
    void decodesPlusAndPercentEncoding() {
        FormParameters p = parse("scope=openid+profile%20https%3A%2F%2Fgraph.microsoft.com%2F.default&x=%C3%A9");
        assertThat(p.get("scope")).contains("openid profile https://graph.microsoft.com/.default");
        assertThat(p.get("x")).contains("é");
    }

    @Test
    void emptyAndBlankValuesCountAsAbsent() {
        FormParameters p = parse("grant_type=&scope=%20&flag");
        assertThat(p.get("grant_type")).isEmpty();
        assertThat(p.get("scope")).isEmpty();
        assertThat(p.has("flag")).isTrue();
        FailureException e = catchThrowableOfType(FailureException.class, () -> p.require("grant_type"));
        assertThat(e.failure().cause()).isEqualTo(Cause.PARAMETER_MISSING);
        assertThat(e.failure().facts()).containsEntry("parameter", "grant_type");
    }

    @Test
    void repeatedProtocolParameterIsRefusedButRepeatedUnknownOneIsKept() {
        FailureException e = catchThrowableOfType(FailureException.class, () -> parse("scope=a&scope=b"));
        assertThat(e.failure().cause()).isEqualTo(Cause.PARAMETER_DUPLICATED);
        assertThat(parse("x-client-SKU=a&x-client-SKU=b").get("x-client-SKU")).contains("a");
    }

    @Test
    void badPercentEncodingIsRefused() {
        FailureException e = catchThrowableOfType(FailureException.class, () -> parse("scope=%E"));
        assertThat(e.failure().cause()).isEqualTo(Cause.PARAMETER_INVALID);
    }

    @Test
    void emptyBodyHasNoParameters() {
        assertThat(parse("").names()).isEmpty();
        assertThat(parse("&&").names()).isEmpty();
    }
}
