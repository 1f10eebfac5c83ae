package dev.consentry.server.page;

/**
 * The device code verification page (RFC 8628, section 3.3): enter the code, confirm the app, then the
 * username and password steps.
 *
 * @param step {@code code}, {@code confirm}, {@code username} or {@code password}
 * @param userCode the code typed so far, or null
 * @param appName the app the code belongs to, once known; else null
 * @param message the refusal to show, or null
 */
public record DevicePage(String action, String csrf, String step, String userCode, String appName, String username,
                         PageMessage message) {}
