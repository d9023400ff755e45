package org.lrm.xero.app.resync;

import java.util.List;

/** An organisation's re-syncs as a history: what the console lists beside the running one. */
public interface ResyncHistory {

    /** The organisation's latest jobs (ranges and nightly runs), newest first, at most {@code limit}. */
    List<ResyncJob> recent(String orgId, int limit);
}
