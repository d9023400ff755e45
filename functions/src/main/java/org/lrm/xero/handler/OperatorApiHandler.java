package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.app.learner.LearnerDirectory;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.operator.DeadLetterDesk;
import org.lrm.xero.app.operator.OrganisationHealth;
import org.lrm.xero.app.work.DeadLetter;
import org.lrm.xero.app.work.DeadLetterFilter;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.domain.learner.FieldError;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;
import org.lrm.xero.http.Caller;
import org.lrm.xero.http.JsonBody;
import org.lrm.xero.http.Paging;

/**
 * The operators' routes (the integration vendor's support staff, across organisations): every
 * organisation's health, one organisation's failed learners, the dead letters by queue,
 * organisation and reason, and their replay. Operators only: every other role gets 403, as
 * operators get 403 on every other route. Each route validates, calls one use case with the
 * operator's id (the use cases log who did what) and maps its answer.
 */
public final class OperatorApiHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    private final OrganisationHealth organisations;
    private final DeadLetterDesk deadLetters;
    private final ApiRouter router;

    /** Lambda's entry: wired from the environment. */
    public OperatorApiHandler() {
        this(OperatorRoot.fromEnvironment());
    }

    public OperatorApiHandler(OperatorRoot root) {
        this(root.organisations(), root.deadLetters());
        primeWith("GET /v1/operator/organisations",
                PrimingEvents.withQuery(PrimingEvents.operatorRequest("GET /v1/operator/organisations"), Map.of("limit", "1")),
                PrimingEvents.READ);
        primeWith("GET /v1/operator/organisations/{orgId}/failing-learners",
                PrimingEvents.operatorRequest("GET /v1/operator/organisations/{orgId}/failing-learners", "orgId"),
                PrimingEvents.READ);
        // A replay of a queue that does not exist: read and validated, refused before any queue is touched.
        // No route looks into a DLQ here: a look would count a receive of every dead letter.
        primeWith("POST /v1/operator/dead-letters:replay", PrimingEvents.withBody(
                PrimingEvents.operatorRequest("POST /v1/operator/dead-letters:replay"),
                "{\"queue\":\"snapstart-priming\",\"dryRun\":true}"), PrimingEvents.REFUSED);
    }

    private OperatorApiHandler(OrganisationHealth organisations, DeadLetterDesk deadLetters) {
        super(APIGatewayV2HTTPEvent.class);
        this.organisations = organisations;
        this.deadLetters = deadLetters;
        this.router = new ApiRouter()
                .route("GET /v1/operator/organisations", this::organisations)
                .route("GET /v1/operator/organisations/{orgId}/failing-learners", this::failingLearners)
                .route("GET /v1/operator/dead-letters", this::deadLetters)
                .route("POST /v1/operator/dead-letters:replay", this::replay);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    /** An organisation as operators see it: its connection as its admins see it, its failed learners and latest re-sync. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record OrganisationView(String orgId, @JsonUnwrapped ConnectionApiHandler.ConnectionView connection,
            int failingLearners, Map<String, Object> resync) {
    }

    /** A replay's answer; the filter's parts not given are there as null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ReplayView(boolean dryRun, String queue, String orgId, String kind, String reason, int matched, int replayed) {
    }

    /** The replay's body; {@code dryRun} must be said, so that nothing moves unless asked for. */
    record ReplayBody(String queue, String orgId, String kind, String reason, Boolean dryRun) {
    }

    private APIGatewayV2HTTPResponse organisations(ApiRequest request) {
        Caller caller = operator(request);
        List<FieldError> errors = new ArrayList<>();
        String after = Paging.after(request, errors);
        int limit = Paging.limit(request, OrganisationHealth.DEFAULT_LIMIT, OrganisationHealth.MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        OrganisationHealth.Page page = organisations.page(caller.userId(), after, limit);
        List<OrganisationView> views = page.organisations().stream().map(o -> new OrganisationView(o.connection().orgId(),
                ConnectionApiHandler.ConnectionView.of(o.connection()), o.failedLearners(),
                o.latestResync() == null ? null : ResyncApiHandler.job(o.latestResync()))).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("organisations", views);
        out.put("nextCursor", Paging.nextCursor(page.more(), views.isEmpty() ? null : views.get(views.size() - 1).orgId()));
        return ApiResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse failingLearners(ApiRequest request) {
        Caller caller = operator(request);
        String orgId = request.pathParam("orgId");
        List<FieldError> errors = new ArrayList<>();
        String after = Paging.after(request, errors);
        int limit = Paging.limit(request, OrganisationHealth.DEFAULT_LIMIT, OrganisationHealth.MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        LearnerDirectory.Page page = organisations.failedLearners(caller.userId(), orgId, after, limit);
        List<Map<String, Object>> learners = page.learners().stream().map(OperatorApiHandler::failedLearner).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orgId", orgId);
        out.put("learners", learners);
        out.put("nextCursor", Paging.nextCursor(page.more(),
                learners.isEmpty() ? null : page.learners().get(page.learners().size() - 1).learnerId()));
        return ApiResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse deadLetters(ApiRequest request) {
        Caller caller = operator(request);
        List<FieldError> errors = new ArrayList<>();
        String queue = optional("queue", request.query("queue"), errors);
        if (queue != null && !ReplayRequest.QUEUES.contains(queue)) {
            errors.add(new FieldError("queue", "must be one of " + String.join(", ", ReplayRequest.QUEUES)));
        }
        DeadLetterFilter filter = new DeadLetterFilter(optional("orgId", request.query("orgId"), errors),
                optional("kind", request.query("kind"), errors), optional("reason", request.query("reason"), errors));
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        DeadLetterDesk.Review review = deadLetters.review(caller.userId(), queue, filter);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("total", review.total());
        out.put("complete", review.complete());
        out.put("groups", review.groups().stream().map(OperatorApiHandler::group).toList());
        return ApiResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse replay(ApiRequest request) {
        Caller caller = operator(request);
        ReplayBody body = JsonBody.read(request, ReplayBody.class);
        List<FieldError> errors = new ArrayList<>();
        if (body.queue() == null || !ReplayRequest.QUEUES.contains(body.queue())) {
            errors.add(new FieldError("queue", "is required: one of " + String.join(", ", ReplayRequest.QUEUES)));
        }
        if (body.dryRun() == null) {
            errors.add(new FieldError("dryRun", "is required: true to count what would be replayed, false to replay it"));
        }
        String orgId = optional("orgId", body.orgId(), errors);
        String kind = optional("kind", body.kind(), errors);
        String reason = optional("reason", body.reason(), errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        DeadLetterDesk.Replay replay = deadLetters.replay(caller.userId(),
                new ReplayRequest(body.queue(), orgId, kind, reason, body.dryRun(), null));
        ReplayRequest done = replay.request();
        return ApiResponses.json(200, new ReplayView(done.dryRun(), done.queue(), done.orgId(), done.kind(), done.reason(),
                replay.matched(), replay.replayed()));
    }

    private static Caller operator(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireOperator();
        return caller;
    }

    /** A filter's part: absent or given, never blank (a blank one would select nothing, or be taken for all). */
    private static String optional(String field, String value, List<FieldError> errors) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            errors.add(new FieldError(field, "must not be blank: leave it out for every one"));
            return null;
        }
        return value.trim();
    }

    private static Map<String, Object> failedLearner(LearnerRecord r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("learnerId", r.learnerId());
        m.put("refInternal", r.learner().refInternal());
        m.put("firstName", r.learner().firstName());
        m.put("lastName", r.learner().lastName());
        m.put("error", r.error());
        m.put("updatedAt", r.updatedAt());
        return m;
    }

    private static Map<String, Object> group(DeadLetterDesk.Group g) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("queue", g.queue());
        m.put("orgId", g.orgId());
        m.put("reason", g.reason());
        m.put("count", g.count());
        m.put("oldestAt", g.oldestAt());
        m.put("samples", g.samples().stream().map(s -> {
            DeadLetter letter = s.letter();
            Map<String, Object> sample = new LinkedHashMap<>();
            sample.put("messageId", letter.messageId());
            sample.put("kind", letter.kind());
            sample.put("orgId", letter.orgId());
            sample.put("learnerIds", s.learnerIds());
            sample.put("reason", letter.reason());
            sample.put("sentAt", letter.sentAt());
            sample.put("receiveCount", letter.receiveCount());
            return sample;
        }).toList());
        return m;
    }
}
