package org.lrm.xero.domain.learner;

/**
 * Xero's field length limits for a contact, as its Accounting API documents them
 * (xero_accounting.yaml, schemas Contact, Address and Phone). Checked before a call is spent.
 */
public final class XeroLimits {
    public static final int NAME = 255;
    public static final int FIRST_NAME = 255;
    public static final int LAST_NAME = 255;
    public static final int CONTACT_NUMBER = 50;
    public static final int EMAIL = 255;
    public static final int PHONE_NUMBER = 50;
    public static final int ADDRESS_LINE = 500;
    public static final int CITY = 255;
    public static final int REGION = 255;
    public static final int POSTAL_CODE = 50;
    public static final int COUNTRY = 50;

    private XeroLimits() {
    }
}
