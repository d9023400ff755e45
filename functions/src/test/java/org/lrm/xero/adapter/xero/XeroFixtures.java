package org.lrm.xero.adapter.xero;

/** Xero-shaped bodies (as Xero's documentation shows them) for tests against a canned server. */
final class XeroFixtures {

    static final String TENANT = "6f1a7a0e-6f2c-4c8e-9d53-2b0a9a2a1c11";
    static final String CONTACT_ID = "5cc8cf28-567e-4d43-b287-687cfcaec47c";
    static final String INVOICE_ID = "0b7c6f0a-2f0e-4f7f-9d1e-6a1b2c3d4e5f";
    static final String PAYMENT_ID = "7f0e8d3c-1a2b-4c5d-8e9f-0a1b2c3d4e5f";
    static final String CREDIT_NOTE_ID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d";
    static final String PREPAYMENT_ID = "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e";
    static final String OVERPAYMENT_ID = "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f";
    static final String ALLOCATION_ID = "4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f80";

    private static final String CONTACT_REF = """
            {"ContactID":"%s","Name":"Ada Lovelace","ContactNumber":"W1"}""".formatted(CONTACT_ID);
    private static final String ALLOCATION = """
            {"AllocationID":"%s","Amount":20.00,"Date":"/Date(1801440000000+0000)/",
             "Invoice":{"InvoiceID":"%s","InvoiceNumber":"INV-0001"}}""".formatted(ALLOCATION_ID, INVOICE_ID);

    static final String CONTACTS = """
            {"Id":"04e93d48-e72f-4775-b7dd-15a041fab972","Status":"OK","ProviderName":"LRM","DateTimeUTC":"/Date(1700000000000)/",
             "Contacts":[{"ContactID":"%s","ContactNumber":"W1","ContactStatus":"ACTIVE","Name":"Ada Lovelace",
               "FirstName":"Ada","LastName":"Lovelace","EmailAddress":"ada@example.org",
               "Addresses":[{"AddressType":"POBOX","AddressLine1":"1 Main St","City":"Wellington","PostalCode":"6011","Country":"NZ"}],
               "Phones":[{"PhoneType":"MOBILE","PhoneNumber":"021 555 1212"}],
               "UpdatedDateUTC":"/Date(1700000000000+0000)/","HasValidationErrors":false}]}""".formatted(CONTACT_ID);

    static final String INVOICES = """
            {"Invoices":[{"Type":"ACCREC","InvoiceID":"%s","InvoiceNumber":"INV-0001","Reference":"W1-2027-02",
              "Status":"AUTHORISED","Contact":%s,"Date":"/Date(1801440000000+0000)/","DueDate":"/Date(1803859200000+0000)/",
              "CurrencyCode":"NZD","SubTotal":100.00,"TotalTax":15.00,"Total":115.00,"AmountDue":0.00,"AmountPaid":95.00,
              "AmountCredited":20.00,"UpdatedDateUTC":"/Date(1700000000000+0000)/","HasAttachments":false,
              "Payments":[{"PaymentID":"%s","Date":"/Date(1801440000000+0000)/","Amount":95.00,"Reference":"bank","CurrencyRate":1.000000}],
              "CreditNotes":[{"CreditNoteID":"%s","CreditNoteNumber":"CN-0001","AppliedAmount":20.00,"Date":"/Date(1801440000000+0000)/","Total":20.00}],
              "Prepayments":[],"Overpayments":[]}]}""".formatted(INVOICE_ID, CONTACT_REF, PAYMENT_ID, CREDIT_NOTE_ID);

    static final String PAYMENTS = """
            {"Payments":[{"PaymentID":"%s","Date":"/Date(1801440000000+0000)/","Amount":95.00,"Reference":"bank",
              "CurrencyRate":1.000000,"PaymentType":"ACCRECPAYMENT","Status":"AUTHORISED","IsReconciled":false,
              "UpdatedDateUTC":"/Date(1700000000000+0000)/",
              "Invoice":{"InvoiceID":"%s","InvoiceNumber":"INV-0001","Type":"ACCREC","Contact":%s}}]}"""
            .formatted(PAYMENT_ID, INVOICE_ID, CONTACT_REF);

    static final String CREDIT_NOTES = """
            {"CreditNotes":[{"CreditNoteID":"%s","CreditNoteNumber":"CN-0001","Type":"ACCRECCREDIT","Status":"PAID",
              "Contact":%s,"Date":"/Date(1801440000000+0000)/","CurrencyCode":"NZD","SubTotal":17.39,"TotalTax":2.61,
              "Total":20.00,"RemainingCredit":0.00,"UpdatedDateUTC":"/Date(1700000000000+0000)/","Allocations":[%s]}]}"""
            .formatted(CREDIT_NOTE_ID, CONTACT_REF, ALLOCATION);

    static final String PREPAYMENTS = """
            {"Prepayments":[{"PrepaymentID":"%s","Type":"RECEIVE-PREPAYMENT","Status":"AUTHORISED","Contact":%s,
              "Date":"/Date(1801440000000+0000)/","CurrencyCode":"NZD","SubTotal":50.00,"TotalTax":0.00,"Total":50.00,
              "RemainingCredit":30.00,"UpdatedDateUTC":"/Date(1700000000000+0000)/","Allocations":[%s]}]}"""
            .formatted(PREPAYMENT_ID, CONTACT_REF, ALLOCATION);

    static final String OVERPAYMENTS = """
            {"Overpayments":[{"OverpaymentID":"%s","Type":"RECEIVE-OVERPAYMENT","Status":"AUTHORISED","Contact":%s,
              "Date":"/Date(1801440000000+0000)/","CurrencyCode":"NZD","SubTotal":5.00,"TotalTax":0.00,"Total":5.00,
              "RemainingCredit":5.00,"UpdatedDateUTC":"/Date(1700000000000+0000)/","Allocations":[]}]}"""
            .formatted(OVERPAYMENT_ID, CONTACT_REF);

    static final String CONNECTIONS = """
            [{"id":"7cb59f93-2964-421d-bb5e-a0f7a4572a44","authEventId":"d99ecdfe-391d-43d2-b834-17636ba90e8d",
              "tenantId":"%s","tenantType":"ORGANISATION","tenantName":"Demo Company (NZ)",
              "createdDateUtc":"2019-12-07T18:46:19.5165400","updatedDateUtc":"2019-12-07T18:46:19.5187840"}]"""
            .formatted(TENANT);

    static final String VALIDATION_ERROR = """
            {"ErrorNumber":10,"Type":"ValidationException","Message":"A validation exception occurred",
             "Elements":[{"ContactID":"00000000-0000-0000-0000-000000000000",
               "ValidationErrors":[{"Message":"The contact name Ada Lovelace is already assigned to another contact. The contact name must be unique across all active contacts."}]}]}""";

    static final String UNAUTHORIZED = """
            {"Type":null,"Title":"Unauthorized","Status":401,"Detail":"TokenExpired: token expired at 02/01/2027 10:00:00","Instance":"4ab1","Extensions":{}}""";

    static final String FORBIDDEN = """
            {"Type":null,"Title":"Forbidden","Status":403,"Detail":"AuthenticationUnsuccessful","Instance":"4ab2","Extensions":{}}""";

    private XeroFixtures() {
    }
}
