package io.crosslink.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/**
 * A real PostgreSQL server for Quarkus tests: one per test JVM, shared by all test classes and profiles,
 * started on first use (in the background as soon as Quarkus initialises its test resources, so it starts in
 * parallel with Kafka) and stopped when the JVM exits. Init arg {@code database} (default
 * {@value #DEFAULT_DATABASE}) names the database to use, created if missing. Supplies
 * {@code quarkus.datasource.jdbc.url}, {@code quarkus.datasource.username} and {@code quarkus.datasource.password};
 * the service sets {@code quarkus.datasource.db-kind=postgresql} itself.
 *
 * <pre>{@code @QuarkusTestResource(value = PostgresTestResource.class, initArgs = @ResourceArg(name = "database", value = "saga"))}</pre>
 */
public class PostgresTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String DEFAULT_DATABASE = "crosslink";

    private String database = DEFAULT_DATABASE;

    @Override
    public void init(Map<String, String> initArgs) {
        String configured = initArgs == null ? null : initArgs.get("database");
        if (configured != null && !configured.isBlank()) {
            database = configured.trim();
        }
        SharedServers.call("prestartPostgres", new Class<?>[] {String.class}, database);
    }

    @Override
    @SuppressWarnings("unchecked")
    public Map<String, String> start() {
        return (Map<String, String>) SharedServers.call("postgres", new Class<?>[] {String.class}, database);
    }

    @Override
    public void stop() {
        // Shared by every test of this JVM: a shutdown hook stops it.
    }
}
