package dev.consentry.junit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.testkit.MutableClock;
import dev.consentry.testkit.TenantBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts Consentry in this JVM for a test class (or, with {@link Builder#perSuite()}, once for the run), with tenants
 * built in code or read from tenant files, and stops it when the class (or the run) is over.
 *
 * <pre>{@code
 * static final ConsentryTenant CONTOSO = ConsentryTenant.named("Contoso", "contoso.onmicrosoft.com")
 *         .app("Daemon", a -> a.secret("s3cret").applicationPermissions("User.Read.All"));
 *
 * @RegisterExtension
 * static final ConsentryExtension consentry = ConsentryExtension.withTenants(CONTOSO);
 *
 * @Test
 * void readsUsers(LocalConsentry server) { ... server.authority(CONTOSO) ... }
 * }</pre>
 *
 * <p>Parameters it resolves: {@link LocalConsentry}, {@link ConsentryControl} and {@link SSLContext} (trusting the
 * instance's CA). A tenant that does not load fails the class before its first test with a
 * {@link ConsentrySetupException} naming the tenant file path of the mistake. Nested classes share their outer
 * class's instance; two registered extensions in one JVM are two instances (two ports, two stores).
 */
public final class ConsentryExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ConsentryExtension.class);
    private final Setup setup;
    private volatile LocalConsentry running;

    /** For {@link ConsentryTest}: the setup comes from the annotation on the test class. */
    public ConsentryExtension() {
        this(null);
    }

    private ConsentryExtension(Setup setup) {
        this.setup = setup;
    }

    /** A class's Consentry with these tenants. */
    public static ConsentryExtension withTenants(ConsentryTenant... tenants) {
        return builder().tenants(tenants).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The running instance, once the class's tests have begun (for static fields and helpers outside test methods). */
    public LocalConsentry server() {
        LocalConsentry s = running;
        if (s == null) {
            throw new IllegalStateException("Consentry starts before the first test of the class that registers the extension");
        }
        return s;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        running = instance(context);
    }

    private LocalConsentry instance(ExtensionContext context) {
        Setup s = setup != null ? setup : Setup.of(annotation(context.getRequiredTestClass()), context.getRequiredTestClass());
        // A per-class instance lives in the class's store (nested classes see it there); a per-suite one in the root's.
        ExtensionContext owner = s.perSuite() ? context.getRoot() : context;
        Object key = s.perSuite() ? s.key() : this;
        String testClass = context.getRequiredTestClass().getName();
        return owner.getStore(NAMESPACE).computeIfAbsent(key, k -> new Running(s.start(testClass)), Running.class).server();
    }

    /** The stored instance: the store closes it when its context ends (the class, or the run). */
    private record Running(LocalConsentry server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private static ConsentryTest annotation(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            ConsentryTest found = c.getAnnotation(ConsentryTest.class);
            if (found != null) {
                return found;
            }
        }
        throw new ConsentrySetupException("ConsentryExtension on " + testClass.getName() + " without @ConsentryTest: register it "
                + "with @RegisterExtension and ConsentryExtension.builder() to give it tenants");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == LocalConsentry.class || type == ConsentryControl.class || type == SSLContext.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        LocalConsentry server = running != null ? running : instance(context);
        Class<?> type = parameter.getParameter().getType();
        if (type == ConsentryControl.class) {
            return server.control();
        }
        return type == SSLContext.class ? server.sslContext() : server;
    }

    /** A tenant file ({@code {"tenants": [...]}}) holding {@code tenants}, named {@code source} in its messages. */
    static LocalConsentry.Source tenantFile(List<ConsentryTenant> tenants, String source) {
        ObjectNode file = JsonNodeFactory.instance.objectNode();
        ArrayNode list = file.putArray("tenants");
        tenants.forEach(t -> list.add(t.toJson()));
        try {
            return new LocalConsentry.Source(DirectoryJson.mapper().writeValueAsBytes(file), source);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What to start: tenants in code, tenant files, raw directories from the testkit, and for how long it lives. */
    private record Setup(List<ConsentryTenant> tenants, List<String> tenantFiles, List<TenantDirectory> directories,
                         boolean perSuite) {
        static Setup of(ConsentryTest annotation, Class<?> testClass) {
            return new Setup(List.of(), List.of(annotation.tenantFiles()), List.of(), annotation.perSuite());
        }

        /** Two classes asking for the same tenants share a per-suite instance. */
        Object key() {
            return List.of(new String(tenantFile(tenants, "").bytes(), java.nio.charset.StandardCharsets.UTF_8), tenantFiles,
                    directories);
        }

        LocalConsentry start(String testClass) {
            List<LocalConsentry.Source> files = new ArrayList<>();
            if (!tenants.isEmpty()) {
                files.add(tenantFile(tenants, "the tenants built in code for " + testClass));
            }
            for (String name : tenantFiles) {
                files.add(new LocalConsentry.Source(bytes(name), name));
            }
            return LocalConsentry.start(files, directories, MutableClock.ticking());
        }

        private static byte[] bytes(String name) {
            try {
                if (name.startsWith("classpath:")) {
                    String resource = name.substring("classpath:".length()).replaceFirst("^/", "");
                    try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
                        if (in == null) {
                            throw new ConsentrySetupException("no tenant file " + name + " on the test class path");
                        }
                        return in.readAllBytes();
                    }
                }
                return Files.readAllBytes(Path.of(name));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new ConsentrySetupException("no tenant file " + name + " (relative to " + Path.of("").toAbsolutePath() + ")");
            } catch (IOException e) {
                throw new ConsentrySetupException("cannot read the tenant file " + name + ": " + e.getMessage());
            }
        }
    }

    /** Builds an extension. */
    public static final class Builder {
        private final List<ConsentryTenant> tenants = new ArrayList<>();
        private final List<String> tenantFiles = new ArrayList<>();
        private final List<TenantDirectory> directories = new ArrayList<>();
        private boolean perSuite;

        private Builder() {}

        /** Tenants built in code, loaded as a tenant file is. */
        public Builder tenants(ConsentryTenant... more) {
            tenants.addAll(List.of(more));
            return this;
        }

        /** A tenant file: a path, or {@code classpath:} and a resource name. */
        public Builder tenantFile(String name) {
            tenantFiles.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /** A tenant from the testkit's record builders, loaded as it is (its secrets already hashed). */
        public Builder tenant(TenantBuilder tenant) {
            directories.add(tenant.build());
            return this;
        }

        /** One instance for every class of the run that registers the same setup, instead of one per class. */
        public Builder perSuite() {
            perSuite = true;
            return this;
        }

        public ConsentryExtension build() {
            return new ConsentryExtension(new Setup(List.copyOf(tenants), List.copyOf(tenantFiles), List.copyOf(directories),
                    perSuite));
        }
    }
}
