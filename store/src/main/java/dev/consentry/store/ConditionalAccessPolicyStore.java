package dev.consentry.store;

import dev.consentry.core.directory.ConditionalAccessPolicy;

/** Conditional access policies of a tenant (stored now, enforced in a later slice). */
public interface ConditionalAccessPolicyStore extends TenantObjectStore<ConditionalAccessPolicy, String> {
}
