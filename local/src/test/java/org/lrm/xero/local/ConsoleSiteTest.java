package org.lrm.xero.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files the local gateway serves beside the API, from a repository laid out in a temporary folder. */
class ConsoleSiteTest {

    @TempDir
    Path repo;

    private ConsoleSite site() throws IOException {
        Files.createDirectories(repo.resolve("console/views"));
        Files.writeString(repo.resolve("console/index.html"), "<!doctype html><main id=\"main\"></main>");
        Files.writeString(repo.resolve("console/docs.html"), "<div id=\"docs\"></div>");
        Files.writeString(repo.resolve("console/views/learners.js"), "export const x = 1;");
        Files.write(repo.resolve("console/logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
        Files.writeString(repo.resolve("secret.txt"), "not for the browser");
        return new ConsoleSite(repo);
    }

    @Test
    void theApiDocumentIsServedAsJsonFromTheRepositorysYaml() throws IOException {
        ConsoleSite site = site();
        APIGatewayV2HTTPResponse missing = site.openApiJson();
        assertThat(missing.getStatusCode()).isEqualTo(404);
        assertThat(missing.getHeaders()).containsEntry("content-type", "application/problem+json");
        assertThat(missing.getBody()).contains("api/openapi.yaml is not in this checkout yet");

        // A minimal placeholder in this test's own folder: the real document lives in the repository.
        Files.createDirectories(repo.resolve("api"));
        Files.writeString(repo.resolve("api/openapi.yaml"), """
                openapi: 3.1.0
                info: {title: Placeholder, version: "0"}
                paths:
                  /v1/xero/connection:
                    get: {responses: {"200": {description: the connection}}}
                """);
        APIGatewayV2HTTPResponse served = site.openApiJson();
        assertThat(served.getStatusCode()).isEqualTo(200);
        assertThat(served.getHeaders()).containsEntry("content-type", "application/json");
        JsonNode document = new ObjectMapper().readTree(served.getBody());
        assertThat(document.get("openapi").asText()).isEqualTo("3.1.0");
        assertThat(document.at("/paths/~1v1~1xero~1connection/get/responses/200/description").asText()).isEqualTo("the connection");
        assertThat(site.fileAt(event("openapi.json"), null).getBody()).isEqualTo(served.getBody());
    }

    @Test
    void consoleFilesAreServedWithTheirTypesAndNothingOutsideTheConsole() throws IOException {
        ConsoleSite site = site();
        APIGatewayV2HTTPResponse script = site.fileAt(event("views/learners.js"), null);
        assertThat(script.getStatusCode()).isEqualTo(200);
        assertThat(script.getHeaders().get("content-type")).startsWith("text/javascript");
        assertThat(script.getBody()).isEqualTo("export const x = 1;");
        APIGatewayV2HTTPResponse png = site.fileAt(event("logo.png"), null);
        assertThat(png.getIsBase64Encoded()).isTrue();
        assertThat(Base64.getDecoder().decode(png.getBody())).hasSize(7);
        assertThat(site.fileAt(event("docs"), null).getBody()).contains("id=\"docs\"");
        for (String outside : new String[] {"../secret.txt", "views/../../secret.txt", "nothing.js", "views"}) {
            APIGatewayV2HTTPResponse refused = site.fileAt(event(outside), null);
            assertThat(refused.getStatusCode()).as(outside).isEqualTo(404);
            assertThat(refused.getBody()).isEqualTo("{\"message\":\"Not Found\"}");
        }
    }

    private static APIGatewayV2HTTPEvent event(String path) {
        return APIGatewayV2HTTPEvent.builder().withPathParameters(Map.of("path", path)).build();
    }
}
