package org.lrm.xero.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;
import org.lrm.xero.domain.learner.FieldError;
import org.lrm.xero.support.Json;

/**
 * Reads a JSON request body strictly: JSON content type, at most 1 MB, well-formed, no unknown
 * fields (a misspelt field must not be silently dropped), and values of the right type.
 */
public final class JsonBody {

    private JsonBody() {
    }

    public static <T> T read(ApiRequest request, Class<T> type) {
        return read(request, type, ApiRequest.MAX_BODY_BYTES);
    }

    /** With a larger limit, for the one route that takes big bodies (bulk sync). */
    public static <T> T read(ApiRequest request, Class<T> type, int maxBytes) {
        String contentType = request.header("content-type");
        if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
            throw ApiProblem.unsupportedMediaType("Send the body as application/json.");
        }
        byte[] body = request.bodyBytes();
        if (body.length > maxBytes) {
            throw ApiProblem.tooLarge("The body is " + body.length + " bytes; the limit is " + maxBytes + ".");
        }
        if (body.length == 0) {
            throw ApiProblem.badRequest("The request needs a JSON body.");
        }
        try {
            T value = Json.STRICT.readValue(body, type);
            if (value == null) {
                throw ApiProblem.badRequest("The request needs a JSON object, not null.");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw ApiProblem.validation(List.of(new FieldError(path(e), "is not a known field")));
        } catch (MismatchedInputException e) {
            throw ApiProblem.validation(List.of(new FieldError(path(e), "has the wrong type")));
        } catch (JsonProcessingException e) {
            throw ApiProblem.badRequest("The body is not well-formed JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ").");
        } catch (IOException e) {
            throw ApiProblem.badRequest("The body could not be read.");
        }
    }

    private static String path(MismatchedInputException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
        return path.isEmpty() ? "body" : path;
    }
}
