package org.lrm.xero.cases;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * Cases for a {@link Property} (a JUnit parameterised test): the edge cases written out,
 * then {@code count} cases drawn at random. Case {@code n} draws from a random source seeded with the
 * test's fixed seed and {@code n} alone, so every run checks the same cases, and a failing case is
 * the same case however many are generated. Each case's display name carries the seed, its number
 * and (shortened, escaped) its arguments, so a failure says what failed and how to get it back.
 */
public final class GeneratedCases {

    private static final int SHOWN_CHARS = 160;

    private GeneratedCases() {
    }

    /** {@code count} cases, case n built by {@code build} from the draw of seed and n. */
    public static Stream<Arguments> generated(long seed, int count, Function<Draw, List<?>> build) {
        return IntStream.range(0, count).mapToObj(n -> {
            List<?> arguments = build.apply(Draw.of(seed, n));
            return Arguments.argumentSet("seed " + seed + " case " + n + ": " + describe(arguments), arguments.toArray());
        });
    }

    /** The edge cases, written out: each case is the list of a call's arguments. */
    public static Stream<Arguments> edges(List<? extends List<?>> cases) {
        return IntStream.range(0, cases.size()).mapToObj(n ->
                Arguments.argumentSet("edge " + n + ": " + describe(cases.get(n)), cases.get(n).toArray()));
    }

    /** The edge cases, then the generated ones. */
    public static Stream<Arguments> edgesThenGenerated(List<? extends List<?>> edges, long seed, int count,
            Function<Draw, List<?>> build) {
        return Stream.concat(edges(edges), generated(seed, count, build));
    }

    /** Arguments as a display name may show them: printable ASCII, the rest as \\uXXXX, cut at a readable length. */
    static String describe(List<?> arguments) {
        StringBuilder out = new StringBuilder();
        for (Object argument : arguments) {
            if (!out.isEmpty()) {
                out.append(", ");
            }
            out.append(describe(argument));
            if (out.length() > SHOWN_CHARS) {
                return out.substring(0, SHOWN_CHARS) + "...";
            }
        }
        return out.toString();
    }

    private static String describe(Object argument) {
        if (argument == null) {
            return "null";
        }
        if (argument instanceof String s) {
            return '"' + escape(s) + '"';
        }
        if (argument instanceof byte[] bytes) {
            return "byte[" + bytes.length + "] " + escape(Arrays.toString(bytes));
        }
        if (argument instanceof List<?> list && list.size() > 8) {
            return "[" + list.size() + " items: " + escape(String.valueOf(list.get(0))) + ", ...]";
        }
        return escape(String.valueOf(argument));
    }

    private static String escape(String s) {
        String escaped = escape(s.substring(0, Math.min(s.length(), SHOWN_CHARS + 1)), '"');
        return escaped.length() > SHOWN_CHARS ? escaped.substring(0, SHOWN_CHARS) : escaped;
    }

    /**
     * {@code s} in printable ASCII, escaped as in a Java string literal: any other char as a
     * backslash, u and four hex digits; a backslash and {@code quote} behind a backslash. Test
     * reports are XML, which cannot hold control characters or lone surrogates.
     */
    static String escape(String s, char quote) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == quote) {
                out.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7F) {
                out.append(c);
            } else {
                out.append(String.format("\\u%04X", (int) c));
            }
        }
        return out.toString();
    }
}
