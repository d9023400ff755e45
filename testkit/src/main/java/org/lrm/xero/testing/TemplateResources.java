package org.lrm.xero.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.lrm.xero.adapter.aws.AwsClients;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Creates, in an AWS emulator, the tables, queues (with their dead-letter queues), bucket and
 * secret that {@code infra/template.yaml} declares, named as the template names them, and gives
 * each function the environment the template gives it. Tests and the local run use this, so
 * neither can drift from what is deployed.
 */
public final class TemplateResources {

    public static final String ACCOUNT_ID = "123456789012";

    private final Map<String, Object> template;
    private final Map<String, String> parameters;
    private final String region;
    private final Map<String, Map<String, String>> attributes = new LinkedHashMap<>();

    private TemplateResources(Map<String, Object> template, Map<String, String> parameters, String region) {
        this.template = template;
        this.parameters = parameters;
        this.region = region;
    }

    /** The template at {@code <repo>/infra/template.yaml}, with the given parameter values over its defaults. */
    public static TemplateResources load(Map<String, String> parameterOverrides, String region) {
        Path file = RepoPaths.root().resolve("infra/template.yaml");
        try (Reader reader = Files.newBufferedReader(file)) {
            Map<String, Object> template = new Yaml(new CloudFormationConstructor()).load(reader);
            Map<String, String> parameters = new LinkedHashMap<>();
            section(template, "Parameters").forEach((name, spec) -> {
                Object def = ((Map<?, ?>) spec).get("Default");
                parameters.put(name, def == null ? "" : def.toString());
            });
            parameters.putAll(parameterOverrides);
            return new TemplateResources(template, parameters, region);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
    }

    /** Creates every data resource of the template; returns this, now able to answer {@link #environment}. */
    public TemplateResources provision(AwsClients aws) {
        Map<String, Object> resources = section(template, "Resources");
        // Dead-letter queues first: a queue's redrive policy names its DLQ's ARN.
        List<String> queues = new ArrayList<>();
        resources.forEach((id, value) -> {
            Map<String, Object> resource = map(value);
            if (resource.containsKey("Condition") && !condition((String) resource.get("Condition"))) {
                return; // not deployed with these parameters (e.g. the console unless DeployConsole)
            }
            String type = (String) resource.get("Type");
            Map<String, Object> props = resource.containsKey("Properties") ? map(resource.get("Properties")) : Map.of();
            switch (type) {
                case "AWS::DynamoDB::Table" -> createTable(aws, id, props);
                case "AWS::S3::Bucket" -> createBucket(aws, id, props);
                case "AWS::SecretsManager::Secret" -> createSecret(aws, id, props);
                case "AWS::SQS::Queue" -> queues.add(id);
                default -> { }
            }
        });
        queues.sort((a, b) -> Boolean.compare(map(map(resources.get(a)).get("Properties")).containsKey("RedrivePolicy"),
                map(map(resources.get(b)).get("Properties")).containsKey("RedrivePolicy")));
        for (String id : queues) {
            createQueue(aws, id, map(map(resources.get(id)).get("Properties")));
        }
        return this;
    }

    /** The environment variables the template gives a function (Globals, then the function's own). */
    public Map<String, String> environment(String functionLogicalId) {
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, Object> globals = map(map(section(template, "Globals").get("Function")).get("Environment"));
        map(globals.get("Variables")).forEach((k, v) -> env.put(k, eval(v)));
        Map<String, Object> function = map(section(template, "Resources").get(functionLogicalId));
        if (function.isEmpty()) {
            throw new IllegalArgumentException("no function " + functionLogicalId + " in the template");
        }
        Map<String, Object> props = map(function.get("Properties"));
        if (props.get("Environment") != null) {
            map(map(props.get("Environment")).get("Variables")).forEach((k, v) -> env.put(k, eval(v)));
        }
        env.put("AWS_REGION", region);
        return env;
    }

    /** Logical ids of every function in the template. */
    public List<String> functionIds() {
        return resourceIds("AWS::Serverless::Function");
    }

    /** Logical ids of every resource of {@code type} (e.g. {@code AWS::SQS::Queue}), in template order. */
    public List<String> resourceIds(String type) {
        List<String> ids = new ArrayList<>();
        section(template, "Resources").forEach((id, value) -> {
            if (type.equals(map(value).get("Type"))) {
                ids.add(id);
            }
        });
        return ids;
    }

    /**
     * A route of the template's HTTP API: an {@code HttpApi} event of a function.
     *
     * @param routeKey as API Gateway writes it, e.g. {@code "GET /v1/learners/{learnerId}/xero"}
     * @param jwt whether the API's JWT authorizer guards it (every route but those with {@code Authorizer: NONE})
     */
    public record HttpRoute(String functionId, String routeKey, boolean jwt) {
    }

    /** Every HTTP API route of the template, in template order. */
    public List<HttpRoute> httpRoutes() {
        List<HttpRoute> routes = new ArrayList<>();
        for (String functionId : functionIds()) {
            map(map(resource(functionId).get("Properties")).get("Events")).values().forEach(value -> {
                Map<String, Object> event = map(value);
                if (!"HttpApi".equals(event.get("Type"))) {
                    return;
                }
                Map<String, Object> p = map(event.get("Properties"));
                Object authorizer = map(p.get("Auth")).get("Authorizer");
                routes.add(new HttpRoute(functionId, eval(p.get("Method")).toUpperCase() + " " + eval(p.get("Path")),
                        !"NONE".equals(authorizer == null ? null : eval(authorizer))));
            });
        }
        return routes;
    }

    /** A function's property as SAM reads it: the function's own, else the one in Globals (intrinsics unevaluated). */
    public Object functionProperty(String functionId, String name) {
        Object own = map(resource(functionId).get("Properties")).get(name);
        return own != null ? own : map(section(template, "Globals").get("Function")).get(name);
    }

    /** A resource as the template declares it (intrinsics unevaluated: see {@link #evaluate}). */
    public Map<String, Object> resource(String logicalId) {
        return map(section(template, "Resources").get(logicalId));
    }

    /** A template value (a literal, or an intrinsic such as {@code !Ref}, {@code !Sub}, {@code !GetAtt}) as deployed here. */
    public String evaluate(Object templateValue) {
        return eval(templateValue);
    }

    /** What {@code !Ref id} resolves to for a provisioned resource (table name, queue URL, bucket name, secret ARN). */
    public String ref(String logicalId) {
        return eval(Map.of("Ref", logicalId));
    }

    private void createTable(AwsClients aws, String id, Map<String, Object> p) {
        String name = eval(p.get("TableName"));
        List<AttributeDefinition> attrs = list(p.get("AttributeDefinitions")).stream()
                .map(a -> AttributeDefinition.builder().attributeName(eval(map(a).get("AttributeName")))
                        .attributeType(eval(map(a).get("AttributeType"))).build()).toList();
        List<GlobalSecondaryIndex> gsis = list(p.get("GlobalSecondaryIndexes")).stream()
                .map(g -> GlobalSecondaryIndex.builder().indexName(eval(map(g).get("IndexName")))
                        .keySchema(keySchema(map(g).get("KeySchema")))
                        .projection(Projection.builder().projectionType(
                                eval(map(map(g).get("Projection")).get("ProjectionType"))).build())
                        .build()).toList();
        aws.dynamoDb().createTable(b -> {
            b.tableName(name).attributeDefinitions(attrs).keySchema(keySchema(p.get("KeySchema")))
                    .billingMode(BillingMode.PAY_PER_REQUEST);
            if (!gsis.isEmpty()) {
                b.globalSecondaryIndexes(gsis);
            }
        });
        Map<String, Object> ttl = map(p.get("TimeToLiveSpecification"));
        if (!ttl.isEmpty()) {
            aws.dynamoDb().updateTimeToLive(b -> b.tableName(name).timeToLiveSpecification(
                    t -> t.attributeName(eval(ttl.get("AttributeName"))).enabled(true)));
        }
        attributes.put(id, Map.of("Ref", name,
                "Arn", "arn:aws:dynamodb:" + region + ":" + ACCOUNT_ID + ":table/" + name));
    }

    private List<KeySchemaElement> keySchema(Object keys) {
        return list(keys).stream().map(k -> KeySchemaElement.builder()
                .attributeName(eval(map(k).get("AttributeName"))).keyType(eval(map(k).get("KeyType"))).build()).toList();
    }

    private void createBucket(AwsClients aws, String id, Map<String, Object> p) {
        String name = p.containsKey("BucketName") ? eval(p.get("BucketName")) : id.toLowerCase();
        aws.s3().createBucket(b -> b.bucket(name));
        attributes.put(id, Map.of("Ref", name, "Arn", "arn:aws:s3:::" + name));
    }

    private void createSecret(AwsClients aws, String id, Map<String, Object> p) {
        String name = eval(p.get("Name"));
        String arn = aws.secretsManager().createSecret(b -> b.name(name)
                .secretString(p.containsKey("SecretString") ? eval(p.get("SecretString")) : "{}")).arn();
        attributes.put(id, Map.of("Ref", arn, "Arn", arn, "Name", name));
    }

    private void createQueue(AwsClients aws, String id, Map<String, Object> p) {
        String name = eval(p.get("QueueName"));
        Map<QueueAttributeName, String> attrs = new LinkedHashMap<>();
        if (p.containsKey("VisibilityTimeout")) {
            attrs.put(QueueAttributeName.VISIBILITY_TIMEOUT, eval(p.get("VisibilityTimeout")));
        }
        if (p.containsKey("MessageRetentionPeriod")) {
            attrs.put(QueueAttributeName.MESSAGE_RETENTION_PERIOD, eval(p.get("MessageRetentionPeriod")));
        }
        if (p.containsKey("RedrivePolicy")) {
            Map<String, Object> redrive = map(p.get("RedrivePolicy"));
            attrs.put(QueueAttributeName.REDRIVE_POLICY, "{\"deadLetterTargetArn\":\"" + eval(redrive.get("deadLetterTargetArn"))
                    + "\",\"maxReceiveCount\":" + eval(redrive.get("maxReceiveCount")) + "}");
        }
        String url = aws.sqs().createQueue(b -> b.queueName(name).attributes(attrs)).queueUrl();
        attributes.put(id, Map.of("Ref", url, "QueueUrl", url, "QueueName", name,
                "Arn", "arn:aws:sqs:" + region + ":" + ACCOUNT_ID + ":" + name));
    }

    /** Evaluates the intrinsic functions the template's data resources and environment use. */
    private String eval(Object value) {
        if (value == null) {
            return "";
        }
        if (!(value instanceof Map<?, ?> fn)) {
            return value.toString();
        }
        if (fn.containsKey("Ref")) {
            return refValue((String) fn.get("Ref"));
        }
        if (fn.containsKey("Fn::Sub")) {
            // !Sub "text" or !Sub ["text", {variable: value}] (SAM's policy templates use the second)
            List<Object> sub = fn.get("Fn::Sub") instanceof List<?> ? list(fn.get("Fn::Sub")) : List.of(fn.get("Fn::Sub"), Map.of());
            Map<String, Object> variables = map(sub.get(1));
            Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher((String) sub.get(0));
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String replacement = variables.containsKey(name) ? eval(variables.get(name))
                        : name.contains(".") ? getAtt(name) : refValue(name);
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }
        if (fn.containsKey("Fn::GetAtt")) {
            Object target = fn.get("Fn::GetAtt");
            return getAtt(target instanceof List<?> l ? l.get(0) + "." + l.get(1) : target.toString());
        }
        if (fn.containsKey("Fn::If")) {
            List<?> args = (List<?>) fn.get("Fn::If");
            return condition((String) args.get(0)) ? eval(args.get(1)) : eval(args.get(2));
        }
        if (fn.containsKey("Fn::Join")) {
            List<?> args = (List<?>) fn.get("Fn::Join");
            return String.join((String) args.get(0), list(args.get(1)).stream().map(this::eval).toList());
        }
        throw new IllegalArgumentException("unsupported intrinsic in template: " + fn.keySet());
    }

    private boolean condition(String name) {
        return truth(section(template, "Conditions").get(name));
    }

    private boolean truth(Object expr) {
        Map<String, Object> fn = map(expr);
        if (fn.containsKey("Fn::Not")) {
            return !truth(list(fn.get("Fn::Not")).get(0));
        }
        if (fn.containsKey("Fn::Equals")) {
            List<Object> args = list(fn.get("Fn::Equals"));
            return eval(args.get(0)).equals(eval(args.get(1)));
        }
        if (fn.containsKey("Condition")) {
            return condition((String) fn.get("Condition"));
        }
        throw new IllegalArgumentException("unsupported condition: " + fn.keySet());
    }

    private String refValue(String name) {
        switch (name) {
            case "AWS::AccountId": return ACCOUNT_ID;
            case "AWS::Region": return region;
            case "AWS::Partition": return "aws";
            case "AWS::URLSuffix": return "amazonaws.com";
            case "AWS::StackName": return "lrm-xero-" + parameters.getOrDefault("Stage", "local");
            default:
        }
        if (parameters.containsKey(name)) {
            return parameters.get(name);
        }
        Map<String, String> attrs = attributes.get(name);
        if (attrs != null) {
            return attrs.get("Ref");
        }
        // Resources the emulator does not hold (API, functions, alarms): a recognisable placeholder.
        return "local-" + name;
    }

    private String getAtt(String dotted) {
        int dot = dotted.indexOf('.');
        Map<String, String> attrs = attributes.get(dotted.substring(0, dot));
        String attr = dotted.substring(dot + 1);
        if (attrs == null || !attrs.containsKey(attr)) {
            return "local-" + dotted;
        }
        return attrs.get(attr);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> template, String name) {
        Object value = template.get(name);
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** Reads CloudFormation's short tags (!Ref, !Sub, !GetAtt, …) into their long forms. */
    private static final class CloudFormationConstructor extends SafeConstructor {
        CloudFormationConstructor() {
            super(new LoaderOptions());
            for (String fn : List.of("Ref", "Sub", "GetAtt", "If", "Not", "Equals", "Join", "Select", "Split",
                    "FindInMap", "Base64", "GetAZs", "ImportValue", "And", "Or", "Condition", "Cidr")) {
                String longName = fn.equals("Ref") || fn.equals("Condition") ? fn : "Fn::" + fn;
                this.yamlConstructors.put(new Tag("!" + fn), new AbstractConstruct() {
                    @Override
                    public Object construct(Node node) {
                        Object value;
                        if (node instanceof ScalarNode scalar) {
                            value = fn.equals("GetAtt") ? List.of(scalar.getValue().split("\\.", 2)) : scalar.getValue();
                        } else if (node instanceof SequenceNode seq) {
                            value = constructSequence(seq);
                        } else {
                            value = constructMapping((MappingNode) node);
                        }
                        return Map.of(longName, value);
                    }
                });
            }
        }
    }
}
