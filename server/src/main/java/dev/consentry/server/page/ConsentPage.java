package dev.consentry.server.page;

import java.util.List;

/**
 * The consent page: after sign-in, the delegated permissions an app asks for that the user has not granted
 * yet (all of them again under {@code prompt=consent}), with Accept and Cancel.
 *
 * @param action where the form posts
 * @param csrf the form token bound to this browser
 * @param request the authorize request's query string, carried to the answer
 * @param ticket a single-use value naming this showing of the page (a replayed answer is refused)
 * @param userTenant the signed-in user's tenant id
 * @param userId the signed-in user's object id
 * @param username the signed-in user's name, shown
 * @param appName the app's display name (its app id when it has none)
 * @param publisherDomain the app's publisher domain
 * @param verifiedPublisher the verified publisher's name, or null for an unverified publisher
 * @param appTenant the display name of the tenant that registered the app
 * @param resource the display name of the API the permissions are for
 * @param permissions what the app asks for now, in request order; not empty
 * @param alreadyGranted permissions of this resource the user granted before, kept; may be empty
 * @param offerOrganization whether the page offers "Consent on behalf of your organization" (an administrator's page)
 * @param organizationWide whether this is the admin consent endpoint's page: everything is granted for the organization
 */
public record ConsentPage(String action, String csrf, String request, String ticket, String userTenant, String userId,
                          String username, String appName, String publisherDomain, String verifiedPublisher,
                          String appTenant, String resource, List<Permission> permissions, List<String> alreadyGranted,
                          boolean offerOrganization, boolean organizationWide) {

    /**
     * One permission as listed: its name, a one-line description, and whether it is an application permission (the
     * app acts as itself, with no user signed in).
     */
    public record Permission(String name, String description, boolean application) {
        public Permission(String name, String description) {
            this(name, description, false);
        }
    }
}
