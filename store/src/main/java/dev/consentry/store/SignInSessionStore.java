package dev.consentry.store;

import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.SignInSession;
import java.util.List;

/** The STS's single sign-on sessions: which accounts each browser has signed in. */
public interface SignInSessionStore {

    /** Adds the session, or replaces the one with the same browser, tenant and user. */
    void save(SignInSession session);

    /** The accounts of one browser, most recently seen first; empty when it has none. */
    List<SignInSession> list(String browserHash);

    /** Signs every account of one browser out. */
    void removeBrowser(String browserHash);

    /** Ends every session of a user in every browser (sessions revoked, account disabled or deleted). */
    void removeUser(TenantId tenant, ObjectId userId);
}
