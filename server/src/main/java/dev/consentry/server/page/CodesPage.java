package dev.consentry.server.page;

import java.util.List;

/** What an AADSTS code means in Consentry: every cause of the catalogue with that code. */
public record CodesPage(String code, List<Entry> entries) {

    /** One cause, with its templates as the catalogue states them ({@code {fact}} placeholders kept). */
    public record Entry(String slug, String error, int status, String message, String explanation, String fix) {}
}
