package dev.consentry.launch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The feature release the jar's entry point reads from {@code java.specification.version}, old style and new. */
class JarMainTest {
    @Test
    void readsTheFeatureReleaseOfEveryStyle() {
        assertThat(JarMain.feature("1.8")).isEqualTo(8);
        assertThat(JarMain.feature("17")).isEqualTo(17);
        assertThat(JarMain.feature("21")).isEqualTo(21);
        assertThat(JarMain.feature("25.0.1")).isEqualTo(25);
        assertThat(JarMain.feature("")).isZero();
        assertThat(JarMain.feature("unknown")).isZero();
    }
}
