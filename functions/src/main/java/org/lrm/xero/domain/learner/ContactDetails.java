package org.lrm.xero.domain.learner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What Xero holds of a learner: the contact the integration writes. Only these fields are
 * Xero-relevant; a change anywhere else in the learner (enrolments, the sync flag) costs no call.
 */
public record ContactDetails(
        String name,
        String contactNumber,
        String firstName,
        String lastName,
        String email,
        String phone,
        Address address) {

    /** The contact a learner becomes in Xero, per the LRM contract. */
    public static ContactDetails of(Learner learner) {
        return new ContactDetails(
                ContactNaming.contactName(learner),
                learner.refInternal(),
                learner.firstName(),
                learner.lastName(),
                learner.email(),
                learner.phone(),
                learner.address());
    }

    /**
     * A stable digest of the Xero-relevant fields. Stored after each successful sync, so an
     * unchanged learner is recognised without asking Xero.
     */
    public String fingerprint() {
        Address a = address == null ? new Address(null, null, null, null, null) : address;
        String canonical = String.join("\u001f",
                Objects.toString(name, ""), Objects.toString(contactNumber, ""),
                Objects.toString(firstName, ""), Objects.toString(lastName, ""),
                Objects.toString(email, ""), Objects.toString(phone, ""),
                Objects.toString(a.line1(), ""), Objects.toString(a.city(), ""),
                Objects.toString(a.region(), ""), Objects.toString(a.postalCode(), ""),
                Objects.toString(a.country(), ""));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
