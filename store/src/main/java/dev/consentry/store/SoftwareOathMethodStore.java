package dev.consentry.store;

import dev.consentry.core.directory.SoftwareOathMethod;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;

/** Users' registered authenticator apps (software OATH tokens), by Graph id; each belongs to one user. */
public interface SoftwareOathMethodStore extends TenantObjectStore<SoftwareOathMethod, String> {

    /** The methods {@code user} registered, ordered by id; empty when none. */
    List<SoftwareOathMethod> listByUser(TenantId tenant, ObjectId user);
}
