package dev.hstu.model.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class UserFeatureKeysTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void oneSortedKeyPerFeatureAndValue() throws Exception {
        long[] keys = UserFeatureHashing.keys(JSON.readTree("{\"103\": 5, \"106\": [1, \"2\", 1], \"107\": null}"));
        assertThat(keys)
                .containsExactly(LongStream.of(
                                UserFeatureHashing.key(103, 5),
                                UserFeatureHashing.key(106, 1),
                                UserFeatureHashing.key(106, 2))
                        .sorted()
                        .toArray());
        assertThat(UserFeatureHashing.keys(JSON.readTree("{\"107\": null}"))).isNull();
        assertThat(UserFeatureHashing.keys(JSON.readTree("null"))).isNull();
        assertThat(UserFeatureHashing.keys(null)).isNull();
    }

    @Test
    void anythingButIntsIsRefusedNamingTheFeatureAndValue() {
        assertThatThrownBy(() -> UserFeatureHashing.keys(JSON.readTree("{\"103\": 1.5}")))
                .hasMessage("feature 103 is 1.5 (an int or [ints])");
        assertThatThrownBy(() -> UserFeatureHashing.keys(JSON.readTree("{\"103\": [1, {}]}")))
                .hasMessage("feature 103 has an object in its list (ints only)");
        assertThatThrownBy(() -> UserFeatureHashing.keys(JSON.readTree("{\"x\": 1}")))
                .hasMessage("feature id \"x\" is not an int");
        assertThatThrownBy(() -> UserFeatureHashing.keys(JSON.readTree("[1]")))
                .hasMessage("an array (an object of feature id -> int or [ints])");
    }
}
