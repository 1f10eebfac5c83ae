package dev.consentry.server.page;

import java.util.List;

/**
 * "Approval required": the admin consent workflow's page for a user who may not consent (AADSTS90095), listing what
 * the app asks for, with a justification and "Request approval"; the form carries the same fields as the consent page.
 *
 * @param permissions the permissions asked for, by name
 * @param message the refusal's code, explanation and ids, as the error page shows them
 * @param back the way back to the app without a request
 */
public record ApprovalPage(String action, String csrf, String request, String ticket, String userTenant, String userId,
                           String username, String appName, List<String> permissions, int maxReason,
                           PageMessage message, ErrorPage.Back back) {}
