package org.lrm.xero.handler;

import org.lrm.xero.support.Environment;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.lrm.xero.adapter.aws.AwsClients;
import org.lrm.xero.app.work.ReplayCounts;
import org.lrm.xero.app.work.ReplayRequest;
import org.lrm.xero.support.Json;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The DLQ replay for operators at a shell, with the AWS credentials of their environment:
 * <pre>java -cp functions/target/functions-*.jar org.lrm.xero.handler.DlqReplayCommand \
 *     --queue learner-sync [--org ORG] [--kind KIND] [--reason WORDS] [--dry-run] [--max N] [--stage dev]</pre>
 * Queue URLs come from the same variables the function has, or else from the template's queue
 * names for the stage ({@code lrm-xero-<stage>-<queue>} and {@code ...-dlq}).
 */
public final class DlqReplayCommand {

    private DlqReplayCommand() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        ReplayRequest request = new ReplayRequest(options.get("queue"), options.get("org"), options.get("kind"),
                options.get("reason"), options.containsKey("dry-run"), options.containsKey("max") ? Integer.valueOf(options.get("max")) : null);
        // The operator's shell is this root's environment: read once, with what the options and the stage's names add.
        Map<String, String> env = new HashMap<>(Environment.current());
        if (options.containsKey("stage")) {
            env.put("STAGE", options.get("stage"));
        }
        Settings settings = Settings.from(env);
        AwsClients aws = Wiring.awsClients(settings);
        String variable = request.queue().toUpperCase(Locale.ROOT).replace('-', '_');
        if (env.get(variable + "_QUEUE_URL") == null || env.get(variable + "_DLQ_URL") == null) {
            String name = "lrm-xero-" + settings.stage() + "-" + request.queue();
            env.put(variable + "_QUEUE_URL", url(aws.sqs(), name));
            env.put(variable + "_DLQ_URL", url(aws.sqs(), name + "-dlq"));
            settings = Settings.from(env);
        }
        ReplayCounts counts = DlqReplayRoot.of(settings, aws).replay().replay(request);
        System.out.println(Json.MAPPER.writeValueAsString(counts));
    }

    private static String url(SqsClient sqs, String queueName) {
        return sqs.getQueueUrl(b -> b.queueName(queueName)).queueUrl();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + arg + "; usage: --queue Q [--org O] [--kind K] [--reason WORDS] [--dry-run] [--max N] [--stage S]");
            }
            String name = arg.substring(2);
            if (name.equals("dry-run")) {
                options.put(name, "true");
            } else if (i + 1 < args.length) {
                options.put(name, args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        return options;
    }
}
