package org.lrm.xero.app.work;

/**
 * @param matched dead letters the filter selected
 * @param moved of those, sent back to the queue (0 in a dry run)
 * @param skipped dead letters the filter left where they are
 */
public record ReplayCounts(int matched, int moved, int skipped) {
}
