package dev.consentry.core.tenantfile;

import java.util.Objects;

/**
 * A tenant file was refused. The message is one line, {@code <source>: <JSON path>: <problem>}, for example
 * {@code contoso.json: $.tenants[0].users[3].accountEnabled: expected true or false, found the string "yes"}.
 * It never holds a Java class name or a stack trace, so commands can print it as it is.
 *
 * <p>Reading is pure: when this is thrown, nothing of the file has been imported anywhere.
 */
public final class TenantFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String path;
    private final String problem;

    /**
     * @param source  the file name or the name given with the stream
     * @param path    the JSON path of the offending value, {@code $} for the whole document
     * @param problem what was expected or which rule was broken
     */
    public TenantFileException(String source, String path, String problem) {
        // No stack trace and no suppression: this is a user's mistake, not ours, and the message says it all.
        super(source + ": " + path + ": " + problem, null, false, false);
        this.source = Objects.requireNonNull(source, "source");
        this.path = Objects.requireNonNull(path, "path");
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The file (or stream) name. */
    public String source() {
        return source;
    }

    /** The JSON path of the problem, such as {@code $.tenants[0].users[3].accountEnabled}; {@code $} for the whole document. */
    public String path() {
        return path;
    }

    /** The problem alone, without source and path. */
    public String problem() {
        return problem;
    }
}
