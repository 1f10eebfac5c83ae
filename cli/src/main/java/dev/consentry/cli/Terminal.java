package dev.consentry.cli;

/**
 * Text from a tenant file or the store, made safe to print on a terminal: a name may hold control characters (an ESC
 * that starts a terminal escape sequence, a carriage return that overwrites the line) or the bidirectional controls
 * that reorder what is shown, and a tenant file can come from anyone. Each such character prints as {@code ?}.
 */
final class Terminal {
    private Terminal() {}

    /** {@code text} with every control and bidirectional formatting character shown as {@code ?}; null stays null. */
    static String printable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean unsafe = Character.isISOControl(c) || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    || c == '\u200e' || c == '\u200f' || c == '\u061c';
            if (unsafe && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(unsafe ? '?' : c);
            }
        }
        return out == null ? text : out.toString();
    }
}
