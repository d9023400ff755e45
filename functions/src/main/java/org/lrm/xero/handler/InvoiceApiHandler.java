package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.invoice.LearnerInvoices;
import org.lrm.xero.app.invoice.StoredInvoice;
import org.lrm.xero.app.rate.WaitForBudget;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.xero.ConnectionUnavailable;
import org.lrm.xero.app.xero.ScopeMissing;
import org.lrm.xero.app.xero.XeroCallFailed;
import org.lrm.xero.domain.invoice.LearnerInvoice;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;
import org.lrm.xero.http.Caller;

/**
 * A learner's invoices and their PDFs, for staff of the organisation and the learner themself;
 * anything else is 404. The PDF route answers 302 to a presigned link valid for 5 minutes (or, asked
 * for JSON, the link as {@code {url}}).
 */
public final class InvoiceApiHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final LearnerInvoices invoices;
    private final ApiRouter router;

    /** Lambda's entry: wired from the environment. */
    public InvoiceApiHandler() {
        this(InvoiceRoot.fromEnvironment());
    }

    public InvoiceApiHandler(InvoiceRoot root) {
        super(APIGatewayV2HTTPEvent.class);
        this.invoices = root.learnerInvoices();
        this.router = new ApiRouter()
                .route("GET /v1/learners/{learnerId}/invoices", this::list)
                .route("GET /v1/learners/{learnerId}/invoices/{invoiceId}/pdf", this::pdf);
        primeWith("GET /v1/learners/{learnerId}/invoices", PrimingEvents.request("GET /v1/learners/{learnerId}/invoices",
                "learnerId"), PrimingEvents.ANY_ANSWER);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    private APIGatewayV2HTTPResponse list(ApiRequest request) {
        Caller caller = request.caller();
        String learnerId = request.pathParam("learnerId");
        caller.requireStaffOrLearner(learnerId);
        List<Map<String, Object>> out = invoices.list(caller.orgId(), learnerId).stream().map(InvoiceApiHandler::view)
                .toList();
        return ApiResponses.json(200, Map.of("invoices", out));
    }

    private APIGatewayV2HTTPResponse pdf(ApiRequest request) {
        Caller caller = request.caller();
        String learnerId = request.pathParam("learnerId");
        caller.requireStaffOrLearner(learnerId);
        try {
            return ApiResponses.redirectOrLink(request, "url",
                    invoices.pdfLink(caller.orgId(), learnerId, request.pathParam("invoiceId")).toString());
        } catch (WaitForBudget e) {
            throw unavailable("Xero's limits allow no more calls just now; try again shortly.",
                    Math.max(1, e.duration().toSeconds()));
        } catch (ScopeMissing e) {
            throw unavailable("The Xero connection lacks the scope to read invoices: an admin must connect Xero again"
                    + " and grant it.", WorkOutcome.RECONNECT_WAIT.toSeconds());
        } catch (ConnectionUnavailable | XeroCallFailed e) {
            throw unavailable("The PDF cannot be fetched from Xero just now.", 60);
        }
    }

    private static ApiProblem unavailable(String detail, long retryAfterSeconds) {
        return new ApiProblem(503, "xero-unavailable", "Xero unavailable", detail, null,
                Map.of("retryAfterSeconds", retryAfterSeconds));
    }

    /** The contract's invoice shape. */
    private static Map<String, Object> view(StoredInvoice stored) {
        LearnerInvoice i = stored.invoice();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("invoiceId", i.invoiceId());
        out.put("invoiceNumber", i.invoiceNumber());
        out.put("reference", i.reference());
        out.put("status", i.status());
        out.put("date", i.date());
        out.put("dueDate", i.dueDate());
        out.put("currency", i.currency());
        out.put("total", i.total());
        out.put("amountDue", i.amountDue());
        out.put("amountPaid", i.amountPaid());
        out.put("amountCredited", i.amountCredited());
        out.put("updatedAt", i.updatedAt());
        out.put("contactId", i.contactId());
        out.put("payments", i.payments());
        out.put("creditNotes", i.creditNotes());
        out.put("prepayments", i.prepayments());
        out.put("overpayments", i.overpayments());
        out.put("pdf", Map.of("available", stored.pdfAvailable()));
        return out;
    }
}
