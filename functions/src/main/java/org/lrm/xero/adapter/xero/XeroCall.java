package org.lrm.xero.adapter.xero;

import java.util.Objects;

/** Who an accounting call is for: the tenant and the app's access token for it. Never prints the token. */
public record XeroCall(String tenantId, String accessToken) {

    public XeroCall {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(accessToken, "accessToken");
    }

    @Override
    public String toString() {
        return "XeroCall[tenantId=" + tenantId + ", accessToken=***]";
    }
}
