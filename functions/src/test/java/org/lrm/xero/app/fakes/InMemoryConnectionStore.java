package org.lrm.xero.app.fakes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.lrm.xero.app.connection.ConnectionRecord;
import org.lrm.xero.app.connection.ConnectionStore;
import org.lrm.xero.app.connection.TokenLease;
import org.lrm.xero.domain.connection.ConnectionStatus;

/** {@link ConnectionStore} in memory, with DynamoConnectionStore's rules (one organisation per tenant, a lease that lapses). */
public final class InMemoryConnectionStore implements ConnectionStore {

    private final Map<String, ConnectionRecord> connections = new LinkedHashMap<>();
    private final Map<String, String> orgOfTenant = new HashMap<>();
    private final Map<String, TokenLease> leases = new HashMap<>();
    private final Set<String> revocationsPending = new LinkedHashSet<>();
    private Predicate<String> hasLinkedContacts = orgId -> false;

    /** A connected organisation, as a completed connect leaves it. */
    public ConnectionRecord connect(String orgId, String tenantId, Instant connectedAt) {
        ConnectionRecord c = new ConnectionRecord(orgId, ConnectionStatus.CONNECTED, tenantId, "Tenant " + tenantId,
                "connection-" + tenantId, List.of(), List.of(), connectedAt, "admin", null, null, connectedAt, null, null,
                null, null);
        saveConnected(c, null);
        return c;
    }

    /** Stores the connection as it is given (any status). */
    public void put(ConnectionRecord c) {
        connections.put(c.orgId(), c);
    }

    /** Where learners' contact links are looked up (the learner store keeps them). */
    public void linkedContactsFrom(InMemoryLearnerStore learners) {
        this.hasLinkedContacts = orgId -> !learners.links(orgId).isEmpty();
    }

    @Override
    public Optional<ConnectionRecord> connection(String orgId) {
        return Optional.ofNullable(connections.get(orgId));
    }

    @Override
    public Optional<String> findOrgByTenant(String tenantId) {
        return Optional.ofNullable(orgOfTenant.get(tenantId));
    }

    @Override
    public boolean hasLinkedContacts(String orgId) {
        return hasLinkedContacts.test(orgId);
    }

    @Override
    public void saveConnected(ConnectionRecord connection, String previousTenantId) {
        String owner = orgOfTenant.get(connection.tenantId());
        if (owner != null && !owner.equals(connection.orgId())) {
            throw new TenantTaken(connection.tenantId());
        }
        connections.put(connection.orgId(), connection);
        orgOfTenant.put(connection.tenantId(), connection.orgId());
        if (previousTenantId != null && !previousTenantId.equals(connection.tenantId())) {
            orgOfTenant.remove(previousTenantId, connection.orgId());
        }
    }

    @Override
    public void recordTokenRefresh(String orgId, String tokenVersion, Instant at) {
        connection(orgId).ifPresent(c -> put(copy(c, c.status(), c.lastError(), c.lastErrorAt(), at, tokenVersion,
                c.minuteRemaining(), c.dayRemaining(), c.budgetAt())));
    }

    @Override
    public void recordBudget(String orgId, Integer minuteRemaining, Integer dayRemaining, Instant at) {
        connection(orgId).filter(c -> c.budgetAt() == null || !c.budgetAt().isAfter(at))
                .ifPresent(c -> put(withXeroFailing(copy(c, c.status(), c.lastError(), c.lastErrorAt(), c.lastRefreshAt(),
                        c.tokenVersion(), minuteRemaining != null ? minuteRemaining : c.minuteRemaining(),
                        dayRemaining != null ? dayRemaining : c.dayRemaining(), at), null, null)));
    }

    @Override
    public void recordXeroFailing(String orgId, String error, Instant at) {
        connection(orgId).filter(c -> c.budgetAt() == null || !c.budgetAt().isAfter(at))
                .ifPresent(c -> put(withXeroFailing(c, c.xeroFailingSince() == null ? at : c.xeroFailingSince(), error)));
    }

    private static ConnectionRecord withXeroFailing(ConnectionRecord c, Instant since, String error) {
        return new ConnectionRecord(c.orgId(), c.status(), c.tenantId(), c.tenantName(), c.xeroConnectionId(), c.scopes(),
                c.missingScopes(), c.connectedAt(), c.connectedBy(), c.lastError(), c.lastErrorAt(), c.lastRefreshAt(),
                c.tokenVersion(), c.minuteRemaining(), c.dayRemaining(), c.budgetAt(), since, error);
    }

    @Override
    public void recordMissingScope(String orgId, String scope, String reason, Instant at) {
        connection(orgId).ifPresent(c -> {
            List<String> missing = new ArrayList<>(c.missingScopes());
            if (!missing.contains(scope)) {
                missing.add(scope);
            }
            put(new ConnectionRecord(c.orgId(), c.status(), c.tenantId(), c.tenantName(), c.xeroConnectionId(), c.scopes(),
                    missing, c.connectedAt(), c.connectedBy(), reason, at, c.lastRefreshAt(), c.tokenVersion(),
                    c.minuteRemaining(), c.dayRemaining(), c.budgetAt()));
        });
    }

    @Override
    public boolean markNeedsReconnect(String orgId, String reason, Instant at) {
        Optional<ConnectionRecord> c = connection(orgId).filter(ConnectionRecord::usable);
        c.ifPresent(connected -> put(copy(connected, ConnectionStatus.NEEDS_RECONNECT, reason, at, connected.lastRefreshAt(),
                connected.tokenVersion(), connected.minuteRemaining(), connected.dayRemaining(), connected.budgetAt())));
        return c.isPresent();
    }

    @Override
    public void markDisconnected(String orgId, Instant at) {
        connection(orgId).ifPresent(c -> {
            put(copy(c, ConnectionStatus.DISCONNECTED, null, null, c.lastRefreshAt(), null, c.minuteRemaining(),
                    c.dayRemaining(), c.budgetAt()));
            if (c.tenantId() != null) {
                orgOfTenant.remove(c.tenantId(), orgId);
            }
        });
    }

    @Override
    public List<ConnectionRecord> connections() {
        return new ArrayList<>(connections.values());
    }

    @Override
    public Page page(String afterOrgId, int limit) {
        List<ConnectionRecord> after = connections.values().stream()
                .filter(c -> afterOrgId == null || c.orgId().compareTo(afterOrgId) > 0)
                .sorted(java.util.Comparator.comparing(ConnectionRecord::orgId)).toList();
        return new Page(after.subList(0, Math.min(limit, after.size())), after.size() > limit);
    }

    @Override
    public synchronized boolean tryAcquireTokenLease(String orgId, String token, Instant now, Instant until) {
        TokenLease held = leases.get(orgId);
        if (held != null && !held.expiresAt().isBefore(now)) {
            return false;
        }
        leases.put(orgId, new TokenLease(token, until));
        return true;
    }

    @Override
    public synchronized boolean renewTokenLease(String orgId, String token, Instant until) {
        TokenLease held = leases.get(orgId);
        if (held == null || !held.holder().equals(token)) {
            return false;
        }
        leases.put(orgId, new TokenLease(token, until));
        return true;
    }

    @Override
    public synchronized Optional<TokenLease> tokenLease(String orgId) {
        return Optional.ofNullable(leases.get(orgId));
    }

    @Override
    public synchronized void releaseTokenLease(String orgId, String token) {
        TokenLease held = leases.get(orgId);
        if (held != null && held.holder().equals(token)) {
            leases.remove(orgId);
        }
    }

    @Override
    public synchronized void revocationPending(String orgId, Instant since) {
        revocationsPending.add(orgId);
    }

    @Override
    public synchronized void revocationsDone(String orgId) {
        revocationsPending.remove(orgId);
    }

    @Override
    public synchronized List<String> orgsAwaitingRevocation() {
        return new ArrayList<>(revocationsPending);
    }

    private static ConnectionRecord copy(ConnectionRecord c, ConnectionStatus status, String lastError, Instant lastErrorAt,
            Instant lastRefreshAt, String tokenVersion, Integer minute, Integer day, Instant budgetAt) {
        return new ConnectionRecord(c.orgId(), status, c.tenantId(), c.tenantName(), c.xeroConnectionId(), c.scopes(),
                c.missingScopes(), c.connectedAt(), c.connectedBy(), lastError, lastErrorAt, lastRefreshAt, tokenVersion, minute,
                day, budgetAt, c.xeroFailingSince(), c.lastXeroError());
    }
}
