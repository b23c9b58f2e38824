package dev.hstu.formats.io;

import java.io.IOException;

/** A reader's {@link InputReject} raised by a caller that refuses the whole file for one bad line. */
public final class InvalidInputException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient InputReject reject;

    InvalidInputException(InputReject reject) {
        super(reject.toString());
        this.reject = reject;
    }

    /** @return the rejected line */
    public InputReject reject() {
        return reject;
    }
}
