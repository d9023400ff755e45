package org.lrm.xero.adapter.xero;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** An invoice PDF streamed from Xero. The caller reads and closes {@code body}. */
public record PdfDocument(InputStream body, OptionalLong contentLength) implements Closeable {

    @Override
    public void close() throws IOException {
        body.close();
    }
}
