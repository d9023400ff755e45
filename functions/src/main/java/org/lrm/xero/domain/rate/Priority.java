package org.lrm.xero.domain.rate;

/**
 * Whose Xero call comes first when the budget is short. A person waiting (a manual sync, a
 * webhook's invoice, a learner opening a PDF not fetched yet) is INTERACTIVE; work that can wait
 * (bulk sync, re-sync, polls) is BULK and never takes the reserved end of the day budget, the last
 * calls of a minute or the last free slot; PREFETCH (PDFs fetched before anyone asks) spends only
 * what the others would leave unused ({@link RatePolicy#decide}).
 */
public enum Priority {
    INTERACTIVE, BULK, PREFETCH
}
