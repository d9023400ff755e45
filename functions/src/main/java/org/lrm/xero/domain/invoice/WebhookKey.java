package org.lrm.xero.domain.invoice;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The key Xero signs webhook deliveries with, as operators store it. Xero issues it as a long random
 * base64 string; a key anyone could guess (the template's {@code SET_ME}, a word, a short test value)
 * would let anyone forge deliveries, so such a key is refused rather than used.
 */
public final class WebhookKey {

    /** Shorter than this is no key Xero issued (Xero's keys are long random base64 strings). */
    public static final int MIN_LENGTH = 32;
    /** The value {@code infra/template.yaml} creates the app secret with, until operators set the real one. */
    public static final String TEMPLATE_PLACEHOLDER = "SET_ME";

    private WebhookKey() {
    }

    /**
     * The key's bytes (HMAC key: the text as UTF-8, as Xero uses it).
     *
     * @throws IllegalStateException saying what is wrong (never the key) when it is missing, the placeholder or short
     */
    public static byte[] check(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalStateException("has no webhookKey");
        }
        if (text.toUpperCase(Locale.ROOT).contains(TEMPLATE_PLACEHOLDER)) {
            throw new IllegalStateException("holds the template's placeholder webhookKey (" + TEMPLATE_PLACEHOLDER
                    + "), not the app's key from Xero");
        }
        if (text.trim().length() < MIN_LENGTH) {
            throw new IllegalStateException("holds a webhookKey of " + text.trim().length()
                    + " characters: Xero's are long base64 strings (at least " + MIN_LENGTH + " characters)");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
