package org.lrm.xero.domain.rate;

/**
 * Whose Xero call comes first when the budget is short. A person waiting (a manual sync, a
 * webhook's invoice, a learner opening a PDF not fetched yet) is INTERACTIVE; everything that can
 * wait (bulk sync, re-sync, PDF prefetch) is BULK and never takes the reserved end of the day budget.
 */
public enum Priority {
    INTERACTIVE, BULK
}
