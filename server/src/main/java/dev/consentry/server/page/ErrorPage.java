package dev.consentry.server.page;

/** Consentry's error page, for refusals that must not be redirected to the app (wire spec, section 3.1). */
public record ErrorPage(String title, PageMessage message) {}
