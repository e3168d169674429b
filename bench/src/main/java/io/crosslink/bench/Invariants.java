package io.crosslink.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The invariants a burst must keep, evaluated against the real Elastic state (pure: the harness reads the
 * documents and the {@link ElasticSnapshot}, this decides). Each check lists the connections that break it.
 */
public final class Invariants {
    public static final Set<String> TERMINAL = Set.of("VERIFIED", "COMPENSATED", "DISCONNECTED", "FAILED", "REJECTED");
    /** Statuses after which nothing of the connection may stay on Elastic. */
    public static final Set<String> NOTHING_LEFT = Set.of("COMPENSATED", "DISCONNECTED", "REJECTED");

    private Invariants() {
    }

    /**
     * One submitted request and what became of it.
     *
     * @param id the connection id of the 202 (null: the request never got one)
     * @param status the last status read (null: the document could not be read)
     */
    public record Outcome(String alias, String id, String status) {
    }

    public record Check(String name, boolean ok, List<String> violations) {
        public Check {
            violations = List.copyOf(violations);
        }
    }

    /** The checks after a wave has run (before its cleanup), and again after cleanup (every request disconnected). */
    public static List<Check> evaluate(List<Outcome> outcomes, ElasticSnapshot elastic) {
        Map<String, List<String>> violations = new LinkedHashMap<>();
        for (String check : List.of("no request lost", "every request terminal", "VERIFIED: one active key on R",
                "VERIFIED: keystore entry and connected remote on L", "ended: no key, keystore entry or remote left",
                "no duplicate keys")) {
            violations.put(check, new ArrayList<>());
        }
        for (Outcome outcome : outcomes) {
            String who = outcome.alias() + (outcome.id() == null ? "" : " (" + outcome.id() + ")");
            if (outcome.id() == null || outcome.status() == null) {
                violations.get("no request lost").add(who + ": " + (outcome.id() == null ? "no connection id" : "no document"));
                continue;
            }
            String status = outcome.status();
            if (!TERMINAL.contains(status)) {
                violations.get("every request terminal").add(who + ": " + status);
            }
            long keys = elastic.activeKeysNamed("crosslink-" + outcome.id());
            boolean entry = elastic.localKeystoreEntries().contains(ElasticSnapshot.credentialsEntry(outcome.alias()));
            boolean settings = elastic.localRemoteSettingAliases().contains(outcome.alias());
            Boolean connected = elastic.localRemoteConnected().get(outcome.alias());
            if (status.equals("VERIFIED")) {
                if (keys != 1) {
                    violations.get("VERIFIED: one active key on R").add(who + ": " + keys + " active keys");
                }
                if (!entry || !Boolean.TRUE.equals(connected)) {
                    violations.get("VERIFIED: keystore entry and connected remote on L").add(who + ": keystore entry " + entry
                            + ", remote connected " + connected);
                }
            } else if (NOTHING_LEFT.contains(status)) {
                List<String> left = new ArrayList<>();
                if (keys > 0) {
                    left.add(keys + " active key(s)");
                }
                if (entry) {
                    left.add("keystore entry");
                }
                if (settings || connected != null) {
                    left.add("remote cluster");
                }
                if (!left.isEmpty()) {
                    violations.get("ended: no key, keystore entry or remote left").add(who + " " + status + ": " + left);
                }
            }
        }
        elastic.remoteActiveKeys().stream().distinct()
                .filter(name -> elastic.activeKeysNamed(name) > 1)
                .forEach(name -> violations.get("no duplicate keys").add(name + ": " + elastic.activeKeysNamed(name) + " active"));
        List<Check> checks = new ArrayList<>();
        violations.forEach((name, list) -> checks.add(new Check(name, list.isEmpty(), list)));
        return checks;
    }

    public static boolean allOk(List<Check> checks) {
        return checks.stream().allMatch(Check::ok);
    }
}
