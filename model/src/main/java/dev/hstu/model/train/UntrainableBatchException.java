package dev.hstu.model.train;

/**
 * A well-formed micro-batch that this trainer's model cannot train on (an action outside the model's action space,
 * features the model does not take, no trainable target): the model is unchanged, and the caller dead-letters the
 * batch with {@link #getMessage()} as the reason and goes on. Retrying it would fail the same way every time.
 */
public final class UntrainableBatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public UntrainableBatchException(String reason) {
        super(reason);
    }

    public UntrainableBatchException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
