package dev.consentry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.directory.User;
import dev.consentry.core.id.ObjectId;
import dev.consentry.store.jdbc.JdbcStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write is answered only once it is durable: a child JVM writes through {@link JdbcStore}, says so,
 * and is killed with SIGKILL at once; the data must be there when the store is opened again.
 */
class KillDurabilityTest {

    /** The child: writes a tenant and then a user, printing a line after each answer, then waits to be killed. */
    public static void main(String[] args) throws Exception {
        JdbcStore store = JdbcStore.h2File(Path.of(args[0]));
        store.tenants().replace(TestTenants.contoso());
        System.out.println("REPLACED");
        store.users().save(TestTenants.CONTOSO, user());
        System.out.println("SAVED");
        System.out.flush();
        Thread.sleep(60_000);
    }

    static User user() {
        return new User(ObjectId.of("aaaaaaaa-0000-4000-8000-0000000000a9"), "late@contoso.com", "Written last", null, null,
                null, null, null, null, null);
    }

    @Test
    void writesAnsweredBeforeKillMinus9AreKept(@TempDir Path dir) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), KillDurabilityTest.class.getName(), dir.toString()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            List<String> seen = new ArrayList<>();
            while ((line = out.readLine()) != null) {
                seen.add(line);
                if (line.equals("SAVED")) {
                    child.destroyForcibly(); // SIGKILL on POSIX: no shutdown hook, no close
                    break;
                }
            }
            assertThat(seen).as("child output").contains("SAVED");
        }
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        try (JdbcStore reopened = JdbcStore.h2File(dir)) {
            TenantDirectory stored = reopened.tenants().export(TestTenants.CONTOSO).orElseThrow();
            assertThat(stored.applications()).isEqualTo(TestTenants.contoso().applications());
            assertThat(reopened.users().find(TestTenants.CONTOSO, user().id())).contains(user());
        }
    }
}
