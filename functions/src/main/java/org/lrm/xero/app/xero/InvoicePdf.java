package org.lrm.xero.app.xero;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/** An invoice's PDF as Xero renders it, streamed. Whoever receives it reads and closes {@code body}. */
public record InvoicePdf(InputStream body, OptionalLong contentLength) implements Closeable {

    @Override
    public void close() throws IOException {
        body.close();
    }
}
