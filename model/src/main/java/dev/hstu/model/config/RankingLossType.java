package dev.hstu.model.config;

/** The loss of one ranking task. */
public enum RankingLossType {
    /** binary cross-entropy of the head's logit against whether the candidate's action has the task's bits */
    BCE,
    /** squared error of the head's output against a per-event float label column (e.g. a watch time) */
    MSE
}
