package dev.consentry.store;

import dev.consentry.core.directory.NamedLocation;

/** Conditional access's named locations, by Graph id. */
public interface NamedLocationStore extends TenantObjectStore<NamedLocation, String> {}
