package dev.consentry.core.directory;

/**
 * A tenant-wide policy object of Graph's {@code /policies} that Consentry keeps beside the tenant's objects: one of
 * each kind per tenant, replaced whole by {@code PATCH}/{@code PUT} ({@link TenantDirectory#withPolicy}).
 */
public sealed interface TenantPolicy permits AuthorizationPolicy, AdminConsentRequestPolicy {}
