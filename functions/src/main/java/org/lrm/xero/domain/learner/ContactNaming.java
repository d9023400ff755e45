package org.lrm.xero.domain.learner;

import java.util.regex.Pattern;

/**
 * How a learner is named in Xero. Xero requires a contact's Name to be unique among active
 * contacts, and two learners may share a first and last name, so the LRM's own reference
 * (RefInternal) is part of the name: "First Last RefInternal". The same reference is the
 * ContactNumber, which lets the integration find the contact again without its ContactID.
 */
public final class ContactNaming {

    private static final Pattern WHITESPACE = Pattern.compile("[\\s\\p{Z}]+");

    private ContactNaming() {
    }

    /** Trims and collapses every run of whitespace (no-break spaces too) into one space; null for null or blank. */
    public static String normalise(String value) {
        if (value == null) {
            return null;
        }
        String collapsed = WHITESPACE.matcher(value).replaceAll(" ").strip();
        return collapsed.isEmpty() ? null : collapsed;
    }

    /** The contact's Name: first name, last name and reference, each normalised, one space apart. */
    public static String contactName(String firstName, String lastName, String refInternal) {
        return normalise(firstName) + " " + normalise(lastName) + " " + normalise(refInternal);
    }

    /** The contact's Name for a validated learner. */
    public static String contactName(Learner learner) {
        return contactName(learner.firstName(), learner.lastName(), learner.refInternal());
    }
}
