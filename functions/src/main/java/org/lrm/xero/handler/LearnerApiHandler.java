package org.lrm.xero.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.lrm.xero.app.work.WorkOutcome;
import org.lrm.xero.app.learner.BulkSync;
import org.lrm.xero.app.learner.LearnerDirectory;
import org.lrm.xero.app.learner.LearnerList;
import org.lrm.xero.app.learner.LearnerQueries;
import org.lrm.xero.app.learner.LearnerRecord;
import org.lrm.xero.app.learner.LogEntry;
import org.lrm.xero.app.learner.ManualSync;
import org.lrm.xero.app.learner.MergeLearners;
import org.lrm.xero.app.learner.RefInternalTaken;
import org.lrm.xero.app.learner.SaveLearner;
import org.lrm.xero.app.learner.SyncConflict;
import org.lrm.xero.domain.learner.FieldError;
import org.lrm.xero.domain.learner.Learner;
import org.lrm.xero.domain.learner.LearnerInput;
import org.lrm.xero.domain.learner.LearnerValidation;
import org.lrm.xero.domain.learner.SyncState;
import org.lrm.xero.domain.report.FinanceReport;
import org.lrm.xero.http.ApiProblem;
import org.lrm.xero.http.ApiRequest;
import org.lrm.xero.http.ApiResponses;
import org.lrm.xero.http.ApiRouter;
import org.lrm.xero.http.Caller;
import org.lrm.xero.http.JsonBody;
import org.lrm.xero.http.Paging;

/**
 * The learner routes the LRM calls: save a learner, Manual Sync, bulk sync, a learner's Xero
 * status, LRM merges, the logbook and the finance report. Each route validates, calls one use
 * case and maps its result; Xero is never called from here.
 */
public final class LearnerApiHandler extends JsonEventHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

    /**
     * A bulk request may be larger than other bodies, up to 4 MiB (about 5,000 learners with two or three
     * enrolments each): API Gateway hands the body to Lambda inside the event, as a JSON string, and Lambda
     * refuses a synchronous invocation of 6 MB or more with an answer of the platform's own. Escaped in the
     * event, a body grows by a byte for each quote or backslash it holds, so 4 MiB leaves room for any
     * body of which fewer than half the bytes are such, and a body over the cap still reaches the API, which
     * answers problem+json 413. Larger imports are split by the LRM into several requests.
     */
    public static final int MAX_BULK_BODY_BYTES = 4 * 1024 * 1024;

    /** What an answer says of a sync queued while the organisation is not connected. */
    static final String WAITING_NOTE = "The organisation is not connected to Xero: the sync waits until an admin connects it"
            + " (at most " + WorkOutcome.PARKED_AT_MOST.toDays() + " days; then the learner is FAILED with what to do).";

    private final SaveLearner saveLearner;
    private final ManualSync manualSync;
    private final BulkSync bulkSync;
    private final MergeLearners mergeLearners;
    private final LearnerQueries queries;
    private final LearnerList learnerList;
    private final ApiRouter router;

    /** Lambda's entry: wired from the environment. */
    public LearnerApiHandler() {
        this(LearnerRoot.fromEnvironment());
    }

    public LearnerApiHandler(LearnerRoot root) {
        super(APIGatewayV2HTTPEvent.class);
        LearnerRoot.Api api = root.api();
        this.saveLearner = api.save();
        this.manualSync = api.manualSync();
        this.bulkSync = api.bulkSync();
        this.mergeLearners = api.merge();
        this.queries = api.queries();
        this.learnerList = api.list();
        this.router = new ApiRouter()
                .route("GET /v1/learners", this::list)
                .route("PUT /v1/learners/{learnerId}", this::put)
                .route("POST /v1/learners/{learnerId}/sync", this::sync)
                .route("POST /v1/learners:bulk-sync", this::bulk)
                .route("GET /v1/learners/{learnerId}/xero", this::status)
                .route("POST /v1/learners/{learnerId}/merge", this::merge)
                .route("GET /v1/learners/{learnerId}/logbook", this::logbook)
                .route("GET /v1/reports/finance", this::financeReport);
        primeWith("GET /v1/learners/{learnerId}/xero", PrimingEvents.request("GET /v1/learners/{learnerId}/xero",
                "learnerId"), PrimingEvents.ANY_ANSWER);
        // A whole learner whose email is not one: read and validated, refused before any write.
        primeWith("PUT /v1/learners/{learnerId}", PrimingEvents.write("PUT /v1/learners/{learnerId}", """
                {"refInternal":"P000001","firstName":"Priming","lastName":"Learner","email":"not an email",\
                "phone":"+61 400 000 000","address":{"line1":"1 Main St","city":"Perth","region":"WA","postalCode":"6000",\
                "country":"AU"},"syncToXero":true,"enrolments":[{"enrolmentId":"E-1","course":"BSB50120",\
                "startDate":"2027-02-01","status":"CONFIRMED"}]}""", "learnerId"), PrimingEvents.REFUSED);
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        return router.handle(event);
    }

    record BulkBody(List<LearnerInput> learners) {
    }

    record MergeBody(String intoLearnerId) {
    }

    private APIGatewayV2HTTPResponse put(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        String learnerId = request.pathParam("learnerId");
        LearnerInput body = JsonBody.read(request, LearnerInput.class);
        if (body.learnerId() != null && !body.learnerId().equals(learnerId)) {
            throw ApiProblem.validation(List.of(new FieldError("learnerId", "differs from the learner id in the path")));
        }
        Learner learner = valid(withId(body, learnerId), "");
        try {
            SaveLearner.Saved saved = saveLearner.save(caller.orgId(), learner);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("learnerId", learnerId);
            out.put("syncQueued", saved.queued());
            out.put("changed", saved.changed());
            out.put("waitingForConnection", saved.waitingForConnection());
            if (saved.waitingForConnection()) {
                out.put("note", WAITING_NOTE);
            }
            return ApiResponses.json(saved.queued() ? 202 : 200, out);
        } catch (RefInternalTaken e) {
            throw refTaken(e, "refInternal");
        }
    }

    private APIGatewayV2HTTPResponse sync(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        String learnerId = request.pathParam("learnerId");
        try {
            manualSync.request(caller.orgId(), learnerId);
        } catch (SyncConflict e) {
            throw ApiProblem.conflict(e.reason() == SyncConflict.Reason.NOT_CONNECTED ? "not-connected"
                    : e.reason() == SyncConflict.Reason.SYNC_OFF ? "sync-off" : "merged", e.getMessage(),
                    Map.of("reason", e.reason().name()));
        }
        return ApiResponses.json(202, Map.of("learnerId", learnerId, "state", "PENDING"));
    }

    private APIGatewayV2HTTPResponse bulk(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireAdmin();
        BulkBody body = JsonBody.read(request, BulkBody.class, MAX_BULK_BODY_BYTES);
        if (body.learners() == null || body.learners().isEmpty()) {
            throw ApiProblem.validation(List.of(new FieldError("learners", "must list at least one learner")));
        }
        if (body.learners().size() > BulkSync.MAX_LEARNERS) {
            throw ApiProblem.validation(List.of(new FieldError("learners",
                    "has " + body.learners().size() + " learners; at most " + BulkSync.MAX_LEARNERS + " per request")));
        }
        List<Learner> learners = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> refs = new HashSet<>();
        for (int i = 0; i < body.learners().size(); i++) {
            LearnerInput in = body.learners().get(i);
            String at = "learners[" + i + "].";
            if (in == null) {
                errors.add(new FieldError("learners[" + i + "]", "must be a learner object"));
                continue;
            }
            LearnerValidation.Result result = LearnerValidation.validate(in);
            result.errors().forEach(e -> errors.add(new FieldError(at + e.field(), e.message())));
            if (result.isValid()) {
                Learner l = result.learner();
                if (!ids.add(l.learnerId())) {
                    errors.add(new FieldError(at + "learnerId", "appears twice in this request"));
                } else if (!refs.add(l.refInternal())) {
                    errors.add(new FieldError(at + "refInternal", "appears twice in this request"));
                }
                learners.add(l);
            }
        }
        if (!errors.isEmpty()) {
            // Nothing is stored or queued unless every learner of the request is valid.
            throw ApiProblem.validation(errors.size() > 500 ? errors.subList(0, 500) : errors);
        }
        try {
            BulkSync.Started started = bulkSync.start(caller.orgId(), learners);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("jobId", started.jobId());
            out.put("received", started.received());
            out.put("queued", started.queued());
            out.put("waitingForConnection", started.waitingForConnection());
            if (started.waitingForConnection()) {
                out.put("note", WAITING_NOTE);
            }
            return ApiResponses.json(202, out);
        } catch (RefInternalTaken e) {
            throw refTaken(e, "learners");
        }
    }

    private APIGatewayV2HTTPResponse status(ApiRequest request) {
        Caller caller = request.caller();
        String learnerId = request.pathParam("learnerId");
        caller.requireStaffOrLearner(learnerId);
        LearnerRecord r = queries.status(caller.orgId(), learnerId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("learnerId", learnerId);
        out.put("syncToXero", r.learner().syncToXero());
        out.put("state", r.state().name());
        out.put("contactId", r.contactId());
        out.put("contactName", r.contactName());
        out.put("contactNumber", r.contactNumber());
        out.put("lastSyncedAt", r.lastSyncedAt());
        out.put("error", r.error());
        out.put("mergedInto", r.mergedInto());
        out.put("missingScopes", queries.missingScopes(caller.orgId()));
        return ApiResponses.json(200, out);
    }

    /**
     * Staff's list of learners ({@code ?state=&cursor=&limit=}), in learner id order, each with its
     * Xero state and, for a failure, Xero's words and what to do; {@code nextCursor} only while more follow.
     */
    private APIGatewayV2HTTPResponse list(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        List<FieldError> errors = new ArrayList<>();
        SyncState state = null;
        String stateParam = request.query("state");
        if (stateParam != null && !stateParam.isBlank()) {
            try {
                state = SyncState.valueOf(stateParam.trim());
            } catch (IllegalArgumentException e) {
                errors.add(new FieldError("state", "must be one of " + java.util.Arrays.toString(SyncState.values())));
            }
        }
        String after = Paging.after(request, errors);
        int limit = Paging.limit(request, LearnerList.DEFAULT_LIMIT, LearnerList.MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        LearnerDirectory.Page page = learnerList.page(caller.orgId(), state, after, limit);
        List<Map<String, Object>> learners = page.learners().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("learnerId", r.learnerId());
            m.put("refInternal", r.learner().refInternal());
            m.put("firstName", r.learner().firstName());
            m.put("lastName", r.learner().lastName());
            m.put("syncToXero", r.learner().syncToXero());
            m.put("state", r.state().name());
            m.put("contactId", r.contactId());
            m.put("contactName", r.contactName());
            m.put("lastSyncedAt", r.lastSyncedAt());
            m.put("error", r.error());
            m.put("mergedInto", r.mergedInto());
            return m;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("learners", learners);
        out.put("nextCursor", Paging.nextCursor(page.more(),
                learners.isEmpty() ? null : page.learners().get(page.learners().size() - 1).learnerId()));
        return ApiResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse merge(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        String learnerId = request.pathParam("learnerId");
        MergeBody body = JsonBody.read(request, MergeBody.class);
        if (body.intoLearnerId() == null || body.intoLearnerId().isBlank()) {
            throw ApiProblem.validation(List.of(new FieldError("intoLearnerId", "is required")));
        }
        if (body.intoLearnerId().equals(learnerId)) {
            throw ApiProblem.validation(List.of(new FieldError("intoLearnerId", "must be another learner")));
        }
        MergeLearners.Merged merged = mergeLearners.merge(caller.orgId(), learnerId, body.intoLearnerId());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("learnerId", learnerId);
        out.put("intoLearnerId", body.intoLearnerId());
        out.put("contactToMergeInXero", merged.contactToMerge());
        out.put("intoContactId", merged.intoContact());
        return ApiResponses.json(200, out);
    }

    private APIGatewayV2HTTPResponse logbook(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        String learnerId = request.pathParam("learnerId");
        List<LogEntry> entries = queries.logbook(caller.orgId(), learnerId, 200);
        List<Map<String, Object>> out = entries.stream().map(e -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("at", e.at());
            m.put("kind", e.kind());
            m.put("summary", e.summary());
            m.putAll(e.xeroIds());
            return m;
        }).toList();
        return ApiResponses.json(200, Map.of("entries", out));
    }

    /**
     * The finance report a page at a time ({@code ?since=&cursor=&limit=}, at most
     * {@link FinanceReport#MAX_LIMIT} learners and {@link FinanceReport#MAX_PAGE_BYTES}): JSON with
     * {@code nextCursor} while more follow, or CSV with the cursor in the {@code X-Next-Cursor} header.
     */
    private APIGatewayV2HTTPResponse financeReport(ApiRequest request) {
        Caller caller = request.caller();
        caller.requireStaff();
        Instant since = parseSince(request.query("since"));
        List<FieldError> errors = new ArrayList<>();
        String after = Paging.after(request, errors);
        int limit = Paging.limit(request, FinanceReport.MAX_LIMIT, FinanceReport.MAX_LIMIT, errors);
        if (!errors.isEmpty()) {
            throw ApiProblem.validation(errors);
        }
        LearnerQueries.FinanceReportPage page = queries.financeReport(caller.orgId(), since, after, limit);
        String nextCursor = Paging.nextCursor(page.next() != null, page.next());
        String accept = request.header("accept");
        if (accept != null && accept.toLowerCase().contains("text/csv")) {
            APIGatewayV2HTTPResponse csv = ApiResponses.text(200, "text/csv; charset=utf-8", page.report().toCsv());
            if (nextCursor != null) {
                Map<String, String> headers = new LinkedHashMap<>(csv.getHeaders());
                headers.put("x-next-cursor", nextCursor);
                csv.setHeaders(headers);
            }
            return csv;
        }
        return ApiResponses.json(200, new FinanceReportAnswer(page.report(), nextCursor));
    }

    /** The report's page as JSON: its fields, and where the next page starts (null on the last). */
    record FinanceReportAnswer(@JsonUnwrapped FinanceReport report, String nextCursor) {
    }

    static Instant parseSince(String since) {
        if (since == null || since.isBlank()) {
            throw ApiProblem.validation(List.of(new FieldError("since", "is required: an ISO-8601 instant or date")));
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException notInstant) {
            try {
                return LocalDate.parse(since).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notDate) {
                throw ApiProblem.validation(List.of(new FieldError("since",
                        "must be an ISO-8601 instant (2026-11-01T00:00:00Z) or date (2026-11-01)")));
            }
        }
    }

    private static Learner valid(LearnerInput input, String prefix) {
        LearnerValidation.Result result = LearnerValidation.validate(input);
        if (!result.isValid()) {
            throw ApiProblem.validation(result.errors().stream()
                    .map(e -> new FieldError(prefix + e.field(), e.message())).toList());
        }
        return result.learner();
    }

    private static LearnerInput withId(LearnerInput in, String learnerId) {
        return new LearnerInput(learnerId, in.refInternal(), in.firstName(), in.lastName(), in.email(), in.phone(),
                in.address(), in.syncToXero(), in.enrolments());
    }

    private static ApiProblem refTaken(RefInternalTaken e, String field) {
        return new ApiProblem(409, "ref-internal-taken", "Conflict", e.getMessage()
                + ": Xero identifies the contact by it, so it must be unique.",
                List.of(new FieldError(field, "RefInternal " + e.refInternal() + " is already used")), null);
    }
}
