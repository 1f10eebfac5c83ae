package dev.consentry.server.page;

/**
 * The what-if form: a token, a method and a URL; never the token again (a page does not echo a credential).
 *
 * @param problem what was wrong with the last question, or null
 */
public record WhatIfPage(String csrf, String method, String url, String problem) {}
