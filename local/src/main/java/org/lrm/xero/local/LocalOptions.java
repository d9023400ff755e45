package org.lrm.xero.local;

import java.util.Map;

/**
 * How the local run is configured: flags over environment variables over defaults.
 *
 * @param gatewayPort  {@code --port}, {@code LOCAL_PORT}, 3000
 * @param sandboxPort  {@code --sandbox-port}, {@code XERO_SANDBOX_PORT}, 3001
 * @param motoPort     {@code --moto-port}, 0 (a free port); unused when {@code awsEndpoint} is set
 * @param awsEndpoint  {@code AWS_ENDPOINT_URL}: an emulator already running (null: start moto)
 * @param demo         {@code --demo}: run the main job end to end, print its summary and exit
 * @param learners     {@code --learners}, 200: how many learners the demo syncs
 * @param jwtSecret    {@code LOCAL_JWT_SECRET}, {@code local-dev-secret}
 */
public record LocalOptions(int gatewayPort, int sandboxPort, int motoPort, String awsEndpoint, boolean demo, int learners,
        String jwtSecret) {

    public static final String USAGE = """
            usage: ./local.sh [--port N] [--sandbox-port N] [--moto-port N] [--demo [--learners N]]
              --port N          the local API gateway's port (env LOCAL_PORT, default 3000)
              --sandbox-port N  the Xero sandbox's port (env XERO_SANDBOX_PORT, default 3001)
              --moto-port N     moto_server's port (default: a free one; unused when AWS_ENDPOINT_URL is set)
              --demo            run the main job end to end, print a summary and exit (0 only when all is right)
              --learners N      how many learners the demo syncs (default 200)
            env: LOCAL_JWT_SECRET (default local-dev-secret), AWS_ENDPOINT_URL (an emulator you run)""";

    public static LocalOptions parse(String[] args, Map<String, String> env) {
        int port = intEnv(env, "LOCAL_PORT", 3000);
        int sandboxPort = intEnv(env, "XERO_SANDBOX_PORT", 3001);
        int motoPort = 0;
        boolean demo = false;
        int learners = 200;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = intArg(args, ++i);
                case "--sandbox-port" -> sandboxPort = intArg(args, ++i);
                case "--moto-port" -> motoPort = intArg(args, ++i);
                case "--demo" -> demo = true;
                case "--learners" -> learners = intArg(args, ++i);
                default -> throw new IllegalArgumentException("unknown option " + args[i] + "\n" + USAGE);
            }
        }
        String endpoint = env.get("AWS_ENDPOINT_URL");
        return new LocalOptions(port, sandboxPort, motoPort, endpoint == null || endpoint.isBlank() ? null : endpoint, demo,
                learners, env.getOrDefault("LOCAL_JWT_SECRET", "local-dev-secret"));
    }

    private static int intEnv(Map<String, String> env, String name, int otherwise) {
        String value = env.get(name);
        return value == null || value.isBlank() ? otherwise : Integer.parseInt(value.trim());
    }

    private static int intArg(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a number\n" + USAGE);
        }
        return Integer.parseInt(args[i]);
    }

    @Override
    public String toString() {
        return "LocalOptions[gatewayPort=" + gatewayPort + ", sandboxPort=" + sandboxPort + ", motoPort=" + motoPort
                + ", awsEndpoint=" + awsEndpoint + ", demo=" + demo + ", learners=" + learners + ", jwtSecret=***]";
    }
}
