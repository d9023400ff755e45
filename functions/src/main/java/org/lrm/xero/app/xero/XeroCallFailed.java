package org.lrm.xero.app.xero;

/**
 * Xero answered a call with something other than its result. {@code permanent} when asking again
 * cannot help (a validation error, something not there); otherwise worth retrying later.
 */
public final class XeroCallFailed extends RuntimeException {

    private final String operation;
    private final boolean permanent;

    public XeroCallFailed(String operation, boolean permanent, String detail) {
        super(operation + ": " + detail);
        this.operation = operation;
        this.permanent = permanent;
    }

    public String operation() {
        return operation;
    }

    public boolean permanent() {
        return permanent;
    }
}
