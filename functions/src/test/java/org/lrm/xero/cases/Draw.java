package org.lrm.xero.cases;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * One generated case's source of values. Numbers and lengths land on their bounds more often than
 * chance alone would put them there (one time in ten), because the bounds are where rules break.
 */
public final class Draw {

    public static final String ALPHA = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    public static final String DIGITS = "0123456789";
    /** Every character Java or Unicode calls whitespace: tabs, line breaks, no-break and ideographic spaces. */
    public static final String WHITESPACE = IntStream.rangeClosed(0, 0xFFFF)
            .filter(c -> Character.isWhitespace(c) || Character.isSpaceChar(c))
            .mapToObj(c -> String.valueOf((char) c)).collect(Collectors.joining());
    /** Characters a person cannot see or that steer the text: soft hyphen, zero-width, bidi controls, BOM. */
    static final String INVISIBLE = "\u00AD\u200B\u200C\u200D\u200E\u200F\u202A\u202B\u202C\u202D\u202E"
            + "\u2060\u2061\u2062\u2063\u2064\uFEFF";
    static final String LETTERS_BEYOND_ASCII = "éñØüßçÅæœłĳǅΩλжЖ中文字あア한글אبि";

    private final SplittableRandom random;

    private Draw(SplittableRandom random) {
        this.random = random;
    }

    /** The draw of case {@code n} under {@code seed}: the same values on every run. */
    public static Draw of(long seed, int n) {
        return new Draw(new SplittableRandom(seed * 1_000_003L + n));
    }

    public boolean chance(double probability) {
        return random.nextDouble() < probability;
    }

    /** From {@code min} to {@code max}, both included. */
    public int between(int min, int max) {
        return (int) between((long) min, max);
    }

    /** From {@code min} to {@code max}, both included. */
    public long between(long min, long max) {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return min;
        }
        if (roll == 1) {
            return max;
        }
        return max == Long.MAX_VALUE ? random.nextLong(min, max) : random.nextLong(min, max + 1);
    }

    /** From {@code min} to {@code max}, both included. */
    public double between(double min, double max) {
        int roll = random.nextInt(20);
        if (roll == 0) {
            return min;
        }
        if (roll == 1) {
            return max;
        }
        return min + (max - min) * random.nextDouble();
    }

    @SafeVarargs
    public final <T> T oneOf(T... values) {
        return values[random.nextInt(values.length)];
    }

    public <T> T oneOf(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }

    /** A value of one of {@code sources}, each as likely as the others. */
    @SafeVarargs
    public final <T> T from(Supplier<? extends T>... sources) {
        return sources[random.nextInt(sources.length)].get();
    }

    public <T> T orNull(double nullProbability, Supplier<T> source) {
        return chance(nullProbability) ? null : source.get();
    }

    public <T> List<T> list(int minSize, int maxSize, Supplier<T> element) {
        int size = between(minSize, maxSize);
        List<T> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(element.get());
        }
        return out;
    }

    /** {@code minLength} to {@code maxLength} characters of {@code alphabet}. */
    public String string(int minLength, int maxLength, String alphabet) {
        int length = between(minLength, maxLength);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return out.toString();
    }

    /**
     * {@code minLength} to {@code maxLength} UTF-16 chars of anything: ASCII, letters of other
     * scripts, whitespace of every kind, control and invisible characters, emoji as surrogate
     * pairs, lone surrogates, and any char at all.
     */
    public String anyString(int minLength, int maxLength) {
        int length = between(minLength, maxLength);
        StringBuilder out = new StringBuilder(length);
        while (out.length() < length) {
            if (out.length() + 2 <= length && chance(0.05)) {
                out.appendCodePoint(chance(0.5) ? random.nextInt(0x1F300, 0x1FAFF) : random.nextInt(0x10000, 0x110000));
            } else {
                out.append(anyChar());
            }
        }
        return out.toString();
    }

    public char anyChar() {
        int roll = random.nextInt(100);
        if (roll < 40) {
            return (char) random.nextInt(0x20, 0x7F);
        }
        if (roll < 50) {
            return pickChar(WHITESPACE);
        }
        if (roll < 60) {
            return oneOf((char) random.nextInt(0, 0x20), '\u007F', (char) random.nextInt(0x80, 0xA0));
        }
        if (roll < 75) {
            return pickChar(LETTERS_BEYOND_ASCII);
        }
        if (roll < 80) {
            return pickChar(INVISIBLE);
        }
        if (roll < 85) {
            return (char) random.nextInt(0xD800, 0xE000);
        }
        return oneOf('\u0000', '\uFFFF', '\uFFFE', (char) random.nextInt(0, 0x10000), (char) random.nextInt(0, 0x10000));
    }

    /**
     * One character no name should hold, as a string (an emoji takes two chars): an emoji or other
     * symbol, a control, invisible formatting, a line or paragraph separator, a lone surrogate, a
     * private-use or unassigned code point.
     */
    public String oddCharacter() {
        return switch (random.nextInt(8)) {
            case 0 -> Character.toString(random.nextInt(0x1F300, 0x1FAFF));
            case 1 -> oneOf("\u00A9", "\u263A", "\u2705", "\u2122");
            case 2 -> String.valueOf(oneOf((char) random.nextInt(0, 0x20), '\u007F', (char) random.nextInt(0x80, 0xA0)));
            case 3 -> String.valueOf(pickChar(INVISIBLE));
            case 4 -> oneOf("\u2028", "\u2029");
            case 5 -> String.valueOf((char) random.nextInt(0xD800, 0xE000));
            case 6 -> String.valueOf((char) random.nextInt(0xE000, 0xF900));
            default -> oneOf("\u0378", "\uFFFF", "\uFDD0");
        };
    }

    public byte[] bytes(int minLength, int maxLength) {
        byte[] out = new byte[between(minLength, maxLength)];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) between(Byte.MIN_VALUE, Byte.MAX_VALUE);
        }
        return out;
    }

    private char pickChar(String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }
}
