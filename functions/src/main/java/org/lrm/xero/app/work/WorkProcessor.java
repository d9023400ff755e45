package org.lrm.xero.app.work;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Does the work of one organisation's messages from one batch at once (learner sync sends up to
 * 50 learners in one Xero call) and answers per message. An exception stands for every message
 * without an answer ({@link WorkOutcome#of}); a message left without an answer is retried.
 */
public interface WorkProcessor {

    /** @return outcome by {@link Work#messageId()} */
    Map<String, WorkOutcome> process(String orgId, List<Work> work);

    /**
     * The worker dropped {@code work} without doing it ({@code reason}: its organisation stayed unconnected
     * for {@link WorkOutcome#PARKED_AT_MOST}): a processor records what people must know; by default nothing.
     */
    default void dropped(String orgId, Work work, String reason) {
    }

    /** A processor that handles messages one at a time, each message's exception its own. */
    static WorkProcessor perMessage(Function<Work, WorkOutcome> handler) {
        return (orgId, work) -> {
            Map<String, WorkOutcome> outcomes = new LinkedHashMap<>();
            for (Work item : work) {
                outcomes.put(item.messageId(), outcome(handler, item));
            }
            return outcomes;
        };
    }

    /** What {@code handler} makes of {@code item}, an exception turned into its outcome. */
    private static WorkOutcome outcome(Function<Work, WorkOutcome> handler, Work item) {
        try {
            return handler.apply(item);
        } catch (RuntimeException e) {
            return WorkOutcome.of(e);
        }
    }
}
