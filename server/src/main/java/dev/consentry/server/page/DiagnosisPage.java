package dev.consentry.server.page;

import dev.consentry.core.explain.Diagnosis;
import dev.consentry.core.explain.Step;
import java.util.List;
import java.util.Map;

/**
 * One recorded decision as a page: the verdict, the request, the cause and its fix, every check in order (the failed
 * one marked), and the least privileged permissions.
 *
 * @param json the address of the same diagnosis as JSON; null when it is not kept (a what-if answer)
 * @param note a line above the verdict (how a what-if answer was decided); null for none
 */
public record DiagnosisPage(Diagnosis diagnosis, String json, String note) {

    /** The checks in order, each with the words the page shows for its outcome. */
    public List<Row> rows() {
        return diagnosis.steps().stream().map(Row::of).toList();
    }

    /** The least privileged permissions per kind of token, kinds with none left out. */
    public List<Map.Entry<String, String>> leastPrivileged() {
        return diagnosis.leastPrivileged().entrySet().stream().filter(e -> !e.getValue().isEmpty())
                .sorted(Map.Entry.comparingByKey()).map(e -> Map.entry(kind(e.getKey()), String.join(", ", e.getValue())))
                .toList();
    }

    private static String kind(String scheme) {
        return switch (scheme) {
            case "DelegatedWork" -> "Delegated (work or school account)";
            case "DelegatedPersonal" -> "Delegated (personal Microsoft account)";
            case "Application" -> "Application";
            default -> scheme;
        };
    }

    /** One check: its name, what came of it (in words and as a CSS class), and what it found. */
    public record Row(String check, String outcome, String outcomeClass, String detail) {
        static Row of(Step s) {
            String words = switch (s.outcome()) {
                case PASSED -> "Passed";
                case FAILED -> "Failed";
                case UNKNOWN -> "Not known";
            };
            return new Row(s.check().wireName(), words, s.outcome().wireName(), s.detail());
        }
    }
}
