package org.lrm.xero.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.adapter.aws.SqsQueue;
import org.lrm.xero.sandbox.SandboxAdminClient;
import org.lrm.xero.sandbox.XeroSandbox;
import org.lrm.xero.support.Environment;
import org.lrm.xero.support.JsonLog;
import org.lrm.xero.support.Metrics;
import org.lrm.xero.testing.HttpApiBridge;
import org.lrm.xero.testing.MotoServer;
import org.lrm.xero.testing.RepoPaths;
import org.lrm.xero.testing.TemplateResources;
import org.lrm.xero.testing.XeroApp;
import org.lrm.xero.testing.iam.FunctionRoles;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The whole integration on a developer's machine, in one JVM: moto (or the emulator at
 * {@code AWS_ENDPOINT_URL}) holding the template's resources, the Xero sandbox with the integration
 * registered as its app, and every function of {@code infra/template.yaml} behind what triggers it
 * in AWS: a local HTTP API gateway with the JWT authorizer, the SQS event sources and the
 * schedules. The functions are the handler classes Lambda runs, created as Lambda creates them:
 * by their no-arg constructors, through their composition roots, each from the template's
 * variables for it and, as Lambda gives them, its role's credentials ({@link Environment#override}
 * while it is built): each function's role is made from the template ({@link FunctionRoles}), and
 * moto refuses what it does not allow, as AWS would.
 */
public final class LocalRun implements AutoCloseable {

    public static final String ORG = "org-local";
    public static final String LEARNER = "L-1";
    public static final Duration TOKEN_TTL = Duration.ofHours(12);
    static final String CLIENT_ID = "lrm-integration-local";
    private static final Region REGION = Region.US_EAST_1;
    private static final String SCHEDULE_ROUTE = "POST /local/schedules/{eventName}";

    private final LocalOptions options;
    private final PrintStream out;
    private final Clock clock = Clock.systemUTC();
    private final List<AutoCloseable> running = new ArrayList<>();
    private final Map<String, String> routeFunctions = new LinkedHashMap<>();
    private final List<SqsEventSource> sqsSources = new ArrayList<>();
    private final Jwt jwt;
    private URI awsEndpoint;
    private AwsClients aws;
    private TemplateResources stack;
    private FunctionRoles roles;
    private TemplateFunctions functions;
    private XeroSandbox sandbox;
    private SandboxAdminClient admin;
    private HttpApiBridge gateway;
    private Schedules schedules;
    private Map<String, String> environment;
    private Path logFile;
    private QueueProgress progress;
    private String localTenantId;

    private LocalRun(LocalOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
        this.jwt = new Jwt(options.jwtSecret());
    }

    public static void main(String[] args) throws Exception {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(LocalOptions.USAGE);
            return;
        }
        LocalOptions options;
        try {
            options = LocalOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        LocalRun run = LocalRun.start(options, System.out);
        if (options.demo()) {
            int exit;
            try (run) {
                exit = new Demo(run, options.learners(), System.out).run();
            }
            System.exit(exit);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(run::close));
        run.printWelcome();
        new CountDownLatch(1).await();
    }

    /** Starts everything; {@link #close()} stops it. */
    public static LocalRun start(LocalOptions options, PrintStream out) {
        LocalRun run = new LocalRun(options, out);
        try {
            run.startAll();
            return run;
        } catch (RuntimeException e) {
            run.close();
            throw e;
        }
    }

    private void startAll() {
        long started = System.nanoTime();
        logFile = openLog();
        if (options.awsEndpoint() == null) {
            awsEndpoint = MotoServer.start(options.motoPort());
        } else {
            awsEndpoint = URI.create(options.awsEndpoint());
            if (MotoServer.answers(awsEndpoint.resolve("/moto-api/"))) {
                // The template's resources are created afresh: a moto left from an earlier run would refuse them.
                MotoServer.reset(awsEndpoint);
            }
        }
        // The run's own calls (creating the stack, Lambda's event sources, the queue depths) are the account root's.
        aws = options.awsEndpoint() == null
                ? new AwsClients(REGION, java.util.Optional.of(awsEndpoint), StaticCredentialsProvider.create(MotoServer.ROOT))
                : AwsClients.forEmulator(awsEndpoint, REGION);
        stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", Jwt.ISSUER), REGION.id()).provision(aws);
        roles = new FunctionRoles(stack, aws);
        functions = new TemplateFunctions(stack);

        sandbox = XeroSandbox.start(options.sandboxPort());
        running.add(sandbox);
        admin = new SandboxAdminClient(sandbox.baseUri());
        // Its address is needed below (the app's redirect URI, the functions' variables); it listens only at the end.
        gateway = HttpApiBridge.prepare(options.gatewayPort());
        running.add(gateway);
        URI base = gateway.baseUri();

        environment = environment(base);
        Map<String, Object> handlers = createHandlers(base);
        serveRoutes(handlers);
        startSqsSources(handlers);
        startSchedules(handlers);

        XeroApp.register(admin, aws, stack,
                new XeroApp(CLIENT_ID, "local-secret-" + UUID.randomUUID(), "local-webhook-key-" + UUID.randomUUID()),
                List.of(base + "/v1/xero/callback"), base + "/v1/xero/webhooks");
        localTenantId = admin.createTenant("Local Training Co", null);
        new ConsoleSite(RepoPaths.root()).addTo(gateway);

        // Everything behind the gateway is ready: a client that connects the moment the port accepts is served in full.
        gateway.open();
        progress = new QueueProgress(this, out);
        running.add(progress);
        out.printf("Ready in %.1f s: the gateway listens on %s (console %s/, docs %s/docs).%n",
                (System.nanoTime() - started) / 1e9, base, base, base);
    }

    /** What the functions' variables say, all together (they agree where they share a name), for the demo and the welcome. */
    private Map<String, String> environment(URI gatewayBase) {
        Map<String, String> env = new TreeMap<>();
        for (String functionId : stack.functionIds()) {
            env.putAll(environment(functionId, gatewayBase));
        }
        return env;
    }

    /** A function's variables as the template gives them, pointed at here. */
    private Map<String, String> environment(String functionId, URI gatewayBase) {
        Map<String, String> env = new TreeMap<>(stack.environment(functionId));
        env.put("AWS_ENDPOINT_URL", awsEndpoint.toString());
        env.put("AWS_REGION", REGION.id());
        env.put("XERO_IDENTITY_URL", sandbox.baseUri().toString());
        env.put("XERO_LOGIN_URL", sandbox.baseUri().toString());
        env.put("XERO_API_URL", sandbox.baseUri().toString());
        env.put("PUBLIC_BASE_URL", gatewayBase.toString());
        env.put("OAUTH_REDIRECT_URI", gatewayBase + "/v1/xero/callback");
        // The console and the demo's LRM pages are on the gateway's own (loopback) origin.
        env.put("LRM_ORIGINS", gatewayBase.toString());
        return env;
    }

    /**
     * One instance per function, as one warm Lambda container, each built under its own variables and
     * its role's credentials.
     */
    private Map<String, Object> createHandlers(URI gatewayBase) {
        Map<String, Object> handlers = new LinkedHashMap<>();
        try {
            for (String functionId : stack.functionIds()) {
                String className = functions.handlerClass(functionId);
                Map<String, String> own = environment(functionId, gatewayBase);
                own.putAll(roles.lambdaCredentials(functionId));
                Environment.override(own);
                try {
                    handlers.put(functionId, Class.forName(className).getDeclaredConstructor().newInstance());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot create " + className + " for " + functionId,
                            e.getCause() == null ? e : e.getCause());
                }
            }
        } finally {
            Environment.override(null);
        }
        return handlers;
    }

    @SuppressWarnings("unchecked")
    private void serveRoutes(Map<String, Object> handlers) {
        for (TemplateFunctions.Route route : functions.routes()) {
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function = logged(route.routeKey(),
                    (RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>) handlers.get(route.functionId()));
            gateway.route(route.routeKey(), route.jwt() ? new JwtAuthorizer(jwt, clock, function) : function);
            routeFunctions.put(route.routeKey(), route.functionId());
        }
        gateway.route(SCHEDULE_ROUTE, this::triggerSchedule);
        LocalTokens tokens = new LocalTokens(jwt, clock, ORG, LEARNER, TOKEN_TTL);
        gateway.route("GET /local/tokens", tokens::describe);
        gateway.route("POST /local/tokens", tokens::mint);
    }

    @SuppressWarnings("unchecked")
    private void startSqsSources(Map<String, Object> handlers) {
        SqsQueue sqs = new SqsQueue(aws.sqs());
        for (TemplateFunctions.SqsSource source : functions.sqsSources()) {
            Object handler = handlers.get(source.functionId());
            String url = aws.sqs().getQueueUrl(b -> b.queueName(source.queueName())).queueUrl();
            int visibility = Integer.parseInt(aws.sqs().getQueueAttributes(b -> b.queueUrl(url)
                    .attributeNames(QueueAttributeName.VISIBILITY_TIMEOUT)).attributes().get(QueueAttributeName.VISIBILITY_TIMEOUT));
            SqsEventSource running = new SqsEventSource(source, sqs, url, visibility,
                    (RequestHandler<SQSEvent, ?>) handler, out).start();
            sqsSources.add(running);
            this.running.add(running);
        }
    }

    @SuppressWarnings("unchecked")
    private void startSchedules(Map<String, Object> handlers) {
        schedules = new Schedules(REGION.id(), clock, out);
        running.add(schedules);
        for (TemplateFunctions.Schedule schedule : functions.schedules()) {
            schedules.add(schedule, (RequestHandler<ScheduledEvent, ?>) handlers.get(schedule.functionId()));
        }
    }

    private APIGatewayV2HTTPResponse triggerSchedule(APIGatewayV2HTTPEvent event, com.amazonaws.services.lambda.runtime.Context context) {
        if (!LocalTokens.fromLoopback(event)) {
            return json(403, "{\"message\":\"Forbidden\"}");
        }
        String name = event.getPathParameters().get("eventName");
        long began = System.nanoTime();
        if (!schedules.fireNow(name)) {
            return json(404, "{\"message\":\"no schedule " + name.replaceAll("[^A-Za-z0-9-]", "") + "; known: "
                    + String.join(", ", schedules.eventNames()) + "\"}");
        }
        return json(200, "{\"schedule\":\"" + name + "\",\"tookMs\":" + (System.nanoTime() - began) / 1_000_000 + "}");
    }

    private static APIGatewayV2HTTPResponse json(int status, String body) {
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status)
                .withHeaders(Map.of("content-type", "application/json")).withBody(body).build();
    }

    /** An unexpected exception is what Lambda would log; API Gateway then answers 500. */
    private RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> logged(String routeKey,
            RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> function) {
        return (event, context) -> {
            try {
                return function.handleRequest(event, context);
            } catch (RuntimeException e) {
                out.println("[" + routeKey + "] failed: " + e);
                return json(500, "{\"message\":\"Internal Server Error\"}");
            }
        };
    }

    /** Handler logs and metrics go to a file; the console keeps what a developer reads. */
    private static Path openLog() {
        try {
            Path file = RepoPaths.root().resolve("local/target/local-run.log");
            Files.createDirectories(file.getParent());
            PrintWriter writer = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING), true);
            JsonLog.sink(writer::println);
            Metrics.sink(writer::println);
            return file;
        } catch (IOException e) {
            throw new IllegalStateException("cannot write the local run's log", e);
        }
    }

    // ---- what the demo, the tests and the welcome text use ---------------------------------------

    public URI gatewayUri() {
        return gateway.baseUri();
    }

    public URI sandboxUri() {
        return sandbox.baseUri();
    }

    public URI awsEndpoint() {
        return awsEndpoint;
    }

    public SandboxAdminClient sandboxAdmin() {
        return admin;
    }

    public AwsClients aws() {
        return aws;
    }

    public Map<String, String> environment() {
        return environment;
    }

    public Jwt jwt() {
        return jwt;
    }

    /** The sandbox organisation made for the local run ("Local Training Co"), the one to connect {@link #ORG} to. */
    public String localTenantId() {
        return localTenantId;
    }

    /** A token for {@code orgId}'s user in {@code role}; {@code learnerId} only for role learner; an operator's has no org. */
    public String token(String orgId, String role, String learnerId) {
        return jwt.forUser(orgId, role, role + "-user", learnerId, clock.instant(), TOKEN_TTL);
    }

    /** Messages in each source queue and DLQ (visible + in flight + delayed), by queue name. */
    public Map<String, Integer> queueDepths() {
        Map<String, Integer> depths = new LinkedHashMap<>();
        for (String url : aws.sqs().listQueues().queueUrls()) {
            Map<QueueAttributeName, String> a = aws.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_DELAYED)).attributes();
            depths.put(url.substring(url.lastIndexOf('/') + 1), a.values().stream().mapToInt(Integer::parseInt).sum());
        }
        return depths;
    }

    void printWelcome() {
        URI base = gatewayUri();
        String admin = token(ORG, "admin", null);
        String staff = token(ORG, "staff", null);
        String learner = token(ORG, "learner", LEARNER);
        String operator = token(null, "operator", null);
        out.println();
        out.println("LRM <-> Xero integration, running locally");
        out.println("  gateway        " + base + "   (" + routeFunctions.size() + " routes from infra/template.yaml, JWT HS256 iss=local aud=xero-integration)");
        out.println("  Xero sandbox   " + sandboxUri() + "   (app " + CLIENT_ID + ", organisation 'Local Training Co' " + localTenantId + ")");
        out.println("  AWS emulator   " + awsEndpoint + (options.awsEndpoint() == null ? "   (moto_server, started here)" : "   (AWS_ENDPOINT_URL)"));
        out.println("  tables         " + environment.get("TABLE_NAME") + ", " + environment.get("BUDGET_TABLE_NAME"));
        out.println("  PDF bucket     " + environment.get("PDF_BUCKET"));
        for (SqsEventSource source : sqsSources) {
            out.println("  queue          " + source.describe());
        }
        for (String name : schedules.eventNames()) {
            out.println("  schedule       " + name + " next " + schedules.next(name).orElseThrow()
                    + "   (now: curl -X POST " + base + "/local/schedules/" + name + ")");
        }
        out.println("  handler logs   " + logFile);
        out.println();
        out.println("  console        " + base + "/   (pick a role: the gateway mints its token; POST /local/tokens {role, learnerId?})");
        out.println("  API docs       " + base + "/docs   (" + base + "/openapi.json, from " + ConsoleSite.OPENAPI_YAML + ")");
        out.println();
        out.println("Tokens for organisation " + ORG + " (valid " + TOKEN_TTL.toHours() + " hours):");
        out.println("export ADMIN=" + admin);
        out.println("export STAFF=" + staff);
        out.println("export LEARNER=" + learner + "   # learner " + LEARNER);
        out.println("export OPERATOR=" + operator + "   # the vendor's support: every organisation, no org claim");
        out.println();
        out.println("Try:");
        out.println("  # connect: open the Location in a browser, tick the organisation, Allow; you come back to returnTo with xero=connected");
        out.println("  curl -si \"" + base + "/v1/xero/connect?returnTo=http://127.0.0.1:" + base.getPort() + "/connected\" -H \"Authorization: Bearer $ADMIN\" | grep -i ^location");
        out.println("  curl -s " + base + "/v1/xero/connection -H \"Authorization: Bearer $STAFF\"");
        out.println("  curl -si -X PUT " + base + "/v1/learners/" + LEARNER + " -H \"Authorization: Bearer $STAFF\" -H 'content-type: application/json' \\");
        out.println("       -d '{\"refInternal\":\"W000001\",\"firstName\":\"Ana\",\"lastName\":\"Lopez\",\"email\":\"ana@example.org\",\"syncToXero\":true}'");
        out.println("  curl -s " + base + "/v1/learners/" + LEARNER + "/xero -H \"Authorization: Bearer $LEARNER\"");
        out.println("  curl -si -X POST " + base + "/v1/learners:bulk-sync -H \"Authorization: Bearer $ADMIN\" -H 'content-type: application/json' \\");
        out.println("       -d '{\"learners\":[{\"learnerId\":\"L-2\",\"refInternal\":\"W000002\",\"firstName\":\"Bo\",\"lastName\":\"Chen\",\"syncToXero\":true}]}'");
        out.println("  curl -s " + base + "/v1/learners/" + LEARNER + "/invoices -H \"Authorization: Bearer $STAFF\"");
        out.println("  curl -si -X POST " + base + "/v1/xero/resync -H \"Authorization: Bearer $ADMIN\" -H 'content-type: application/json' \\");
        out.println("       -d '{\"from\":\"2026-01-01\",\"to\":\"2026-12-31\",\"invoices\":true,\"learners\":false}'");
        out.println("  curl -s -X POST " + base + "/local/schedules/TransactionPoll");
        out.println("  curl -s " + base + "/v1/operator/organisations -H \"Authorization: Bearer $OPERATOR\"");
        out.println("  curl -s \"" + base + "/v1/operator/dead-letters?queue=learner-sync\" -H \"Authorization: Bearer $OPERATOR\"");
        out.println();
        out.println("Ctrl-C stops everything.");
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                out.println("stopping " + running.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        running.clear();
        JsonLog.sinkToStdout();
        Metrics.sinkToStdout();
    }
}
