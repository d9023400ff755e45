package org.lrm.xero.app.invoice;

import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.OptionalLong;

/** The private bucket of invoice PDFs. */
public interface PdfStore {

    /** Streams a PDF in under {@code key}. */
    void put(String key, InputStream pdf, OptionalLong contentLength);

    /** A link anyone holding it may GET the PDF with, until {@code validFor} has passed. */
    URI presignedGet(String key, Duration validFor);
}
