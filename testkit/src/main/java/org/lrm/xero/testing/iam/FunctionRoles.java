package org.lrm.xero.testing.iam;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.testing.TemplateResources;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * Each function's IAM role in the emulator, built from {@code infra/template.yaml} as SAM builds it
 * ({@link FunctionPolicies}), and the function's AWS clients with that role's credentials, as
 * Lambda gives them: {@code iam:CreateRole} and {@code PutRolePolicy} (its statements, the managed policies SAM
 * attaches among them, as one inline policy), then {@code sts:AssumeRole}. moto, started with its IAM
 * checks on, refuses what the role does not allow; {@link RoleEnforcement}, attached to the same
 * clients, refuses it too whatever the emulator checks, and records what each function used.
 * Roles are made on first use, for the stack this was given: the emulator's reset removes them.
 */
public final class FunctionRoles {

    private final TemplateResources stack;
    private final AwsClients root;
    private final IamClient iam;
    private final StsClient sts;
    private final Map<String, RolePolicy> policies = new HashMap<>();
    private final Map<String, AwsSessionCredentials> credentials = new HashMap<>();
    private final Map<String, AwsClients> clients = new HashMap<>();

    /** @param root the test set-up's own clients (the account's root), which create the roles */
    public FunctionRoles(TemplateResources stack, AwsClients root) {
        this.stack = stack;
        this.root = root;
        String endpoint = root.endpoint().orElseThrow(() -> new IllegalStateException("roles are made in an emulator")).toString();
        this.iam = IamClient.builder().region(Region.AWS_GLOBAL).endpointOverride(java.net.URI.create(endpoint))
                .credentialsProvider(root.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
        this.sts = StsClient.builder().region(root.region()).endpointOverride(java.net.URI.create(endpoint))
                .credentialsProvider(root.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    /** The name the role of {@code functionId} has here (SAM names it after the function's logical id). */
    public static String roleName(String functionId) {
        return functionId + "Role";
    }

    /**
     * Role changes every rig of this JVM applies while set: how a test shows that the suite fails
     * without one of the template's statements (the emulator's copy of the role lacks it too).
     */
    private static final Map<String, UnaryOperator<RolePolicy>> CHANGES = new java.util.concurrent.ConcurrentHashMap<>();

    /** The function's role as the template declares it (and as a test changed it, while it does). */
    public synchronized RolePolicy policy(String functionId) {
        return policies.computeIfAbsent(functionId, id -> CHANGES.getOrDefault(id, UnaryOperator.identity())
                .apply(FunctionPolicies.of(stack, id)));
    }

    /** From now on every stack's roles of {@code functionId} are changed by {@code change}; {@code null} ends it. */
    public static void changeEverywhere(String functionId, UnaryOperator<RolePolicy> change) {
        if (change == null) {
            CHANGES.remove(functionId);
        } else {
            CHANGES.put(functionId, change);
        }
    }

    /** The function's clients: its role's credentials, its calls checked and recorded. */
    public synchronized AwsClients clients(String functionId) {
        return clients.computeIfAbsent(functionId, id -> new AwsClients(root.region(), root.endpoint(),
                StaticCredentialsProvider.create(credentials(id)),
                List.of(new RoleEnforcement(id, () -> policy(id), root.region().id(), TemplateResources.ACCOUNT_ID))));
    }

    /** The variables Lambda gives a function for its role's credentials. */
    public synchronized Map<String, String> lambdaCredentials(String functionId) {
        AwsSessionCredentials c = credentials(functionId);
        Map<String, String> env = new LinkedHashMap<>();
        env.put("AWS_ACCESS_KEY_ID", c.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", c.secretAccessKey());
        env.put("AWS_SESSION_TOKEN", c.sessionToken());
        return env;
    }

    /**
     * Records the GET a presigned S3 link makes, as the grant of the function that signed it: S3
     * authorises the request as the signer's, and presigning is no call the function's clients
     * make. The emulator checks the GET itself when the link is fetched.
     */
    public void presignedGet(java.net.URI link) {
        String credential = java.util.Arrays.stream(link.getRawQuery().split("&")).filter(p -> p.startsWith("X-Amz-Credential="))
                .map(p -> java.net.URLDecoder.decode(p.substring("X-Amz-Credential=".length()), java.nio.charset.StandardCharsets.UTF_8))
                .findFirst().orElseThrow(() -> new IllegalArgumentException("not a presigned link: " + link));
        String functionId = functionOf(credential.substring(0, credential.indexOf('/')));
        if (functionId == null) {
            throw new IllegalArgumentException("signed by no function's role: " + link);
        }
        RoleEnforcement.decide(functionId, policy(functionId), "s3:GetObject", "arn:aws:s3:::" + link.getPath().substring(1));
    }

    /** The function whose role holds {@code accessKeyId} (e.g. the signer of a presigned URL), or null. */
    public synchronized String functionOf(String accessKeyId) {
        return credentials.entrySet().stream().filter(e -> e.getValue().accessKeyId().equals(accessKeyId))
                .map(Map.Entry::getKey).findFirst().orElse(null);
    }

    private AwsSessionCredentials credentials(String functionId) {
        return credentials.computeIfAbsent(functionId, id -> {
            String role = roleName(id);
            // Long enough for any test run; Lambda renews a function's credentials on its own.
            String arn = iam.createRole(b -> b.roleName(role).assumeRolePolicyDocument(trust()).maxSessionDuration(43_200))
                    .role().arn();
            iam.putRolePolicy(b -> b.roleName(role).policyName(id + "Policies").policyDocument(policy(id).document()));
            Credentials c = sts.assumeRole(b -> b.roleArn(arn).roleSessionName(id).durationSeconds(43_200)).credentials();
            return AwsSessionCredentials.create(c.accessKeyId(), c.secretAccessKey(), c.sessionToken());
        });
    }

    /** Lambda assumes the role; here the test set-up (the account's root) plays Lambda. */
    private static String trust() {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"lambda.amazonaws.com\","
                + "\"AWS\":\"arn:aws:iam::" + TemplateResources.ACCOUNT_ID + ":root\"},\"Action\":\"sts:AssumeRole\"}]}";
    }
}
