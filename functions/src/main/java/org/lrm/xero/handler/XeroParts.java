package org.lrm.xero.handler;

import java.time.Clock;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.xero.XeroApiContacts;
import org.lrm.xero.adapter.xero.XeroApiLedger;
import org.lrm.xero.adapter.xero.XeroApiPdfs;
import org.lrm.xero.adapter.xero.XeroGateway;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.app.xero.XeroContacts;
import org.lrm.xero.app.xero.XeroLedger;
import org.lrm.xero.app.xero.XeroPdfs;

/**
 * What every root whose functions call Xero builds the same way: the connection part
 * ({@link ConnectionRoot}), the gateway every accounting call goes through (the tenant's rate
 * budget, tokens, the budget Xero reports kept with the connection), and the Xero ports over it.
 * Tests and the benchmark's naive baseline call Xero through these too.
 */
public record XeroParts(ConnectionRoot connection, XeroGateway gateway, XeroContacts contacts, XeroLedger ledger,
                        XeroPdfs pdfs) {

    public static XeroParts of(Settings settings, AwsClients aws, Clock clock, Waiter waiter) {
        ConnectionRoot connection = ConnectionRoot.of(settings, aws, clock, waiter);
        XeroGateway gateway = new XeroGateway(Wiring.rateBudget(settings, aws, clock), connection.tokens(),
                (orgId, tenantId, remaining, at) -> connection.store().recordBudget(orgId, remaining.minute(),
                        remaining.day(), at),
                (orgId, tenantId, error, at) -> connection.store().recordXeroFailing(orgId, error, at), clock);
        return new XeroParts(connection, gateway, new XeroApiContacts(connection.xero(), gateway),
                new XeroApiLedger(connection.xero(), gateway), new XeroApiPdfs(connection.xero(), gateway));
    }
}
