package org.lrm.xero.bench.coldstart;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The floor a Java function's cold start is compared with: aws-lambda-java-core and nothing else. */
public final class BareHandler implements RequestStreamHandler {

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        byte[] event = input.readAllBytes();
        output.write(("{\"statusCode\":200,\"body\":\"" + event.length + " bytes\"}").getBytes(StandardCharsets.UTF_8));
    }
}
