package org.lrm.xero.architecture.planted.app;

/** Planted: a port, as a use case should speak to Xero. */
public interface InvoicesPort {

    String invoice(String id);
}
