package org.lrm.xero.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Amounts as Xero keeps them: AUD only, BigDecimal rounded half-up to 2 decimals. */
final class Money {
    private Money() {}

    static final BigDecimal ZERO = new BigDecimal("0.00");
    /** CurrencyRate of every document: the sandbox has one currency. */
    static final BigDecimal UNIT_RATE = new BigDecimal("1.000000");

    /** Xero rounds line amounts and totals to 2 decimals, half-up. */
    static BigDecimal round(BigDecimal v) { return v.setScale(2, RoundingMode.HALF_UP); }
}
