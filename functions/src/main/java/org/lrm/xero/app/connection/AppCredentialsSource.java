package org.lrm.xero.app.connection;

import org.lrm.xero.app.xero.AppCredentials;

/** The integration's Xero app credentials (kept in Secrets Manager by operators). */
public interface AppCredentialsSource {

    AppCredentials credentials();
}
