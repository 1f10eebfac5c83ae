package dev.consentry.cli;

import picocli.CommandLine.Option;

/** The tenant and the client application a permission command acts on. */
final class AppOptions {
    @Option(names = "--tenant", paramLabel = "ID", description = "The tenant, by id or domain (may be left out when there is one).")
    String tenant;

    @Option(names = "--app", required = true, paramLabel = "APP", description = "The client: its application (client) id or display name.")
    String app;
}
