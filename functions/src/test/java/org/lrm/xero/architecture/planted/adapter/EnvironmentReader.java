package org.lrm.xero.architecture.planted.adapter;

import org.lrm.xero.architecture.planted.support.Environment;

/** Planted violation: an adapter reading a variable itself instead of being given it by its root. */
public final class EnvironmentReader {

    public String table() {
        return Environment.current().get("TABLE_NAME");
    }
}
