package org.lrm.xero.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.app.connection.Waiter;
import org.lrm.xero.handler.ConnectionApiHandler;
import org.lrm.xero.handler.ConnectionRoot;
import org.lrm.xero.handler.OAuthCallbackHandler;
import org.lrm.xero.handler.Settings;
import org.lrm.xero.sandbox.SandboxAdminClient;
import org.lrm.xero.sandbox.XeroSandbox;
import org.lrm.xero.testing.iam.FunctionRoles;

/**
 * The whole integration's surroundings for an end-to-end test: the template's resources in the
 * AWS emulator, a Xero sandbox with the integration registered as its app (credentials in the
 * app secret, as operators set them), clocks that move together, and organisations connected
 * through the real connect and callback handlers. {@link #aws} are the test's own clients (the
 * account's root: it sets up and looks); each function gets its role's, {@link #clientsOf}.
 */
public final class IntegrationRig implements AutoCloseable {

    public static final String CLIENT_ID = "lrm-integration";
    public static final String HOST = "api.test.local";
    /** Shaped as Xero issues them (64 random bytes in base64): a short or placeholder key is refused. */
    public static final String WEBHOOK_KEY = XeroApp.randomWebhookKey();
    /** The LRM's origin, configured through the template's LrmOrigins: connects return there. */
    public static final String LRM_ORIGIN = "https://lrm.example.org";
    private static final String RETURN_TO = LRM_ORIGIN + "/settings/connected-apps";
    /** Test instances spin instead of backing off while another holds the token-refresh lease. */
    public static final Waiter SPIN = attempt -> Thread.yield();

    public final XeroSandbox sandbox;
    public final SandboxAdminClient admin;
    public final AwsClients aws;
    public final TemplateResources stack;
    /** Each function's role, made from the template, and its clients. */
    public final FunctionRoles roles;
    public final MutableClock clock;
    /** Hears the connect and callback handlers' answers (a test that scans every API answer). */
    public java.util.function.Consumer<APIGatewayV2HTTPResponse> apiResponses = response -> { };
    /** Variables every function gets on top of the template's (e.g. a shorter Xero timeout). */
    public final Map<String, String> extraEnvironment = new HashMap<>();
    private final String clientSecret = "app-secret-" + java.util.UUID.randomUUID();
    private final XeroApp app = new XeroApp(CLIENT_ID, clientSecret, WEBHOOK_KEY);

    private IntegrationRig(String webhookUrl) {
        AwsEmulator.reset();
        this.aws = AwsEmulator.clients();
        this.stack = TemplateResources.load(Map.of("Stage", "dev", "JwtIssuer", "local", "LrmOrigins", LRM_ORIGIN),
                "us-east-1").provision(aws);
        this.roles = new FunctionRoles(stack, aws);
        this.sandbox = XeroSandbox.start(0);
        this.admin = new SandboxAdminClient(sandbox.baseUri());
        this.clock = new MutableClock(admin.now());
        XeroApp.register(admin, aws, stack, app, redirectUris(), webhookUrl);
    }

    private static List<String> redirectUris() {
        return List.of("https://" + HOST + "/v1/xero/callback");
    }

    /** Registers the app again with this webhook URL (Xero's Intent to Receive runs against it); the app's details. */
    public JsonNode registerWebhook(String webhookUrl) {
        return app.registerIn(admin, redirectUris(), webhookUrl);
    }

    /** Resets the emulator and starts a sandbox; webhooks go nowhere. */
    public static IntegrationRig start() {
        return new IntegrationRig(null);
    }

    /** As {@link #start()}, with the sandbox sending webhooks to {@code webhookUrl}. */
    public static IntegrationRig startWithWebhooks(String webhookUrl) {
        return new IntegrationRig(webhookUrl);
    }

    public String clientSecret() {
        return clientSecret;
    }

    /** A function's environment variables as the template gives them, pointed at the sandbox and the emulator. */
    public Map<String, String> environment(String functionLogicalId) {
        Map<String, String> env = new HashMap<>(stack.environment(functionLogicalId));
        env.put("XERO_IDENTITY_URL", sandbox.baseUri().toString());
        env.put("XERO_LOGIN_URL", sandbox.baseUri().toString());
        env.put("XERO_API_URL", sandbox.baseUri().toString());
        env.put("AWS_ENDPOINT_URL", AwsEmulator.start().toString());
        env.put("AWS_REGION", AwsEmulator.REGION.id());
        env.putAll(extraEnvironment);
        return env;
    }

    /** A function's AWS clients: its role's credentials, every call checked against the role and recorded. */
    public AwsClients clientsOf(String functionLogicalId) {
        return roles.clients(functionLogicalId);
    }

    /** A function's environment as Lambda sets it: the template's variables and its role's credentials. */
    public Map<String, String> lambdaEnvironment(String functionLogicalId) {
        Map<String, String> env = new HashMap<>(environment(functionLogicalId));
        env.putAll(roles.lambdaCredentials(functionLogicalId));
        return env;
    }

    /** A function's settings as the template gives them, pointed at the sandbox. */
    public Settings settings(String functionLogicalId) {
        return Settings.from(environment(functionLogicalId));
    }

    /** A composition root's {@code of(Settings, AwsClients, Clock, Waiter)}. */
    @FunctionalInterface
    public interface Root<R> {
        R of(Settings settings, AwsClients aws, Clock clock, Waiter waiter);
    }

    /**
     * The composition root of a function as Lambda builds it, with this rig's settings for it, the
     * function's role's AWS clients (every call checked against the role and recorded), clock and
     * waiter: e.g. {@code new LearnerApiHandler(rig.root("LearnerApiFunction", LearnerRoot::of))}.
     */
    public <R> R root(String functionLogicalId, Root<R> root) {
        return root.of(settings(functionLogicalId), clientsOf(functionLogicalId), clock, SPIN);
    }

    /**
     * A queue that an EventBridge rule on the integration's bus fills with the events matching
     * {@code eventPattern}, as the LRM's own rule would: how tests see what was published.
     * @return the queue's URL
     */
    public String eventsToQueue(String name, String eventPattern) {
        String bus = settings("ResyncPageWorkerFunction").eventBusName();
        String url = aws.sqs().createQueue(b -> b.queueName(name)).queueUrl();
        String arn = aws.sqs().getQueueAttributes(b -> b.queueUrl(url)
                        .attributeNames(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN))
                .attributes().get(software.amazon.awssdk.services.sqs.model.QueueAttributeName.QUEUE_ARN);
        aws.eventBridge().putRule(r -> r.name(name).eventBusName(bus).eventPattern(eventPattern));
        aws.eventBridge().putTargets(t -> t.rule(name).eventBusName(bus)
                .targets(software.amazon.awssdk.services.eventbridge.model.Target.builder().id(name).arn(arn).build()));
        return url;
    }

    /** Creates a Xero organisation in the sandbox and connects {@code orgId} to it as an admin would. */
    public String connect(String orgId, String tenantName, Integer dayLimit) {
        String tenantId = admin.createTenant(tenantName, dayLimit);
        reconnect(orgId, tenantId);
        return tenantId;
    }

    /**
     * Creates a Xero organisation on one of Xero's tiers ({@code STARTER}: 1,000 calls a day; the integration is
     * not told) and connects {@code orgId} to it, the admin's browser at Xero going through {@code atXero}.
     */
    public String connect(String orgId, String tenantName, String tier, UnaryOperator<URI> atXero) {
        String tenantId = admin.createTenant(tenantName, tier, null);
        reconnect(orgId, tenantId, atXero);
        return tenantId;
    }

    /** Runs the connect flow for an existing tenant: connect → Xero's consent → callback. */
    public void reconnect(String orgId, String tenantId) {
        reconnect(orgId, tenantId, UnaryOperator.identity());
    }

    /**
     * The connect flow with the admin's browser going to Xero's authorize page through {@code atXero} (for
     * example without a scope: what Xero grants an app configured without it).
     */
    public void reconnect(String orgId, String tenantId, UnaryOperator<URI> atXero) {
        ConnectionRoot connection = root("ConnectionApiFunction", ConnectionRoot::of);
        admin.consent(List.of(tenantId));
        APIGatewayV2HTTPResponse start = new ConnectionApiHandler(connection).handleRequest(
                ApiEvents.route("GET /v1/xero/connect").query("returnTo", RETURN_TO).as(orgId, "admin", "u-admin").build(),
                null);
        apiResponses.accept(start);
        Map<String, String> params = query(authorize(atXero.apply(URI.create(start.getHeaders().get("location")))));
        // Back in the admin's browser, with the cookie the connect set.
        ApiEvents callback = ApiEvents.route("GET /v1/xero/callback").cookiesFrom(start);
        params.forEach(callback::query);
        APIGatewayV2HTTPResponse done = new OAuthCallbackHandler(root("OAuthCallbackFunction", ConnectionRoot::callback))
                .handleRequest(callback.build(), null);
        apiResponses.accept(done);
        Map<String, String> back = query(URI.create(done.getHeaders().get("location")));
        if (!"connected".equals(back.get("xero"))) {
            throw new IllegalStateException("connecting " + orgId + " failed: " + back);
        }
    }

    /** Moves the sandbox's clock and ours on together. */
    public void advance(Duration by) {
        clock.advance(by);
        admin.advanceClock(by.toSeconds());
    }

    /** The authorize URL with {@code scope} left out of its scopes, as a browser would be sent on. */
    public static UnaryOperator<URI> withoutScope(String scope) {
        return uri -> {
            StringBuilder query = new StringBuilder();
            for (String pair : uri.getRawQuery().split("&")) {
                String kept = pair;
                if (pair.startsWith("scope=")) {
                    String scopes = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
                    kept = "scope=" + URLEncoder.encode(String.join(" ", Arrays.stream(scopes.split(" "))
                            .filter(s -> !s.equals(scope)).toList()), StandardCharsets.UTF_8).replace("+", "%20");
                }
                query.append(query.length() == 0 ? "" : "&").append(kept);
            }
            return URI.create(uri.toString().substring(0, uri.toString().indexOf('?') + 1) + query);
        };
    }

    private static URI authorize(URI authorizeUrl) {
        try {
            HttpResponse<Void> r = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()
                    .send(HttpRequest.newBuilder(authorizeUrl).GET().build(), HttpResponse.BodyHandlers.discarding());
            return URI.create(r.headers().firstValue("location").orElseThrow(
                    () -> new IllegalStateException("Xero's authorize answered " + r.statusCode() + " without a redirect")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                out.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** Closes the sandbox; fails, listing them, if any Xero exchange broke Xero's OpenAPI documents. */
    @Override
    public void close() {
        try {
            admin.assertContractKept();
        } finally {
            sandbox.close();
        }
    }
}
