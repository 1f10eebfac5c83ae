package dev.consentry.server.page;

/**
 * A refusal as a page shows it: the AADSTS code and public message, the request's ids (what a person
 * quotes when asking for help), and, for the developer, what exactly went wrong and how to fix it.
 */
public record PageMessage(String code, String message, String explanation, String fix, String traceId,
                          String correlationId, String timestamp) {}
