package org.lrm.xero.handler;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.app.work.WorkMessage;
import org.lrm.xero.domain.rate.Priority;
import org.lrm.xero.support.Json;

/**
 * SnapStart priming: what a function would otherwise do on its first request, done once before
 * the snapshot is taken. The AWS SDK clients are built on first use (that is most of a cold
 * start's first request) and Jackson learns the work message on its first read; both are done in
 * {@code beforeCheckpoint}. Without SnapStart (or a CRaC JVM) the hook never runs and nothing changes.
 */
final class SnapStartPriming implements Resource {

    /** CRaC holds resources weakly: these live as long as the function does. */
    private static final List<Resource> REGISTERED = new CopyOnWriteArrayList<>();

    private final Runnable prime;

    private SnapStartPriming(Runnable prime) {
        this.prime = prime;
    }

    /** Primes the clients a queue worker or the learner API uses, and the work message they read or send. */
    static void register(AwsClients aws) {
        SnapStartPriming priming = new SnapStartPriming(() -> {
            aws.dynamoDb();
            aws.sqs();
            aws.secretsManager();
            WorkMessage.parse(WorkMessage.of("priming", "org", "tenant", Priority.BULK, Json.MAPPER.createObjectNode()).toJson());
        });
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime.run();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: the SDK's HTTP client opens new connections after a restore on its own.
    }
}
