package org.lrm.xero.app.work;

import java.util.Locale;

/**
 * Which dead letters an operator means: one organisation's, one kind's, those whose reason says
 * something. The same rule selects what a look at the dead letters lists and what a replay moves,
 * so a replay moves what the look showed.
 *
 * @param orgId only this organisation's; null for all
 * @param kind only this kind (e.g. {@code learner-sync}); null for all
 * @param reason only those whose reason contains these words, in any case (a reason quotes Xero, so
 *               an operator types part of it); null for all
 */
public record DeadLetterFilter(String orgId, String kind, String reason) {

    /** Every dead letter. */
    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null);

    public boolean matches(DeadLetter letter) {
        return (orgId == null || orgId.equals(letter.orgId()))
                && (kind == null || kind.equals(letter.kind()))
                && (reason == null || letter.reason().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT)));
    }
}
