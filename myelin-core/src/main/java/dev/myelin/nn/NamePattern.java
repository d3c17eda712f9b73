package dev.myelin.nn;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A glob over dotted state-dict keys, as {@code fnmatch} patterns are used on PyTorch's
 * {@code named_parameters()}: {@code *} matches any run of characters (dots included),
 * {@code ?} one character, everything else itself. A pattern also matches every key below the
 * module it names, so {@code 0} and {@code 0.*} both select {@code 0.weight} and {@code 0.bias},
 * and {@code features.1} selects {@code features.1.running_mean}.
 *
 * @param text the pattern as written
 */
public record NamePattern(String text) {
    public NamePattern {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("a name pattern must not be empty; write e.g. \"0.*\" or \"features.3\"");
        }
    }

    /** The patterns of a list of strings. */
    public static List<NamePattern> of(Collection<String> texts) {
        List<NamePattern> out = new ArrayList<>();
        texts.forEach(t -> out.add(new NamePattern(t)));
        return List.copyOf(out);
    }

    /** True when {@code key} is matched by this pattern, or lies below a module it names. */
    public boolean matches(String key) {
        Pattern p = regex();
        if (p.matcher(key).matches()) {
            return true;
        }
        for (int dot = key.indexOf('.'); dot > 0; dot = key.indexOf('.', dot + 1)) {
            if (p.matcher(key.substring(0, dot)).matches()) {
                return true;
            }
        }
        return false;
    }

    /** True when one of {@code patterns} matches {@code key}. */
    public static boolean any(List<NamePattern> patterns, String key) {
        for (NamePattern p : patterns) {
            if (p.matches(key)) {
                return true;
            }
        }
        return false;
    }

    private Pattern regex() {
        StringBuilder re = new StringBuilder();
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(ch)));
            }
        }
        return Pattern.compile(re.toString());
    }

    @Override
    public String toString() {
        return text;
    }
}
