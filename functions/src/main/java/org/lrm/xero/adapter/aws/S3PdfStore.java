package org.lrm.xero.adapter.aws;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.OptionalLong;
import org.lrm.xero.app.invoice.PdfStore;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/** Invoice PDFs in the private S3 bucket, handed out as presigned GET links. */
public final class S3PdfStore implements PdfStore {

    private final S3Client s3;
    private final S3Presigner presigner;
    private final String bucket;

    public S3PdfStore(S3Client s3, S3Presigner presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    @Override
    public void put(String key, InputStream pdf, OptionalLong contentLength) {
        RequestBody body;
        try {
            // S3 needs the length up front; without Xero's Content-Length the PDF (tens of KB) is read first.
            body = contentLength.isPresent() ? RequestBody.fromInputStream(pdf, contentLength.getAsLong())
                    : RequestBody.fromBytes(pdf.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the PDF from Xero failed", e);
        }
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/pdf"), body);
    }

    @Override
    public URI presignedGet(String key, Duration validFor) {
        try {
            return presigner.presignGetObject(p -> p.signatureDuration(validFor)
                    .getObjectRequest(g -> g.bucket(bucket).key(key))).url().toURI();
        } catch (URISyntaxException e) {
            throw new IllegalStateException("S3 presigned an unusable URL", e);
        }
    }
}
