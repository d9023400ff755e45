package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.lrm.xero.testing.TemplateResources;

/** The local run's wiring, read from infra/template.yaml. */
class TemplateFunctionsTest {

    private final TemplateFunctions functions = new TemplateFunctions(
            TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1"));

    @Test
    void routesWithTheirAuthorizer() {
        assertThat(functions.routes()).contains(
                new TemplateFunctions.Route("LearnerApiFunction", "POST /v1/learners:bulk-sync", true),
                new TemplateFunctions.Route("LearnerApiFunction", "PUT /v1/learners/{learnerId}", true),
                new TemplateFunctions.Route("InvoiceApiFunction", "GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf", true));
        assertThat(functions.routes().stream().filter(r -> !r.jwt()).map(TemplateFunctions.Route::routeKey))
                .containsExactlyInAnyOrder("GET /v1/xero/callback", "POST /v1/xero/webhooks");
    }

    @Test
    void sqsSourcesAsLambdaPollsThem() {
        assertThat(functions.sqsSources()).anySatisfy(s -> {
            assertThat(s.functionId()).isEqualTo("LearnerSyncWorkerFunction");
            assertThat(s.batchSize()).isEqualTo(50);
            assertThat(s.batchingWindowSeconds()).isEqualTo(2);
            assertThat(s.reportsBatchItemFailures()).isTrue();
            assertThat(s.maximumConcurrency()).isEqualTo(5);
        });
        assertThat(functions.sqsSources()).anySatisfy(s -> {
            assertThat(s.functionId()).isEqualTo("ResyncPageWorkerFunction");
            assertThat(s.batchSize()).isEqualTo(1);
            assertThat(s.batchingWindowSeconds()).isZero();
        });
    }

    @Test
    void schedulesWithTheirExpressions() {
        assertThat(functions.schedules()).containsExactlyInAnyOrder(
                new TemplateFunctions.Schedule("NightlySyncFunction", "NightlyResync", "cron(0 15 * * ? *)"),
                new TemplateFunctions.Schedule("TransactionPollFunction", "TransactionPoll", "rate(1 minute)"));
        assertThat(functions.handlerClass("LearnerSyncWorkerFunction")).isEqualTo("org.lrm.xero.handler.LearnerSyncWorker");
    }
}
