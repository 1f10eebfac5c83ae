package dev.consentry.server.http;

import dev.consentry.core.cause.Cause;
import dev.consentry.core.cause.Failure;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * Reads {@code application/x-www-form-urlencoded} request bodies with a size limit, for every form Consentry
 * takes (token, device code, sign-in pages).
 *
 * <p>Guaranteed: a body without a {@code Content-Type} is read as a form, as Entra reads the device code request that
 * MSAL4J sends through azure-identity's HTTP pipeline without one; a body of another content type, over the limit, or
 * unreadable raises a
 * {@code FailureException} (AADSTS900144, 9002313 with status 413, 9002313), never a 500. An oversized body
 * is still read and discarded up to {@link #DRAIN_LIMIT}, so that a client that sends it whole before reading
 * (as most do) receives the 413 instead of a reset connection; beyond that the connection may be cut.
 */
public final class FormBodies {
    /** How much of an oversized body is read and thrown away before answering. */
    public static final int DRAIN_LIMIT = 1024 * 1024;

    private FormBodies() {}

    /** The body's bytes, at most {@code limit}. */
    /** The request attribute that keeps a form body once read, for {@link #field}. */
    private static final String BODY = "consentry.formBody";

    /**
     * The first value of {@code name} in the form body {@link #read} read for this request, decoded; empty when no body
     * was read, the field is absent, or it cannot be decoded. For records of a request (which app it named), not for
     * deciding it: the handlers' own parse is the one that checks the form.
     */
    public static java.util.Optional<String> field(Context ctx, String name) {
        byte[] body = ctx.attribute(BODY);
        if (body == null) {
            return java.util.Optional.empty();
        }
        String prefix = name + "=";
        for (String pair : new String(body, java.nio.charset.StandardCharsets.UTF_8).split("&")) {
            if (pair.startsWith(prefix)) {
                try {
                    return java.util.Optional.of(java.net.URLDecoder.decode(pair.substring(prefix.length()),
                            java.nio.charset.StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return java.util.Optional.empty();
                }
            }
        }
        return java.util.Optional.empty();
    }

    public static byte[] read(Context ctx, int limit) {
        String type = ctx.header("Content-Type");
        if (type != null && !type.toLowerCase(Locale.ROOT).trim().startsWith("application/x-www-form-urlencoded")) {
            throw Failure.of(Cause.CONTENT_TYPE_UNSUPPORTED, "contentType", type).toException();
        }
        long declared = ctx.contentLength();
        try (InputStream in = ctx.req().getInputStream()) {
            if (declared > limit) {
                in.skipNBytes(Math.min(declared, DRAIN_LIMIT));
                throw tooLarge(limit, String.valueOf(declared));
            }
            byte[] body = in.readNBytes(limit + 1);
            if (body.length > limit) {
                in.readNBytes(DRAIN_LIMIT);
                throw tooLarge(limit, "more than " + limit);
            }
            ctx.attribute(BODY, body);
            return body;
        } catch (IOException e) {
            throw Failure.of(Cause.PARAMETER_INVALID, "parameter", "(body)", "problem", "the body could not be read")
                    .toException();
        }
    }

    private static dev.consentry.core.cause.FailureException tooLarge(int limit, String size) {
        return Failure.of(Cause.REQUEST_TOO_LARGE, "limit", String.valueOf(limit), "size", size).toException();
    }
}
