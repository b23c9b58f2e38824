package dev.hstu.model.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CacheWindowTest {

    @Test
    void appendsWhileTheWindowHasRoomThenReEncodesTheNewestMaxMinusSlack() {
        CacheWindow window = new CacheWindow(5, 2);
        assertThat(window.length(0, 1)).as("first event").isEqualTo(1);
        assertThat(window.length(0, 9)).as("no cache: the whole window").isEqualTo(5);
        assertThat(window.length(3, 4)).as("append").isEqualTo(4);
        assertThat(window.length(4, 9)).as("append up to the full window").isEqualTo(5);
        assertThat(window.length(5, 9)).as("full: re-encode max - slack").isEqualTo(3);
        assertThat(window.length(5, 2)).as("never more than the history").isEqualTo(2);

        CacheWindow exact = new CacheWindow(5, 0);
        assertThat(exact.length(5, 9))
                .as("slack 0: the whole window at every event")
                .isEqualTo(5);

        // one re-encode every slack + 1 events once the window is full
        int cached = 5;
        int reEncodes = 0;
        for (int event = 10; event < 40; event++) {
            int length = window.length(cached, event);
            if (length != cached + 1) {
                reEncodes++;
            }
            cached = length;
        }
        assertThat(reEncodes).isEqualTo(10);
    }

    @Test
    void boundsAreChecked() {
        assertThatThrownBy(() -> new CacheWindow(5, 5)).hasMessageContaining("slack < maxSeqLen");
        assertThatThrownBy(() -> new CacheWindow(0, 0)).hasMessageContaining("maxSeqLen >= 1");
    }
}
