package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.time.Clock;
import java.time.LocalDate;
import java.util.EnumSet;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.resync.RecentResyncs;
import org.lrm.xero.app.resync.ResyncJob;
import org.lrm.xero.app.resync.ResyncProgress;
import org.lrm.xero.app.resync.StartResync;
import org.lrm.xero.domain.learner.FieldError;
import org.lrm.xero.domain.resync.ResyncRange;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;
import org.lrm.xero.http.Caller;
import org.lrm.xero.http.JsonBody;
import org.lrm.xero.http.Paging;

/**
 * The re-sync routes: an admin starts one for a date range (202 with its id; 409 while another
 * runs, naming it), staff follow its progress and read the latest jobs. Xero is never called from here.
 */
public final class ResyncApiHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final StartResync start;
    private final ResyncProgress progress;
    private final RecentResyncs recent;
    private final Clock clock;
    private final ApiRouter router;

    /** Lambda's entry: wired from the environment. */
    public ResyncApiHandler() {
        this(ResyncRoot.fromEnvironment());
    }

    public ResyncApiHandler(ResyncRoot root) {
        super(APIGatewayV2HTTPEvent.class);
        ResyncRoot.Api api = root.api();
        this.start = api.start();
        this.progress = api.progress();
        this.recent = api.recent();
        this.clock = api.clock();
        this.router = new ApiRouter()
                .route("POST /v1/xero/resync", this::post)
                .route("GET /v1/xero/resync", this::list)
                .route("GET /v1/xero/resync/{jobId}", this::get);
        primeWith("GET /v1/xero/resync/{jobId}", PrimingEvents.request("GET /v1/xero/resync/{jobId}", "jobId"),
                PrimingEvents.ANY_ANSWER);
        // A range that ends before it starts: read and validated, refused before a job exists.
        primeWith("POST /v1/xero/resync", PrimingEvents.write("POST /v1/xero/resync",
                "{\"from\":\"2027-02-01\",\"to\":\"2027-01-01\"}"), PrimingEvents.REFUSED);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    /** The request body; dates as text so that a bad one is named, not a parse error. */
    record ResyncBody(String from, String to, Boolean invoices, Boolean learners) {
    }

    private APIGatewayV2HTTPResponse post(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireAdmin();
        ResyncBody body = JsonBody.read(request, ResyncBody.class);
        ResyncRange.Parsed parsed = ResyncRange.parse(body.from(), body.to(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC));
        if (parsed instanceof ResyncRange.Invalid invalid) {
            throw ApiProblem.validation(invalid.errors());
        }
        boolean invoices = body.invoices() == null || body.invoices();
        boolean learners = body.learners() != null && body.learners();
        if (!invoices && !learners) {
            throw ApiProblem.validation(List.of(new FieldError("invoices", "or learners must be true: nothing to re-sync")));
        }
        try {
            String jobId = start.range(caller.orgId(), ((ResyncRange.Valid) parsed).range(), invoices, learners);
            return ApiResponses.json(202, Map.of("jobId", jobId));
        } catch (StartResync.NotConnected e) {
            throw ApiProblem.conflict("not-connected", "The organisation is not connected to Xero: connect it first.",
                    Map.of());
        } catch (StartResync.AlreadyRunning e) {
            throw ApiProblem.conflict("resync-running", "A re-sync is already running; wait for it to end.",
                    Map.of("runningJobId", e.runningJobId()));
        }
    }

    private APIGatewayV2HTTPResponse get(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        String jobId = request.pathParam("jobId");
        ResyncProgress.View view = progress.view(caller.orgId(), jobId)
                .orElseThrow(() -> ApiProblem.notFound("No re-sync " + jobId + "."));
        return ApiResponses.json(200, job(view));
    }

    /** The organisation's latest jobs, newest first ({@code ?limit=}, 20 unless asked, at most {@link RecentResyncs#MAX}). */
    private APIGatewayV2HTTPResponse list(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        List<FieldError> errors = new ArrayList<>();
        int limit = Paging.limit(request, 20, RecentResyncs.MAX, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        return ApiResponses.json(200, Map.of("jobs", recent.of(caller.orgId(), limit).stream()
                .map(ResyncApiHandler::job).toList()));
    }

    /** A job as the API shows it: {@code counts} are records changed, {@code checked} records examined. */
    static Map<String, Object> job(ResyncProgress.View view) {
        ResyncJob job = view.job();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("jobId", job.jobId());
        out.put("kind", job.kind().name());
        out.put("state", view.state().name());
        out.put("from", job.from() == null ? null : job.from().toString());
        out.put("to", job.to() == null ? null : job.to().toString());
        if (job.since() != null) {
            out.put("since", job.since().toString());
        }
        ResyncJob.Counts c = job.counts();
        out.put("counts", Map.of("invoices", c.invoices(), "learners", c.learners(), "pdfs", c.pdfs(), "failed", c.failed()));
        out.put("checked", job.checked().asMap());
        Map<String, Object> pages = new LinkedHashMap<>();
        pages.put("done", job.pagesDone());
        pages.put("total", job.lastPage());
        out.put("pages", pages);
        out.put("eta", view.eta() == null ? null : view.eta().toString());
        if (view.resumesAt() != null) {
            out.put("resumesAt", view.resumesAt().toString());
        }
        if (!job.reasons().isEmpty()) {
            out.put("reasons", job.reasons());
        }
        out.put("createdAt", job.createdAt().toString());
        if (job.finishedAt() != null) {
            out.put("finishedAt", job.finishedAt().toString());
        }
        return out;
    }
}
