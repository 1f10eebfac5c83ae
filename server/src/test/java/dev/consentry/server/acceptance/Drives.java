package dev.consentry.server.acceptance;

import dev.consentry.core.cause.Cause;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an acceptance test that drives {@link #value()} through a real client, asserts its diagnosis, applies the
 * fix the diagnosis names and sees the same call succeed (issue 12's acceptance). {@link EveryCauseIsDrivenTest}
 * counts these marks against the catalogue.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Drives {
    Cause value();
}
