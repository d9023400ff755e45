package org.lrm.xero.app.fakes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.lrm.xero.app.invoice.PdfStore;

/** {@link PdfStore} in memory; its links name the key and how long they live. */
public final class InMemoryPdfStore implements PdfStore {

    private final Map<String, byte[]> objects = new HashMap<>();

    @Override
    public void put(String key, InputStream pdf, OptionalLong contentLength) {
        try {
            objects.put(key, pdf.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public URI presignedGet(String key, Duration validFor) {
        return URI.create("https://pdfs.example/" + key + "?expires=" + validFor.toSeconds());
    }

    public Map<String, byte[]> objects() {
        return Map.copyOf(objects);
    }
}
