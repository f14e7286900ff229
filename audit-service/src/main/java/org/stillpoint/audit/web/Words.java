package org.stillpoint.audit.web;

import org.stillpoint.audit.query.Plain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;

/** What the console says in words where the API says a code: durations, review outcomes. */
final class Words {

    private Words() {
    }

    /** {@code PT72H} → "3 days", {@code PT90M} → "1 hour 30 minutes". */
    static String duration(Duration duration) {
        if (duration == null) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        long days = duration.toDays();
        part(parts, days, "day");
        part(parts, duration.toHoursPart(), "hour");
        part(parts, duration.toMinutesPart(), "minute");
        part(parts, duration.toSecondsPart(), "second");
        return parts.isEmpty() ? "no time" : String.join(" ", parts);
    }

    /** A review's outcome as the queue says it; null while it awaits review. */
    static String outcome(String outcome) {
        return outcome == null ? null : switch (outcome) {
            case "ALLOWED" -> "allowed";
            case "DENIED" -> "refused";
            case "GONE" -> "client erased: nothing shown";
            case "APPROPRIATE" -> "appropriate";
            case "NOT_APPROPRIATE" -> "not appropriate";
            case "CLIENT_ERASED" -> "not reviewed: the client was erased first";
            default -> outcome.toLowerCase().replace('_', ' ');
        };
    }

    /** A code as words: {@code SESSION_SUMMARIES} → "session summaries". */
    static String code(String code) {
        return Plain.code(code);
    }

    /** The same words, for the pages: the console's templates call {@code say.code(…)} and the like. */
    public record Say() {

        public String code(String code) {
            return Words.code(code);
        }

        public String codes(Collection<String> codes) {
            return codes == null ? "" : codes.stream().map(Words::code).collect(Collectors.joining(", "));
        }

        public String outcome(String outcome) {
            return Words.outcome(outcome);
        }
    }

    private static void part(List<String> parts, long amount, String unit) {
        if (amount != 0) {
            parts.add(amount + " " + unit + (Math.abs(amount) == 1 ? "" : "s"));
        }
    }
}
