package dev.consentry.core.permission;

import java.util.Optional;

/** The permission schemes of Microsoft's permission data: who the permission is for. */
public enum Scheme {
    /** Delegated, work or school account ({@code scp} of an organisational user). */
    DELEGATED_WORK("DelegatedWork", 'W'),
    /** Delegated, personal Microsoft account. */
    DELEGATED_PERSONAL("DelegatedPersonal", 'P'),
    /** Application permission ({@code roles} of an app-only token). */
    APPLICATION("Application", 'A');

    private final String dataName;
    private final char code;

    Scheme(String dataName, char code) {
        this.dataName = dataName;
        this.code = code;
    }

    /** The name in Microsoft's {@code permissions.json}. */
    public String dataName() {
        return dataName;
    }

    /** One letter, used in the built-in catalogue files. */
    public char code() {
        return code;
    }

    public static Optional<Scheme> fromDataName(String name) {
        for (Scheme s : values()) {
            if (s.dataName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public static Scheme fromCode(char c) {
        for (Scheme s : values()) {
            if (s.code == c) {
                return s;
            }
        }
        throw new IllegalArgumentException("no scheme with code " + c);
    }
}
