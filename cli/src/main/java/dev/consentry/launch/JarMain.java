package dev.consentry.launch;

import java.lang.reflect.InvocationTargetException;

/**
 * The entry point of the runnable jar ({@code java -jar consentry.jar}), compiled for Java 8 so that an older JVM can
 * still run it: there it says in one line which Java Consentry needs and exits with 1, instead of the JVM's
 * {@code UnsupportedClassVersionError}; on Java 21 or newer it hands the arguments to the command line
 * ({@code dev.consentry.cli.Main}). It uses nothing newer than Java 8, and nothing of Consentry's but that name.
 */
public final class JarMain {
    /** The oldest Java that runs Consentry (the release it is compiled for). */
    static final int NEEDED = 21;

    private JarMain() {}

    public static void main(String[] args) throws Throwable {
        String version = System.getProperty("java.specification.version", "");
        if (feature(version) < NEEDED) {
            System.err.println("consentry: needs Java " + NEEDED + " or newer, and this is Java " + version + " ("
                    + System.getProperty("java.home") + "); run the jar with the java command of a JDK or JRE " + NEEDED + "+");
            System.exit(1);
        }
        try {
            Class.forName("dev.consentry.cli.Main").getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** The feature release of a {@code java.specification.version}: {@code 1.8} is 8, {@code 17} is 17; 0 if unreadable. */
    static int feature(String specificationVersion) {
        String v = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < v.length() && Character.isDigit(v.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(v.substring(0, end));
    }
}
