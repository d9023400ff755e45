package org.lrm.xero.adapter.xero;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One of Xero's validation messages, as Xero wrote it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ValidationError(@JsonProperty("Message") String message) {
}
