package dev.hstu.ctr;

/** Input that must not be folded into CTR statistics; the message names the field and value. */
public class InvalidCtrInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with a message naming the offending field and value. */
    public InvalidCtrInputException(String message) {
        super(message);
    }
}
