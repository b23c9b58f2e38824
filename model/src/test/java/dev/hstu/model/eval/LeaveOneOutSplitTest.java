package dev.hstu.model.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hstu.model.data.PackedBatch;
import dev.hstu.model.data.UserSequences;
import org.junit.jupiter.api.Test;

class LeaveOneOutSplitTest {

    @Test
    void lastEventIsTestSecondToLastIsValidationRestIsTraining() {
        UserSequences users = EvalFixtures.threeUsers();
        // events are sorted by time per user: user 20's item 104 (t=10) comes before 105 (t=20)
        assertThat(users.items().get(1)).containsExactly(6, 7);
        LeaveOneOutSplit split = new LeaveOneOutSplit(users);
        assertThat(split.trainingLength(0)).isEqualTo(3);
        assertThat(split.trainingLength(1)).isEqualTo(2); // too short to evaluate: all training
        assertThat(split.trainingLength(2)).isEqualTo(1);

        EvalCases test = split.test();
        assertThat(test.users()).containsExactly(0, 2);
        assertThat(test.historyLengths()).containsExactly(4, 2);
        assertThat(test.target(0)).isEqualTo(6);
        assertThat(test.target(1)).isEqualTo(3);

        EvalCases validation = split.validation();
        assertThat(validation.historyLengths()).containsExactly(3, 1);
        assertThat(validation.target(0)).isEqualTo(5);
        assertThat(validation.target(1)).isEqualTo(7);

        PackedBatch histories = test.histories(0, 2, 3, PackedBatch.builder());
        // cut to the 3 most recent events before the target, no training target
        assertThat(histories.items()).containsExactly(3, 4, 5, 2, 7);
        assertThat(histories.numTargetPositions()).isZero();

        PackedBatch training = split.trainingBatch(new int[] {0, 1}, 10, PackedBatch.builder());
        assertThat(training.items()).containsExactly(2, 3, 4, 6, 7);
        assertThat(training.firstTarget()).containsExactly(0, 0);
    }
}
