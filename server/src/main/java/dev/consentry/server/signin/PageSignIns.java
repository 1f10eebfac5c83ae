package dev.consentry.server.signin;

import dev.consentry.core.cause.Failure;
import dev.consentry.core.cause.FailureException;
import dev.consentry.core.directory.Application;
import dev.consentry.identity.grant.SignInLog;
import dev.consentry.identity.tenant.TenantPath;
import dev.consentry.identity.user.UserAuthenticator;
import dev.consentry.identity.user.UserAuthenticator.AuthenticatedUser;
import dev.consentry.server.page.PageMessage;
import dev.consentry.store.Store;

/**
 * The sign-in pages' failed sign-ins, in the sign-in log of the user's tenant: a refusal shown on a page to a user the
 * page identified (a wrong password, a wrong or reused second factor, a locked account, a device that is not
 * compliant), as Entra logs a failed interactive sign-in. A name that matches nobody is no sign-in of anyone and is not
 * logged.
 */
final class PageSignIns {
    private final UserAuthenticator users;
    private final SignInLog log;

    PageSignIns(Store store) {
        this.users = new UserAuthenticator(store);
        this.log = new SignInLog(store);
    }

    /**
     * The message beside the form for a refusal of the user called {@code username} through {@code path}, signing in to
     * {@code client}; the refusal recorded ({@link BrowserRequest#message}) and logged.
     */
    PageMessage shown(BrowserRequest call, TenantPath path, Application client, String username, Failure failure) {
        try {
            refused(call, client, users.find(path, username), failure);
        } catch (FailureException e) {
            // A name that matches nobody: no one's sign-in.
        }
        return call.message(failure);
    }

    /** As {@link #shown(BrowserRequest, TenantPath, Application, String, Failure)}, for an identified user. */
    PageMessage shown(BrowserRequest call, Application client, AuthenticatedUser user, Failure failure) {
        refused(call, client, user, failure);
        return call.message(failure);
    }

    /** A refusal of {@code user}, signing in to {@code client}. */
    void refused(BrowserRequest call, Application client, AuthenticatedUser user, Failure failure) {
        log.refusedOnPage(user.tenant().id(), user.user(), client, call.clientAddress(), call.ids().correlationId(), failure,
                call.now());
    }
}
