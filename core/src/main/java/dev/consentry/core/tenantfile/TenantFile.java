package dev.consentry.core.tenantfile;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.consentry.core.directory.DirectoryJson;
import dev.consentry.core.directory.TenantDirectory;
import dev.consentry.core.secret.SecretHasher;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tenant file (product brief, section 3): {@code {"tenants": [ ... ]}} whose objects have Microsoft
 * Graph's shapes and property names, so people can paste what Graph returns. See {@code docs/tenant-file.md}.
 *
 * <p>Reading is pure and all-or-nothing: it parses, validates every reference and rule (each error with
 * its JSON path), and normalises (secrets and passwords hashed, missing service principals added) before
 * anything is returned, so a refused file imports nothing. Writing never emits a clear-text secret or
 * password: only each secret's hint and hash. {@code read(write(read(f)))} equals {@code read(f)}.
 */
public final class TenantFile {
    private static final ObjectMapper WRITER = DirectoryJson.mapper().copy().enable(SerializationFeature.INDENT_OUTPUT);

    private TenantFile() {}

    /** The top level of the file. */
    record Root(List<TenantDirectory> tenants) {}

    /** Reads, validates and normalises a file, hashing secrets with the standard cost. */
    public static List<TenantDirectory> read(Path file) {
        return read(file, SecretHasher.standard());
    }

    /**
     * Reads with the given hasher. The cost is a parameter because a file may hold hundreds of users:
     * the default PBKDF2 cost suits real passwords, while generated fixtures may choose a lower one.
     */
    public static List<TenantDirectory> read(Path file, SecretHasher hasher) {
        String source = file.toString();
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, source, hasher);
        } catch (NoSuchFileException e) {
            throw new TenantFileException(source, "$", "the file does not exist");
        } catch (IOException e) {
            throw new TenantFileException(source, "$", "the file could not be read: " + e.getMessage());
        }
    }

    /** Reads from a stream; {@code source} names it in errors. */
    public static List<TenantDirectory> read(InputStream in, String source, SecretHasher hasher) throws IOException {
        JsonNode tree;
        try {
            tree = DirectoryJson.mapper().readTree(in);
        } catch (JsonParseException e) {
            JsonLocation at = e.getLocation();
            throw new TenantFileException(source, containerPath(e), "not valid JSON at line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ": " + e.getOriginalMessage());
        }
        Root root = null;
        if (tree != null && !tree.isMissingNode()) {
            // Names before values: a misspelt property would otherwise be kept (or ignored) without a word.
            GraphPropertyNames.check(source, tree);
            // Before mapping: the records require ids and hold permission ids (see DerivedIds, PermissionNames).
            DerivedIds.fill(tree);
            PermissionNames.resolve(source, tree);
            try {
                root = DirectoryJson.mapper().treeToValue(tree, Root.class);
            } catch (JsonMappingException e) {
                throw new TenantFileException(source, path(e), expectation(e));
            }
        }
        if (root == null || root.tenants() == null) {
            throw new TenantFileException(source, "$", "expected an object with a \"tenants\" array");
        }
        List<TenantDirectory> tenants = new ArrayList<>(root.tenants());
        for (int i = 0; i < tenants.size(); i++) {
            if (tenants.get(i) == null) {
                throw new TenantFileException(source, "$.tenants[" + i + "]", "expected a tenant object, found null");
            }
        }
        return TenantRules.validateAndNormalise(source, tenants, hasher);
    }

    /**
     * Applies the load rules to one tenant built in code (Consentry's own consumers tenant, fixtures):
     * secrets hashed, service principals added for its applications and the built-in resources.
     * Throws {@link TenantFileException} (source "code") when a rule is broken.
     */
    public static TenantDirectory normalise(TenantDirectory tenant, SecretHasher hasher) {
        return TenantRules.normalise("code", "$", tenant, hasher);
    }

    /** Writes {@code tenants} as a tenant file (indented JSON, UTF-8), each permission id with its name beside it. */
    public static void write(List<TenantDirectory> tenants, OutputStream out) throws IOException {
        JsonNode tree = WRITER.valueToTree(Map.of("tenants", tenants));
        PermissionNames.annotate(tree, tenants);
        WRITER.writeValue(new NonClosing(out), tree);
    }

    /** The path of the object or array the parser was in when the text stopped being JSON. */
    private static String containerPath(JsonParseException e) {
        if (!(e.getProcessor() instanceof JsonParser p)) {
            return "$";
        }
        List<String> segments = new ArrayList<>();
        // Each enclosing context's current entry leads to the next context in; the innermost one's is the bad value.
        for (JsonStreamContext c = p.getParsingContext().getParent(); c != null && !c.inRoot(); c = c.getParent()) {
            segments.add(0, c.inArray() ? "[" + c.getCurrentIndex() + "]" : "." + c.getCurrentName());
        }
        return "$" + String.join("", segments);
    }

    /** {@code $.tenants[0].users[3].accountEnabled} from Jackson's reference chain. */
    static String path(JsonMappingException e) {
        StringBuilder p = new StringBuilder("$");
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                p.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                p.append('[').append(r.getIndex()).append(']');
            }
        }
        return p.toString();
    }

    /** What was expected, in words, without Java class names. */
    static String expectation(JsonMappingException e) {
        if (e instanceof ValueInstantiationException v) {
            Throwable cause = v.getCause();
            String message = cause == null ? null : cause.getMessage();
            if (cause instanceof NullPointerException && message != null && message.matches("[A-Za-z]+")) {
                return "required property '" + message + "' is missing";
            }
            if (message != null && message.startsWith("not a GUID")) {
                return "expected a GUID, found " + message.substring("not a GUID: ".length());
            }
            return message == null ? "this object is not valid" : message;
        }
        if (e instanceof UnrecognizedPropertyException u) {
            // Graph objects keep what they do not model; only Consentry's own wrappers (the root) have a fixed set.
            List<String> known = u.getKnownPropertyIds() == null ? List.of()
                    : u.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "unknown property '" + u.getPropertyName() + "'"
                    + (known.isEmpty() ? "" : "; expected " + String.join(", ", known));
        }
        if (e instanceof InvalidFormatException f) {
            return "expected " + describe(f.getTargetType()) + ", found " + found(f.getValue());
        }
        if (e instanceof MismatchedInputException m) {
            String found = foundInMessage(m.getOriginalMessage());
            if (found == null && m.getProcessor() instanceof JsonParser p) {
                found = found(p);
            }
            return "expected " + describe(m.getTargetType()) + (found == null ? "" : ", found " + found);
        }
        return "this value is not valid here";
    }

    private static final java.util.regex.Pattern STRING_VALUE = java.util.regex.Pattern.compile("String value \\(\"(.*?)\"\\)");
    private static final java.util.regex.Pattern OTHER_VALUE = java.util.regex.Pattern.compile("from (Object|Array|Integer|Floating-point|Boolean) value");

    /** What Jackson's own message says it found (its wording is stable across 2.x), in our words. */
    private static String foundInMessage(String message) {
        if (message == null) {
            return null;
        }
        java.util.regex.Matcher m = STRING_VALUE.matcher(message);
        if (m.find()) {
            return found(m.group(1));
        }
        m = OTHER_VALUE.matcher(message);
        if (m.find()) {
            return switch (m.group(1)) {
                case "Object" -> "an object";
                case "Array" -> "an array";
                case "Boolean" -> "true or false";
                default -> "a number";
            };
        }
        return null;
    }

    /** The value the parser stood on, in words. */
    private static String found(JsonParser p) {
        JsonToken t = p.currentToken();
        if (t == null) {
            return null;
        }
        try {
            return switch (t) {
                case VALUE_STRING -> found(p.getText());
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "the number " + p.getText();
                case VALUE_TRUE, VALUE_FALSE -> p.getText();
                case VALUE_NULL -> "null";
                case START_OBJECT, FIELD_NAME -> "an object";
                case START_ARRAY -> "an array";
                default -> null;
            };
        } catch (IOException e) {
            return null;
        }
    }

    private static String found(Object value) {
        if (value instanceof String s) {
            return "the string \"" + (s.length() > 60 ? s.substring(0, 60) + "..." : s) + "\"";
        }
        return String.valueOf(value);
    }

    static String describe(Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == java.util.UUID.class || type.getPackageName().equals("dev.consentry.core.id")) {
            return "a GUID";
        }
        if (type == java.time.Instant.class) {
            return "an ISO-8601 date and time such as 2026-01-31T12:00:00Z";
        }
        if (List.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (type.isEnum() || type.getSimpleName().equals("ErrorProfile")) {
            return "one of the documented values";
        }
        return "an object";
    }

    /** Keeps Jackson from closing the caller's stream. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
