package org.lrm.xero.domain.connection;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What ties a connect to the browser that started it: a random value the browser keeps in an
 * HttpOnly cookie, while only its hash is stored with the state. A callback that arrives without it
 * (Xero's consent link followed in another browser, as in login CSRF) cannot complete the connect.
 * {@link #toString()} hides the value.
 */
public record BrowserNonce(String value) {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9_-]{43}");

    public BrowserNonce {
        if (value == null || !FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("not a browser nonce");
        }
    }

    public static BrowserNonce fresh() {
        return new BrowserNonce(RandomTokens.urlSafe(32));
    }

    /** The nonce a cookie carries; empty for none or anything that is not one of ours. */
    public static Optional<BrowserNonce> parse(String cookieValue) {
        return cookieValue != null && FORM.matcher(cookieValue).matches() ? Optional.of(new BrowserNonce(cookieValue))
                : Optional.empty();
    }

    /** What is stored with the state. */
    public String hash() {
        return RandomTokens.sha256Hex(value);
    }

    /** True when this nonce is the one whose hash was stored. */
    public boolean matches(String storedHash) {
        return RandomTokens.sameHash(hash(), storedHash);
    }

    @Override
    public String toString() {
        return "BrowserNonce[***]";
    }
}
