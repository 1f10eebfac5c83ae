package dev.consentry.core.metadata;

/**
 * Which names an object may carry beside the properties its Graph type declares, in a tenant file and in a Graph
 * request body alike: an annotation (any name with {@code @}: {@code @odata.type}, {@code members@odata.bind},
 * {@code id@odata.type}); on a type Graph declares open (directory objects, mail, events, files), an extension
 * property, whose name has an underscore ({@code extension_<app id>_costCentre}, a schema extension's
 * {@code ext12ab34cd_project}); and any name at all on an open type that declares no property of its own (a user's
 * {@code customSecurityAttributes}, whose attribute sets the tenant names).
 *
 * <p>Guaranteed: a pure function of its arguments; it says nothing of the value under the name.
 */
public final class UndeclaredNames {
    private UndeclaredNames() {}

    /**
     * Whether {@code name}, which the type does not declare, is still accepted.
     *
     * @param open          whether the type (or a base type of it) is open
     * @param declaresNone  whether the type declares no property at all
     */
    public static boolean accepted(String name, boolean open, boolean declaresNone) {
        return name.indexOf('@') >= 0 || open && (declaresNone || name.indexOf('_') >= 0);
    }

    /** {@link #accepted(String, boolean, boolean)} for a type of {@code metadata}. */
    public static boolean accepted(GraphMetadata metadata, String type, String name) {
        boolean open = metadata.lineage(type).stream().anyMatch(GraphMetadata.Type::open);
        return accepted(name, open, metadata.properties(type).isEmpty());
    }
}
