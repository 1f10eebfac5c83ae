package dev.consentry.core.directory;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which statuses Consentry's Graph reproduces where the troubleshooting page and today's Graph differ. */
public enum ErrorProfile {
    /** The statuses of Microsoft's "Application errors" troubleshooting page (the default). */
    TROUBLESHOOTING_GUIDE("troubleshooting-guide"),
    /** What Graph answers today (401 "Invalid audience", 401 claims challenges). */
    GRAPH_TODAY("graph-today");

    private final String wireName;

    ErrorProfile(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    @JsonCreator
    public static ErrorProfile fromWire(String text) {
        for (ErrorProfile p : values()) {
            if (p.wireName.equals(text)) {
                return p;
            }
        }
        throw new IllegalArgumentException("expected 'troubleshooting-guide' or 'graph-today', got '" + text + "'");
    }
}
