package dev.hstu.jobs.sequence;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;

/** The one declaration of the per-user sequence state, shared by the training and serving jobs. */
public final class SequenceState {

    private SequenceState() {}

    /**
     * A user's sequence, expiring {@code ttl} after its last update (a user gone that long starts afresh; TTL is
     * refreshed on write only, so reads by the scorer do not keep dead users alive).
     */
    public static ValueStateDescriptor<UserSequence> descriptor(Duration ttl) {
        ValueStateDescriptor<UserSequence> descriptor = new ValueStateDescriptor<>("user-sequence", UserSequence.class);
        descriptor.enableTimeToLive(StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build());
        return descriptor;
    }
}
