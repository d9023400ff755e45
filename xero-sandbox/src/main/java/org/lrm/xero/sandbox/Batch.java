package org.lrm.xero.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * PUT and POST of one or more elements as Xero takes them: the elements of a body, each validated before any is
 * saved; with {@code summarizeErrors=true} (the default) any error fails the whole batch with a 400, with
 * {@code false} the valid ones are saved and the answer is 200 with each element's {@code StatusAttributeString}.
 */
final class Batch {

    /** Checks one element (adding messages to {@code errs}) and prepares what to save; {@code earlier}: the batch's elements before it (null where invalid). */
    interface Validator<P> { P validate(JsonNode element, List<String> errs, List<P> earlier); }

    /** Saves a prepared element and answers it in the API's shape. */
    interface Saver<P> { ObjectNode save(P prepared); }

    private final Envelope envelope;

    Batch(Envelope envelope) { this.envelope = envelope; }

    /** The elements of a body: {@code {"<key>": [...]}}, or one element posted bare. */
    static List<JsonNode> elements(Request r, String key) {
        JsonNode body = r.json();
        JsonNode arr = body.get(key);
        List<JsonNode> out = new ArrayList<>();
        if (arr != null && arr.isArray()) arr.forEach(out::add);
        else if (body.isObject() && body.size() > 0 && arr == null) out.add(body);
        if (out.isEmpty()) throw XeroError.badRequest("No " + key + " were found in the request");
        return out;
    }

    /** The elements of a body posted to {@code /<Resource>/{id}}: each takes the path's id unless it names one. */
    static List<JsonNode> elementsOf(Request r, String key, String idField, String id) {
        List<JsonNode> els = elements(r, key);
        for (JsonNode e : els) if (e.isObject() && !e.has(idField)) ((ObjectNode) e).put(idField, id);
        return els;
    }

    <P> Resp save(Request r, String key, List<JsonNode> els, Validator<P> validator, Saver<P> saver) {
        boolean summarize = r.flag("summarizeErrors", true);
        List<List<String>> errors = new ArrayList<>();
        List<P> prepared = new ArrayList<>();
        for (JsonNode el : els) {
            List<String> errs = new ArrayList<>();
            P p = validator.validate(el, errs, prepared);
            errors.add(errs);
            prepared.add(errs.isEmpty() ? p : null);
        }
        boolean anyError = errors.stream().anyMatch(e -> !e.isEmpty());
        if (anyError && summarize) {
            List<ObjectNode> bad = new ArrayList<>();
            for (int i = 0; i < els.size(); i++) {
                if (errors.get(i).isEmpty()) continue;
                ObjectNode e = copyOf(els.get(i));
                addErrors(e, errors.get(i));
                bad.add(e);
            }
            throw new XeroError(Resp.json(400, XeroError.validationBody(bad)));
        }
        ObjectNode b = envelope.create();
        ArrayNode out = b.putArray(key);
        for (int i = 0; i < els.size(); i++) {
            if (errors.get(i).isEmpty()) {
                ObjectNode o = saver.save(prepared.get(i));
                if (!summarize) o.put("StatusAttributeString", "OK");
                out.add(o);
            } else {
                ObjectNode e = copyOf(els.get(i));
                e.put("StatusAttributeString", "ERROR");
                addErrors(e, errors.get(i));
                e.put(key.equals("Contacts") ? "HasValidationErrors" : "HasErrors", true);
                out.add(e);
            }
        }
        return Resp.json(200, b);
    }

    /** The element as sent, to echo with its errors. */
    private static ObjectNode copyOf(JsonNode element) {
        return element.isObject() ? ((ObjectNode) element.deepCopy()) : Json.obj();
    }

    private static void addErrors(ObjectNode element, List<String> messages) {
        ArrayNode ve = element.putArray("ValidationErrors");
        messages.forEach(m -> ve.addObject().put("Message", m));
    }
}
