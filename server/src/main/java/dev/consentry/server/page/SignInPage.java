package dev.consentry.server.page;

import java.util.List;

/**
 * The sign-in page: the username step ({@code passwordStep} false), the password step, or the account
 * picker ({@code accounts} not empty).
 *
 * @param action where the form posts
 * @param csrf the form token bound to this browser
 * @param request the authorize request's query string, carried through the steps
 * @param appName the display name of the app the user signs in to
 * @param username the user name typed or hinted, or null
 * @param message the refusal to show, or null
 */
public record SignInPage(String action, String csrf, String request, String appName, String username,
                         boolean passwordStep, List<Account> accounts, PageMessage message) {

    /** One signed-in account of the picker. */
    public record Account(String username, String displayName) {}
}
