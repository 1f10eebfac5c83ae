package dev.consentry.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the test class against a Consentry started for it, once, before its first test, and stopped after its last:
 * test methods (and constructors, and lifecycle methods) take a {@link LocalConsentry}, a {@link ConsentryControl} or
 * an {@link javax.net.ssl.SSLContext} trusting it as parameters. For tenants built in code, register a
 * {@link ConsentryExtension} in a static field instead.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ConsentryExtension.class)
public @interface ConsentryTest {
    /**
     * Tenant files to load ({@code docs/tenant-file.md}): a path relative to the working directory, or
     * {@code classpath:} and a resource name. None: a Consentry with no tenant but the consumers one.
     */
    String[] tenantFiles() default {};

    /** One Consentry for every class of the run with the same tenant files, instead of one per class. */
    boolean perSuite() default false;
}
