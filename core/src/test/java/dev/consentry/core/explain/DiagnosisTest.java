package dev.consentry.core.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiagnosisTest {
    static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

    @Test
    void aRefusalRoundTripsThroughItsJsonWithEveryStepAndTheLeastPrivileged() {
        Failure f = Failure.of(Cause.PERMISSION_NOT_REQUESTED, "method", "GET", "route", "/users", "sufficient", "User.Read.All",
                "scheme", "Application", "held", "no permission", "first", "User.ReadBasic.All", "type", "application",
                "leastId", "97235f07-e226-4f63-ace3-39588e11d3a1", "command", "consentry grant --permission User.ReadBasic.All",
                "snippet", "\"appRoleId\": \"User.ReadBasic.All\"");
        List<Step> steps = new Steps().passed(Check.TOKEN_PRESENT, "a Bearer token").add(Step.unknown(Check.USER_RIGHTS,
                "roles are not in the token")).failedWith(f).toList();
        Diagnosis d = Diagnosis.refused("req-1", Diagnosis.Channel.GRAPH, null, "corr-1", "GET", "/v1.0/users", AT, 403, f,
                steps, Map.of("Application", List.of("User.ReadBasic.All")));

        Diagnosis back = Diagnosis.parse(d.toJson());

        assertThat(back).isEqualTo(d);
        assertThat(back.failedStep()).hasValueSatisfying(s -> assertThat(s.check()).isEqualTo(Check.PERMISSION));
        assertThat(back.facts()).as("a script reads the fix's parts without parsing prose")
                .containsEntry("first", "User.ReadBasic.All").containsEntry("type", "application")
                .containsEntry("command", "consentry grant --permission User.ReadBasic.All");
        assertThat(d.toJson()).contains("\"cause\":\"permission-not-requested\"").contains("\"outcome\":\"unknown\"")
                .contains("\"passed\":false").contains("\"decision\":\"deny\"");
    }

    @Test
    void anIssuedTokenIsAnAllowedStsDiagnosisWithoutCause() {
        Diagnosis d = Diagnosis.allowed("t-1", Diagnosis.Channel.STS, "t-1", null, "POST", "/x/oauth2/v2.0/token", AT, 200,
                null, List.of(Step.passed(Check.ISSUED, "token_type Bearer")), Map.of());
        Diagnosis back = Diagnosis.parse(d.toJson());
        assertThat(back).isEqualTo(d);
        assertThat(back.allowed()).isTrue();
        assertThat(back.cause()).isNull();
        assertThat(back.failedStep()).isEmpty();
    }

    @Test
    void whatIsNotARecordedDiagnosisIsRefusedClearly() {
        assertThatThrownBy(() -> Diagnosis.parse("{")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Diagnosis.parse("{\"id\":\"x\",\"channel\":\"smtp\",\"at\":\"2026-12-05T10:00:00Z\"}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("channel");
    }

    @Test
    void checkWireNamesAreUniqueAndEveryCauseFailsOneCheck() {
        Set<String> names = new HashSet<>();
        for (Check c : Check.values()) {
            assertThat(names.add(c.wireName())).as(c.wireName()).isTrue();
            assertThat(Check.fromWire(c.wireName())).contains(c);
        }
        assertThat(Arrays.stream(Cause.values()).map(Check::of)).doesNotContainNull();
        assertThat(Check.of(Cause.CLIENT_SECRET_INVALID)).isEqualTo(Check.CLIENT_AUTHENTICATION);
        assertThat(Check.of(Cause.WRONG_AUDIENCE)).isEqualTo(Check.AUDIENCE);
    }
}
