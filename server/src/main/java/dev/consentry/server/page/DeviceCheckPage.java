package dev.consentry.server.page;

/**
 * The page of a sign-in that a conditional access policy refuses for its device: with no registered device, an offer
 * to register this browser's ({@code registerAction} and its fields); with one, what an administrator does to make it
 * compliant, and a way to try again.
 *
 * @param deviceId the registered device's id, or null when the browser has none
 * @param retry the authorize URL to open again once the device is compliant
 * @param message the refusal (AADSTS53000) to show
 */
public record DeviceCheckPage(String registerAction, String csrf, String request, String userTenant, String userId,
                              String username, String appName, String deviceId, String deviceObjectId, String retry,
                              PageMessage message) {}
