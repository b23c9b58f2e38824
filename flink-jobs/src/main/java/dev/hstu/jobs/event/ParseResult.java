package dev.hstu.jobs.event;

/** Either a valid event or the reason the input was rejected. Exactly one of the two is non-null. */
public record ParseResult(InteractionEvent event, String rejection) {

    public static ParseResult ok(InteractionEvent event) {
        return new ParseResult(event, null);
    }

    public static ParseResult rejected(String reason) {
        return new ParseResult(null, reason);
    }

    public boolean isValid() {
        return event != null;
    }
}
