package dev.consentry.server.page;

/**
 * The second-factor page of a sign-in: the code of the user's authenticator app ({@code enrolment} null), or, for a
 * user who has none, adding one first (Entra's "More information required"): the QR code of its {@code otpauth://}
 * URI, the secret to type instead, and the code it then shows.
 *
 * @param action where the form posts
 * @param csrf the form token bound to this browser
 * @param request the authorize request, carried through the steps
 * @param appName the display name of the app the user signs in to
 * @param username the user principal name of the user signing in
 * @param userTenant the user's tenant id
 * @param userId the user's object id
 * @param message the refusal to show (a wrong or reused code), or null
 * @param stepPrefix what the form's {@code step} values ({@code code}, {@code enrol}) start with, where the page that
 *     shows the form has steps of those names already (the device code page: {@code second-})
 */
public record SecondFactorPage(String action, String csrf, String request, String appName, String username,
                               String userTenant, String userId, Enrolment enrolment, PageMessage message,
                               String stepPrefix) {

    /** The form of the authorize pages, whose step values have no prefix. */
    public SecondFactorPage(String action, String csrf, String request, String appName, String username, String userTenant,
                            String userId, Enrolment enrolment, PageMessage message) {
        this(action, csrf, request, appName, username, userTenant, userId, enrolment, message, "");
    }

    /**
     * A new authenticator app: its Base32 {@code secret}, shown in groups of four for typing ({@code grouped}), and
     * the QR code of its {@code uri}.
     */
    public record Enrolment(String secret, String grouped, String uri, QrCode qr) {
        /** The page's view of a new authenticator app with {@code secret} (Base32) and its {@code otpauth://} {@code uri}. */
        public static Enrolment of(String secret, String uri) {
            return new Enrolment(secret, String.join(" ", secret.split("(?<=\\G.{4})")), uri, QrCode.of(uri));
        }
    }
}
