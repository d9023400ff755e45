package org.lrm.xero.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.lrm.xero.testing.ApiContract;
import org.lrm.xero.testing.RepoPaths;
import org.lrm.xero.testing.TemplateResources;

/**
 * {@code api/openapi.yaml} is valid OpenAPI 3.1 as a maintained parser reads it, describes exactly the
 * routes {@code infra/template.yaml} gives the HTTP API (and the same two without the JWT
 * authorizer), says who may call each operation, and its examples are what its schemas allow.
 */
class ApiDocumentTest {

    private static final Set<String> ROLES = Set.of("admin", "staff", "learner", "operator");

    private final ApiContract contract = ApiContract.load();

    @Test
    void theDocumentIsValidOpenApi31() throws IOException {
        SwaggerParseResult result = parse(Files.readString(RepoPaths.root().resolve(ApiContract.DOCUMENT)));

        assertThat(result.getMessages()).as("what the parser says about the document").isEmpty();
        assertThat(result.getOpenAPI().getSpecVersion()).isEqualTo(SpecVersion.V31);
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
        assertThat(result.getOpenAPI().getPaths().keySet()).as("every operation's path, each once")
                .isEqualTo(contract.routeKeys().stream().map(k -> k.substring(k.indexOf(' ') + 1)).collect(Collectors.toSet()));
    }

    @Test
    void theParserReportsWhatIsWrongWithADocument() {
        String broken = """
                openapi: 3.1.0
                info: {title: broken, version: "1"}
                paths:
                  /v1/things/{thingId}:
                    get:
                      responses:
                        "200":
                          content:
                            application/json:
                              schema: {$ref: "#/components/schemas/Missing"}
                """;

        SwaggerParseResult result = parse(broken);

        assertThat(String.join("\n", result.getMessages()))
                .as("a path parameter not declared, a response without a description, a $ref to nothing")
                .contains("thingId").contains("description").contains("Missing");
    }

    @Test
    void everySchemaIsJsonSchema202012AndEverySecurityRequirementNamesAScheme() {
        assertThat(schemaProblems(contract.root())).isEmpty();
    }

    @Test
    void theSchemaCheckFindsWhatTheParserLetsThrough() throws IOException {
        String document = Files.readString(RepoPaths.root().resolve(ApiContract.DOCUMENT));
        String misspeltType = document.replace("        syncToXero:\n          type: boolean\n",
                "        syncToXero:\n          type: bool\n");
        String unknownScheme = document.replace("security:\n  - LrmJwt: []", "security:\n  - LrmToken: []");
        assertThat(misspeltType).isNotEqualTo(document);
        assertThat(unknownScheme).isNotEqualTo(document);

        assertThat(parse(misspeltType).getMessages()).as("swagger-parser does not check schema keywords").isEmpty();
        assertThat(schemaProblems(ApiContract.parse(misspeltType).root())).isNotEmpty()
                .allSatisfy(p -> assertThat(p).startsWith("#/components/schemas/Learner: /properties/syncToXero/type"));
        assertThat(schemaProblems(ApiContract.parse(unknownScheme).root())).singleElement().asString().contains("LrmToken");
    }

    @Test
    void theTemplatesRoutesAreTheDocumentsOperations() {
        List<TemplateResources.HttpRoute> routes = template().httpRoutes();
        Set<String> templateRoutes = routes.stream().map(TemplateResources.HttpRoute::routeKey).collect(Collectors.toSet());

        assertThat(routeDifferences(templateRoutes, contract.routeKeys())).isEmpty();
        assertThat(routes).as("the template declares each route once").hasSize(templateRoutes.size());
        assertThat(templateRoutes).hasSize(22);
    }

    @Test
    void theRouteComparisonReportsARouteMissingOnEitherSide() {
        Set<String> template = routes(template().httpRoutes());
        String removed = "GET /v1/learners/{learnerId}/logbook";
        Set<String> withoutOne = new LinkedHashSet<>(template);
        withoutOne.remove(removed);
        Set<String> withOneMore = new LinkedHashSet<>(template);
        withOneMore.add("POST /v1/learners/{learnerId}/archive");

        assertThat(routeDifferences(withoutOne, contract.routeKeys()))
                .containsExactly("in the document but not the template: " + removed);
        assertThat(routeDifferences(withOneMore, contract.routeKeys()))
                .containsExactly("in the template but not the document: POST /v1/learners/{learnerId}/archive");
    }

    @Test
    void theRoutesWithoutTheJwtAuthorizerAreTheOperationsWithoutSecurity() {
        Set<String> open = routes(template().httpRoutes().stream().filter(r -> !r.jwt()).toList());
        Set<String> documentedOpen = new TreeSet<>();
        for (ApiContract.Operation op : contract.operations()) {
            JsonNode security = op.node().get("security");
            if (security != null && security.isArray() && security.isEmpty()) {
                documentedOpen.add(op.routeKey());
            }
        }

        assertThat(documentedOpen).containsExactlyInAnyOrderElementsOf(open)
                .containsExactlyInAnyOrder("GET /v1/xero/callback", "POST /v1/xero/webhooks");
        assertThat(contract.root().at("/security/0/LrmJwt").isArray()).as("every other operation needs the LRM's JWT").isTrue();
        assertThat(contract.root().at("/components/securitySchemes/LrmJwt/bearerFormat").asText()).isEqualTo("JWT");
    }

    @Test
    void everyOperationSaysWhoMayCallItAndAnswersWhatItsRolesCanGet() {
        Set<String> operationIds = new HashSet<>();
        for (ApiContract.Operation op : contract.operations()) {
            JsonNode node = op.node();
            assertThat(operationIds.add(node.path("operationId").asText())).as("%s has a unique operationId", op).isTrue();
            assertThat(node.path("description").asText()).as("%s says who may call it", op).startsWith("**Who:**");
            JsonNode roles = node.get("x-roles");
            assertThat(roles).as("%s lists its roles in x-roles", op).isNotNull();
            Set<String> listed = new HashSet<>();
            roles.forEach(r -> listed.add(r.asText()));
            assertThat(ROLES).as("%s's roles", op).containsAll(listed);
            boolean open = node.has("security");
            JsonNode responses = node.path("responses");
            if (open) {
                assertThat(listed).as("%s, called by Xero, names no LRM role", op).isEmpty();
                assertThat(responses.has("403")).as("%s has no roles to refuse", op).isFalse();
                continue;
            }
            assertThat(listed).as("%s names its roles", op).isNotEmpty();
            assertThat(responses.has("401")).as("%s answers 401 without a valid token", op).isTrue();
            assertThat(responses.has("500")).as("%s can fail", op).isTrue();
            boolean everyRole = listed.containsAll(ROLES);
            assertThat(responses.has("403")).as("%s answers 403 exactly when a role may not call it", op).isEqualTo(!everyRole);
            if (listed.contains("learner")) {
                assertThat(responses.has("404")).as("%s hides other learners' records behind 404", op).isTrue();
            }
        }
    }

    @Test
    void everyExampleIsWhatItsSchemaAllows() throws IOException {
        List<String> problems = new ArrayList<>();
        int[] checked = {0};
        walk(contract.root(), "#", (pointer, node) -> {
            if (node.has("schema") && node.has("example")) {
                checked[0]++;
                contract.validate(pointer + "/schema", node.get("example").toString())
                        .forEach(e -> problems.add(pointer + "/example: " + e));
            }
            if (node.has("examples") && node.get("examples").isArray() && isSchema(pointer)) {
                for (int i = 0; i < node.get("examples").size(); i++) {
                    checked[0]++;
                    int index = i;
                    contract.validate(pointer, node.get("examples").get(i).toString())
                            .forEach(e -> problems.add(pointer + "/examples/" + index + ": " + e));
                }
            }
        });

        assertThat(problems).isEmpty();
        assertThat(checked[0]).as("examples checked").isGreaterThan(10);
    }

    @Test
    void theContractsOwnSampleLearnerIsAValidBody() {
        String sample = """
                {"refInternal": "W000123", "firstName": "Ana", "lastName": "Lopez", "email": "ana@example.org",
                 "phone": "+61 400 000 000",
                 "address": {"line1": "1 Main St", "city": "Perth", "region": "WA", "postalCode": "6000", "country": "AU"},
                 "syncToXero": true,
                 "enrolments": [{"enrolmentId": "E-9", "course": "BSB50120 Diploma of Business", "startDate": "2027-02-01",
                                 "status": "CONFIRMED"}]}""";

        assertThat(contract.validate("#/components/schemas/Learner", sample)).isEmpty();
        assertThat(contract.validate("#/components/schemas/Learner", sample.replace("\"syncToXero\": true,", "")))
                .singleElement().asString().contains("syncToXero");
        assertThat(contract.validate("#/components/schemas/Learner", sample.replace("\"Perth\"", "\"Perth\", \"suburb\": \"x\"")))
                .singleElement().asString().contains("suburb");
    }

    /** What differs between the template's routes and the document's operations, both ways. */
    static List<String> routeDifferences(Collection<String> templateRoutes, Collection<String> documentRoutes) {
        List<String> out = new ArrayList<>();
        new TreeSet<>(templateRoutes).stream().filter(r -> !documentRoutes.contains(r))
                .forEach(r -> out.add("in the template but not the document: " + r));
        new TreeSet<>(documentRoutes).stream().filter(r -> !templateRoutes.contains(r))
                .forEach(r -> out.add("in the document but not the template: " + r));
        return out;
    }

    /**
     * What swagger-parser does not check: each Schema Object against JSON Schema 2020-12's meta-schema
     * (OpenAPI 3.1's base dialect adds only annotations to it), and every security requirement naming a
     * scheme the document defines.
     */
    static List<String> schemaProblems(JsonNode root) {
        com.networknt.schema.Schema metaSchema = com.networknt.schema.SchemaRegistry
                .withDefaultDialect(com.networknt.schema.dialect.Dialects.getDraft202012())
                .getSchema(com.networknt.schema.SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<String> out = new ArrayList<>();
        walk(root, "#", (pointer, node) -> {
            boolean schema = pointer.matches("#/components/schemas/[^/]+") || node.has("schema") && !pointer.contains("/properties/");
            if (!schema) {
                return;
            }
            JsonNode s = pointer.startsWith("#/components/schemas/") && !node.has("schema") ? node : node.get("schema");
            String at = s == node ? pointer : pointer + "/schema";
            metaSchema.validate(s.toString(), com.networknt.schema.InputFormat.JSON)
                    .forEach(e -> out.add(at + ": " + e));
        });
        Set<String> schemes = new HashSet<>();
        root.path("components").path("securitySchemes").fieldNames().forEachRemaining(schemes::add);
        List<JsonNode> requirements = new ArrayList<>();
        root.path("security").forEach(requirements::add);
        walk(root.path("paths"), "#/paths", (pointer, node) -> node.path("security").forEach(requirements::add));
        for (JsonNode requirement : requirements) {
            requirement.fieldNames().forEachRemaining(name -> {
                if (!schemes.contains(name)) {
                    out.add("security requirement " + name + " names no security scheme");
                }
            });
        }
        return out;
    }

    private static Set<String> routes(List<TemplateResources.HttpRoute> routes) {
        return routes.stream().map(TemplateResources.HttpRoute::routeKey).collect(Collectors.toCollection(LinkedHashSet::new));
    }

    private static TemplateResources template() {
        return TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local"), "us-east-1");
    }

    private static SwaggerParseResult parse(String document) {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        return new OpenAPIV3Parser().readContents(document, null, options);
    }

    /** A schema object's pointer: under components/schemas or a {@code schema} member, not a media type or parameter. */
    private static boolean isSchema(String pointer) {
        return pointer.startsWith("#/components/schemas/") || pointer.contains("/schema");
    }

    private interface Visitor {
        void visit(String pointer, JsonNode node);
    }

    private static void walk(JsonNode node, String pointer, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(pointer, node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals("example") || e.getKey().equals("examples")) {
                    continue;
                }
                walk(e.getValue(), pointer + "/" + e.getKey().replace("~", "~0").replace("/", "~1")
                        .replace("{", "%7B").replace("}", "%7D"), visitor);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), pointer + "/" + i, visitor);
            }
        }
    }
}
