package org.lrm.xero.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.lrm.xero.support.Json;
import org.lrm.xero.testing.ApiEvents;
import org.lrm.xero.testing.AwsEmulator;
import org.lrm.xero.testing.IntegrationRig;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One scope missing from the grant (the admin's consent at Xero without {@code accounting.payments.read}): the
 * connection stays CONNECTED and says which scope to grant, the learner's state says it too, and only the work that
 * needs it waits. Learners sync and invoices arrive with their payments (Xero's invoices carry them); the poll of
 * payments, prepayments and overpayments waits. Xero's 403 {@code AuthorizationUnsuccessful} for a scope the
 * connection did not know it lacked is turned into the same, never into NEEDS_RECONNECT.
 */
@ExtendWith(AwsEmulator.class)
class ScopesIT {

    private static final String PAYMENTS_READ = "accounting.payments.read";

    private EndToEndFlow flow;

    @AfterEach
    void stop() {
        if (flow != null) {
            flow.close();
        }
    }

    @Test
    void oneMissingScopeIsNamedAndHoldsBackOnlyTheWorkThatNeedsIt() throws Exception {
        flow = EndToEndFlow.start().connect(null, IntegrationRig.withoutScope(PAYMENTS_READ));
        ConnectionApiHandler connectionApi = connectionApi();

        JsonNode connected = status(connectionApi);
        assertThat(connected.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(connected.get("missingScopes").toString()).isEqualTo("[\"" + PAYMENTS_READ + "\"]");

        flow.bulkSync(0, 20);
        flow.settle();
        flow.financeRaisesInvoices(12);
        flow.settle();
        EndToEndFlow.Outcome outcome = flow.check();

        assertThat(outcome.contacts()).isEqualTo(20);
        assertThat(outcome.invoices()).isEqualTo(12);
        assertThat(outcome.deadLetters()).isZero();
        JsonNode learner = flow.learnerState("L-3");
        assertThat(learner.get("state").asText()).isEqualTo("SYNCED");
        assertThat(learner.get("missingScopes").toString()).isEqualTo("[\"" + PAYMENTS_READ + "\"]");
        JsonNode calls = callsByEndpoint();
        assertThat(calls.has("GET /Payments") || calls.has("GET /Prepayments") || calls.has("GET /Overpayments"))
                .as("calls %s", calls).isFalse();
        assertThat(calls.path("GET /CreditNotes").asInt()).as("the other lists are polled").isPositive();

        // A connection saved without knowing it lacks the scope: Xero's 403 says so, and the connection learns which.
        forgetMissingScopes();
        int creditNotePolls = calls.path("GET /CreditNotes").asInt();
        new TransactionPollHandler(flow.rig.root("TransactionPollFunction", InvoiceRoot::of)).handleRequest(new ScheduledEvent(), null);

        JsonNode refused = status(connectionApi);
        assertThat(refused.get("status").asText()).isEqualTo("CONNECTED");
        assertThat(refused.get("missingScopes").toString()).isEqualTo("[\"" + PAYMENTS_READ + "\"]");
        assertThat(refused.get("lastError").asText()).contains(PAYMENTS_READ).contains("connect Xero again");
        assertThat(callsByEndpoint().path("GET /CreditNotes").asInt()).as("lists with their scope still polled")
                .isGreaterThan(creditNotePolls);
        assertThat(flow.logged("xero.connection.lost")).isZero();
        // Work that needs another scope goes on.
        APIGatewayV2HTTPResponse manual = flow.learnerApi.handleRequest(ApiEvents.route("POST /v1/learners/{learnerId}/sync")
                .path("learnerId", "L-3").as(EndToEndFlow.ORG, "staff", "u-staff").build(), null);
        assertThat(manual.getStatusCode()).as(manual.getBody()).isEqualTo(202);
        flow.settle();
        assertThat(flow.check().deadLetters()).isZero();
        System.out.println("SCOPES-RUN missing=" + refused.get("missingScopes") + " calls=" + callsByEndpoint()
                + " lastError=" + refused.get("lastError"));
    }

    private ConnectionApiHandler connectionApi() {
        return new ConnectionApiHandler(flow.rig.root("ConnectionApiFunction", ConnectionRoot::of));
    }

    private static JsonNode status(ConnectionApiHandler api) throws Exception {
        APIGatewayV2HTTPResponse r = api.handleRequest(ApiEvents.route("GET /v1/xero/connection")
                .as(EndToEndFlow.ORG, "admin", "u-admin").build(), null);
        assertThat(r.getStatusCode()).as(r.getBody()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getBody());
    }

    private JsonNode callsByEndpoint() {
        return flow.rig.admin.stats().path("tenants").path(flow.tenantId).path("appCallsByEndpoint");
    }

    /** As a connection saved by a version that did not compare the grant with what it needs. */
    private void forgetMissingScopes() {
        flow.rig.aws.dynamoDb().updateItem(b -> b.tableName(flow.settings.tableName())
                .key(Map.of("pk", AttributeValue.fromS("ORG#" + EndToEndFlow.ORG), "sk", AttributeValue.fromS("CONNECTION")))
                .updateExpression("SET missingScopes = :none").expressionAttributeValues(Map.of(":none",
                        AttributeValue.fromL(List.of()))));
    }
}
