package dev.consentry.server.page;

/** A short page that tells the user something happened (signed out, device signed in, ...), optionally with a link. */
public record NoticePage(String title, String text, String link, String linkText) {}
