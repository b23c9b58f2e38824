package dev.hstu.model.tasks.retrieval;

/**
 * Where a rank-package negative comes from, in the order of {@code HstuConfig.rankPackageCounts}:
 * an event of the user's history before the target (clicked or only exposed, of a hot or a cold
 * item), or a random item of the catalogue.
 */
public enum RankPackageCategory {
    /** A clicked item outside the popular head. */
    COLD_CLICK(2),
    /** A clicked item of the popular head. */
    HOT_CLICK(2),
    /** An item only exposed, outside the popular head. */
    COLD_EXPOSURE(1),
    /** An item only exposed, of the popular head. */
    HOT_EXPOSURE(1),
    /** An item drawn uniformly from the catalogue's rows in use. */
    RANDOM(0);

    /** Listwise relevance of the target itself, above every category. */
    public static final int TARGET_GRADE = 3;

    private final int grade;

    RankPackageCategory(int grade) {
        this.grade = grade;
    }

    /** @return listwise relevance: clicked above exposed above random */
    public int grade() {
        return grade;
    }

    /**
     * @param click whether the history event was a click
     * @param hot whether its item is in the popular head
     * @return the event's category
     */
    public static RankPackageCategory ofEvent(boolean click, boolean hot) {
        if (click) {
            return hot ? HOT_CLICK : COLD_CLICK;
        }
        return hot ? HOT_EXPOSURE : COLD_EXPOSURE;
    }
}
