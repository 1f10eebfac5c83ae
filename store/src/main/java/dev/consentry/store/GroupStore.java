package dev.consentry.store;

import dev.consentry.core.directory.Group;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import java.util.List;
/** Groups of a tenant. */
public interface GroupStore extends TenantObjectStore<Group, ObjectId> {

    /** Groups whose {@code members} include {@code memberId}, ordered by id. */
    List<Group> listByMember(TenantId tenant, ObjectId memberId);
}
