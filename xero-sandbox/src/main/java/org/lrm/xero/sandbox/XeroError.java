package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.UUID;

/** An error answered as Xero answers it; the static methods are every error shape of the Accounting API and connections. */
final class XeroError extends RuntimeException {
    final Resp resp;

    XeroError(Resp resp) { super("HTTP " + resp.status, null, false, false); this.resp = resp; }

    /** The body of a 400 ValidationException around the failing elements (each with its ValidationErrors). */
    static ObjectNode validationBody(List<? extends JsonNode> elements) {
        ObjectNode b = Json.obj();
        b.put("ErrorNumber", 10);
        b.put("Type", "ValidationException");
        b.put("Message", "A validation exception occurred");
        ArrayNode els = b.putArray("Elements");
        for (JsonNode e : elements) els.add(e);
        return b;
    }

    /** 400 ValidationException with the element echoed and its messages. */
    static XeroError validation(JsonNode element, String... messages) {
        ObjectNode el = element == null ? Json.obj() : ((ObjectNode) element.deepCopy());
        ArrayNode ve = el.putArray("ValidationErrors");
        for (String m : messages) ve.addObject().put("Message", m);
        return new XeroError(Resp.json(400, validationBody(List.of(el))));
    }

    static XeroError notFound() {
        // Xero answers an unknown resource id with 404 and a plain text body.
        return new XeroError(Resp.text(404, "text/plain; charset=utf-8", "The resource you're looking for cannot be found"));
    }

    /** Xero's problem-details style auth errors (401/403). */
    static XeroError problem(int status, String title, String detail) {
        ObjectNode b = Json.obj();
        b.putNull("Type");
        b.put("Title", title);
        b.put("Status", status);
        b.put("Detail", detail);
        b.put("Instance", UUID.randomUUID().toString());
        b.putObject("Extensions");
        return new XeroError(Resp.json(status, b));
    }

    /** 400 PostDataInvalidException: a request Xero cannot read. */
    static XeroError badRequest(String message) {
        ObjectNode b = Json.obj();
        b.put("ErrorNumber", 14);
        b.put("Type", "PostDataInvalidException");
        b.put("Message", message);
        return new XeroError(Resp.json(400, b));
    }

    /** 429 for one of the limits ({@code minute}, {@code day}, {@code concurrent}, {@code appminute}); headers are the caller's. */
    static Resp tooManyRequests(String problem) {
        ObjectNode b = Json.obj();
        b.putNull("Type");
        b.put("Title", "Too Many Requests");
        b.put("Status", 429);
        b.put("Detail", "You've exceeded the " + problem + " rate limit");
        return Resp.json(429, b);
    }

    /** An outage of Xero's (fault injection): 503 Service Unavailable or 500. */
    static Resp outage(boolean unavailable) {
        ObjectNode b = Json.obj();
        b.put("Title", unavailable ? "Service Unavailable" : "An error occurred");
        b.put("Detail", unavailable ? "The Xero API is temporarily unavailable."
                : "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.");
        b.put("Status", unavailable ? 503 : 500);
        b.put("Instance", UUID.randomUUID().toString());
        return Resp.json(unavailable ? 503 : 500, b);
    }

    /** What a client sees when Xero's gateway gives up on a held request (fault injection). */
    static Resp gatewayTimeout() {
        return Resp.text(504, "text/html", "<html><body><h1>504 Gateway Time-out</h1></body></html>");
    }

    /** A bug of the sandbox's own, answered rather than dropped so that a test shows it. */
    static Resp sandboxBug(Exception e) {
        ObjectNode b = Json.obj();
        b.put("Title", "An error occurred");
        b.put("Detail", "Sandbox internal error: " + e);
        b.put("Status", 500);
        return Resp.json(500, b);
    }
}
