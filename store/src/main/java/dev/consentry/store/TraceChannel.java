package dev.consentry.store;

/** Which of Consentry's two front doors answered the traced request. */
public enum TraceChannel {
    /** The security token service: authorize, token, device code, logout, user info. */
    STS,
    /** The Microsoft Graph emulation. */
    GRAPH
}
