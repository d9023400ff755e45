package org.lrm.xero.local;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.lrm.xero.testing.HttpApiBridge;

/**
 * What a person opens in a browser on the local gateway, beside the API: the console (the static
 * app in {@code console/}) at {@code /} and under {@code /console/}, the API's OpenAPI document
 * ({@code api/openapi.yaml}) as JSON at {@code /openapi.json}, and its documentation rendered by
 * the vendored Swagger UI at {@code /docs}. Files are read from the repository on each request, so
 * an edit shows on reload; CloudFront serves the same files from S3 when the template deploys them.
 */
final class ConsoleSite {

    static final String OPENAPI_YAML = "api/openapi.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "json", "application/json", "png", "image/png", "svg", "image/svg+xml", "txt", "text/plain; charset=utf-8",
            "ico", "image/x-icon", "map", "application/json");

    private final Path console;
    private final Path openApi;

    ConsoleSite(Path repositoryRoot) {
        this.console = repositoryRoot.resolve("console").toAbsolutePath().normalize();
        this.openApi = repositoryRoot.resolve(OPENAPI_YAML);
    }

    /** Its routes; added after the API's, the last one takes every other GET (API Gateway's 404 for no file). */
    void addTo(HttpApiBridge gateway) {
        gateway.route("GET /", (e, c) -> file("index.html"));
        gateway.route("GET /openapi.json", (e, c) -> openApiJson());
        gateway.route("GET /docs", (e, c) -> file("docs.html"));
        gateway.route("GET /console", (e, c) -> APIGatewayV2HTTPResponse.builder().withStatusCode(301)
                .withHeaders(Map.of("location", "/console/")).build());
        gateway.route("GET /console/", (e, c) -> file("index.html"));
        gateway.route("GET /console/{path+}", this::fileAt);
        gateway.route("GET /{path+}", this::fileAt);
    }

    APIGatewayV2HTTPResponse fileAt(APIGatewayV2HTTPEvent event, Context context) {
        String path = event.getPathParameters().get("path");
        // The document and its documentation sit beside the console wherever the console is served from.
        return path.equals("openapi.json") ? openApiJson() : file(path.equals("docs") ? "docs.html" : path);
    }

    APIGatewayV2HTTPResponse file(String relative) {
        Path file = console.resolve(relative).normalize();
        if (!file.startsWith(console) || !Files.isRegularFile(file)) {
            return notFound();
        }
        String name = file.getFileName().toString();
        String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT),
                "application/octet-stream");
        try {
            byte[] bytes = Files.readAllBytes(file);
            boolean text = type.startsWith("text/") || type.contains("json") || type.contains("svg");
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", type, "cache-control", "no-cache",
                            "x-content-type-options", "nosniff"))
                    .withBody(text ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(bytes))
                    .withIsBase64Encoded(!text).build();
        } catch (IOException e) {
            return notFound();
        }
    }

    /** The OpenAPI document as JSON, converted from the repository's YAML on each request. */
    APIGatewayV2HTTPResponse openApiJson() {
        if (!Files.isRegularFile(openApi)) {
            return problem(404, "Not found", OPENAPI_YAML + " is not in this checkout yet.");
        }
        try {
            JsonNode document = new YAMLMapper().readTree(openApi.toFile());
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/json", "cache-control", "no-cache"))
                    .withBody(JSON.writeValueAsString(document)).build();
        } catch (IOException e) {
            return problem(500, "The API document cannot be read", OPENAPI_YAML + ": " + e.getMessage());
        }
    }

    private static APIGatewayV2HTTPResponse notFound() {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(404)
                .withHeaders(Map.of("content-type", "application/json")).withBody("{\"message\":\"Not Found\"}").build();
    }

    private static APIGatewayV2HTTPResponse problem(int status, String title, String detail) {
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                    .withHeaders(Map.of("content-type", "application/problem+json"))
                    .withBody(JSON.writeValueAsString(Map.of("type", "about:blank", "title", title, "status", status,
                            "detail", detail))).build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
