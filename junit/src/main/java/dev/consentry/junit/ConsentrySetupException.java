package dev.consentry.junit;

/**
 * Consentry could not be set up for a test class: a tenant that does not load, a tenant file that cannot be read. Its
 * message says what to fix; it carries no stack trace, which would only show the extension's own frames.
 */
public final class ConsentrySetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ConsentrySetupException(String message) {
        super(message, null, false, false);
    }
}
