package org.lrm.xero.http;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lrm.xero.domain.learner.FieldError;

/**
 * A request the API refuses, answered as RFC 9457 {@code application/problem+json} with
 * {@code type}, {@code title}, {@code status}, {@code detail} and, for validation, {@code errors[]}.
 */
public final class ApiProblem extends RuntimeException {

    private static final String TYPE_BASE = "https://lrm.example.org/problems/";

    private final int status;
    private final String type;
    private final String title;
    private final List<FieldError> errors;
    private final Map<String, Object> extensions;

    public ApiProblem(int status, String type, String title, String detail, List<FieldError> errors,
                      Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.type = TYPE_BASE + type;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
        this.extensions = extensions == null ? Map.of() : Map.copyOf(extensions);
    }

    public static ApiProblem validation(List<FieldError> errors) {
        return new ApiProblem(400, "validation", "The request is not valid",
                errors.size() == 1 ? errors.get(0).field() + " " + errors.get(0).message()
                        : errors.size() + " fields are not valid", errors, null);
    }

    public static ApiProblem badRequest(String detail) {
        return new ApiProblem(400, "bad-request", "The request is not valid", detail, null, null);
    }

    public static ApiProblem unauthorized(String detail) {
        return new ApiProblem(401, "unauthorized", "Not signed in", detail, null, null);
    }

    public static ApiProblem forbidden(String detail) {
        return new ApiProblem(403, "forbidden", "Not allowed", detail, null, null);
    }

    public static ApiProblem notFound(String detail) {
        return new ApiProblem(404, "not-found", "Not found", detail, null, null);
    }

    public static ApiProblem conflict(String type, String detail, Map<String, Object> extensions) {
        return new ApiProblem(409, type, "Conflict", detail, null, extensions);
    }

    public static ApiProblem unsupportedMediaType(String detail) {
        return new ApiProblem(415, "unsupported-media-type", "Unsupported media type", detail, null, null);
    }

    public static ApiProblem tooLarge(String detail) {
        return new ApiProblem(413, "too-large", "Request too large", detail, null, null);
    }

    public int status() {
        return status;
    }

    /** The problem+json document. */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", type);
        body.put("title", title);
        body.put("status", status);
        body.put("detail", getMessage());
        if (!errors.isEmpty()) {
            body.put("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList());
        }
        body.putAll(extensions);
        return body;
    }
}
