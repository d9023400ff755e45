package org.lrm.xero.sandbox;

/**
 * Input the sandbox cannot read (not JSON, a bad date or number, a where clause it does not support). Answered 400
 * {@code PostDataInvalidException} by the server loop; unlike a {@link XeroError} raised by a resource, it ends the
 * call before the rate-limit headers are added and is not remembered for an Idempotency-Key.
 */
final class MalformedRequest extends RuntimeException {
    MalformedRequest(String message) { super(message); }
}
