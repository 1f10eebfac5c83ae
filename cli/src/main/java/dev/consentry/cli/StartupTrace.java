package dev.consentry.cli;

import java.lang.management.ManagementFactory;

/** With {@code CONSENTRY_TRACE_STARTUP=1}, prints how long each start phase took since the JVM started (stderr). */
final class StartupTrace {
    private final boolean on;

    private StartupTrace(boolean on) {
        this.on = on;
    }

    static StartupTrace fromEnvironment() {
        return new StartupTrace("1".equals(System.getenv("CONSENTRY_TRACE_STARTUP")));
    }

    void mark(String phase) {
        if (on) {
            System.err.println("startup: " + ManagementFactory.getRuntimeMXBean().getUptime() + " ms  " + phase);
        }
    }
}
