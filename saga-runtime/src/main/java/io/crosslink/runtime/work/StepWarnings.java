package io.crosslink.runtime.work;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What Elastic warned about (its {@code Warning} headers) while the work item on this thread runs: the Elastic client
 * adds each warning, the step's handler puts them on the event that ends the step, and connect-service shows them in
 * the connection's timeline. Outside a work item nothing is collected.
 */
public final class StepWarnings {
    private static final ThreadLocal<Set<String>> CURRENT = new ThreadLocal<>();

    private StepWarnings() {
    }

    /** Collects from now on this thread (the dispatcher, around one run of an item). */
    public static void begin() {
        CURRENT.set(new LinkedHashSet<>());
    }

    public static void end() {
        CURRENT.remove();
    }

    /** A warning of the running step (the same text twice counts once). */
    public static void add(String warning) {
        Set<String> warnings = CURRENT.get();
        if (warnings != null) {
            warnings.add(warning);
        }
    }

    /** The running step's warnings so far, in the order they came. */
    public static List<String> current() {
        Set<String> warnings = CURRENT.get();
        return warnings == null ? List.of() : List.copyOf(warnings);
    }
}
