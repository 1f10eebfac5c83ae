package dev.consentry.server.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.cause.Cause;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's acceptance, counted: every cause of the catalogue is driven by an acceptance test ({@link Drives}) or
 * is listed below with the reason no client can drive it to a fix. A new cause fails this test until it is one or
 * the other.
 */
class EveryCauseIsDrivenTest {
    /** The classes whose tests drive causes. */
    static final List<Class<?>> ACCEPTANCE = List.of(GraphPermissionCausesTest.class, GraphTokenCausesTest.class,
            GraphRightsCausesTest.class, GraphLocationCausesTest.class, StsClientRequestCausesTest.class,
            StsClientCredentialCausesTest.class, StsGrantCausesTest.class, StsBrowserCausesTest.class,
            StsPolicyConsentCausesTest.class, StsPolicyAccessCausesTest.class, GraphAppRoleCausesTest.class,
            StsCrossOriginCausesTest.class, GraphLicenceCausesTest.class, GraphDriveCausesTest.class,
            GraphRouteCausesTest.class);

    /** Causes no client can drive to a fix, and why. */
    static final Map<Cause, String> NOT_DRIVABLE = new EnumMap<>(Cause.class);

    static {
        NOT_DRIVABLE.put(Cause.PERMISSION_NOT_HELD, "only the offline decision on a real Entra ID token gives it (explain --token, "
                + "ExplainCommandTest); its fix is made in that other tenant");
    }

    @Test
    void everyCauseIsDrivenOrSaysWhyNot() {
        Set<Cause> driven = EnumSet.noneOf(Cause.class);
        for (Class<?> c : ACCEPTANCE) {
            for (Method m : c.getDeclaredMethods()) {
                Drives d = m.getAnnotation(Drives.class);
                if (d != null) {
                    assertThat(m.isAnnotationPresent(org.junit.jupiter.api.Test.class)).as(m.toString()).isTrue();
                    driven.add(d.value());
                }
            }
        }
        assertThat(driven).as("a cause is either driven or not drivable").doesNotContainAnyElementsOf(NOT_DRIVABLE.keySet());
        Set<String> missing = new TreeSet<>();
        Arrays.stream(Cause.values()).filter(c -> !driven.contains(c) && !NOT_DRIVABLE.containsKey(c))
                .forEach(c -> missing.add(c.name()));
        assertThat(missing).as("causes no acceptance test drives").isEmpty();
    }
}
