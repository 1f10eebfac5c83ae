package dev.consentry.core.tenantfile;

/**
 * A tenant file was refused. The message names the file, the JSON path and what was expected, e.g.
 * {@code contoso.json: $.tenants[0].users[3].accountEnabled: expected true or false, found the string "yes"}.
 * Nothing of a refused file is imported.
 */
public final class TenantFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String source;
    private final String path;

    public TenantFileException(String source, String path, String problem) {
        super(source + ": " + path + ": " + problem, null, false, false);
        this.source = source;
        this.path = path;
    }

    /** The file (or stream) name. */
    public String source() {
        return source;
    }

    /** The JSON path of the problem, {@code $} for the whole document. */
    public String path() {
        return path;
    }
}
