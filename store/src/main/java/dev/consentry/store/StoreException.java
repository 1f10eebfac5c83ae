package dev.consentry.store;

/** A store could not do what was asked; the store is left as it was before the call. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
