package org.lrm.xero.domain.learner;

/** A learner's postal address; every part optional. */
public record Address(String line1, String city, String region, String postalCode, String country) {

    public boolean isEmpty() {
        return line1 == null && city == null && region == null && postalCode == null && country == null;
    }
}
