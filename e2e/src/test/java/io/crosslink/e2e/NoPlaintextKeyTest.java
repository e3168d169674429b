package io.crosslink.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.crosslink.deploy.CrosslinkService;
import io.crosslink.e2e.support.E2eStack;
import io.crosslink.e2e.support.E2eStackExtension;
import io.crosslink.e2e.support.Events;
import io.crosslink.e2e.support.KafkaTopics;
import io.crosslink.e2e.support.RunSecrets;
import io.crosslink.events.ConnectionEvent.KeyCreated;
import io.crosslink.events.Topics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Scenario d and issue #14's secret scan, over everything the scenarios left: no secret Crosslink holds or sees is in
 * plaintext in any Kafka record of any topic, any service's log, any row of the four databases or their
 * {@code pg_dump}. The secrets: every encoded API key (and its secret half), learnt the way trust-service learns them
 * (opening the sealed key of each KeyCreated event with the run's data key); the data key; the Cloud API keys; each
 * deployment's Elasticsearch password; and the run's bearer tokens (whole, and their signatures). The one place a
 * token belongs is the {@code authorization} header of a {@code connection-requests} record, which is how a producer
 * presents it; nowhere else, its dead-letter topic included. Failure messages say where, never what.
 */
@Order(91)
@ExtendWith(E2eStackExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NoPlaintextKeyTest {
    private E2eStack stack;
    private KafkaTopics kafka;
    /** What must never show, with a printable label: the encoded key and its secret half, per connection. */
    private final Map<String, String> secrets = new LinkedHashMap<>();

    @BeforeAll
    void openTheSealedKeys(E2eStack stack) {
        assumeTrue(stack.servicesRunning(), "the services are not running (crosslink.e2e.services=false)");
        this.stack = stack;
        kafka = new KafkaTopics(stack.kafkaBootstrapServers());
        RunSecrets run = new RunSecrets(stack);
        int keys = 0;
        for (var event : new Events(kafka).all(Topics.KEY_EVENTS)) {
            if (event instanceof KeyCreated created) {
                String idAndSecret = run.addKey(created);
                assertTrue(idAndSecret.startsWith(created.keyId() + ":"),
                        "the sealed value of " + created.connectionId() + " is not the encoded key of key " + created.keyId());
                keys++;
            }
        }
        assertTrue(keys > 0, "no KeyCreated event to learn a key from: did the scenarios run?");
        secrets.putAll(run.labelled());
    }

    @Test
    void noKafkaRecordOnAnyTopicHoldsAKey() {
        List<String> topics = new ArrayList<>(kafka.topics());
        assertTrue(topics.containsAll(Topics.EVENT_TOPICS), "topics: " + topics);
        int records = 0;
        for (String topic : topics) {
            for (ConsumerRecord<String, String> record : kafka.readAll(topic)) {
                String where = topic + "@" + record.partition() + ":" + record.offset();
                assertNoSecret(record.key(), where + " key");
                assertNoSecret(record.value(), where + " value");
                for (Header header : record.headers()) {
                    if (topic.equals(Topics.CONNECTION_REQUESTS) && header.key().equalsIgnoreCase("authorization")) {
                        continue; // where a producer presents its token
                    }
                    assertNoSecret(header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8),
                            where + " header " + header.key());
                }
                records++;
            }
        }
        System.out.printf("no plaintext key in %d record(s) of %d topic(s): %s%n", records, topics.size(), topics);
    }

    @Test
    void noServiceLogHoldsAKey() throws Exception {
        for (CrosslinkService service : CrosslinkService.values()) {
            String log = Files.readString(stack.service(service).log(), StandardCharsets.UTF_8);
            assertFalse(log.isBlank(), service.module() + " logged nothing at all");
            assertNoSecret(log, service.module() + "'s log " + stack.service(service).log());
        }
    }

    @Test
    void noDatabaseRowHoldsAKey() throws Exception {
        int rows = 0;
        for (String database : E2eStack.DATABASES) {
            try (Connection connection = DriverManager.getConnection(stack.postgres().jdbcUrl(database),
                    stack.postgres().username(), stack.postgres().password())) {
                List<String> tables = new ArrayList<>();
                try (Statement query = connection.createStatement();
                        ResultSet result = query.executeQuery("SELECT table_schema, table_name FROM information_schema.tables "
                                + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')")) {
                    while (result.next()) {
                        tables.add('"' + result.getString(1) + "\".\"" + result.getString(2) + '"');
                    }
                }
                assertFalse(tables.isEmpty(), "database " + database + " has no tables: is the service using it?");
                for (String table : tables) {
                    try (Statement query = connection.createStatement(); ResultSet result = query.executeQuery("SELECT * FROM " + table)) {
                        ResultSetMetaData columns = result.getMetaData();
                        while (result.next()) {
                            for (int column = 1; column <= columns.getColumnCount(); column++) {
                                String where = database + "." + table + "." + columns.getColumnName(column);
                                Object value = result.getObject(column);
                                assertNoSecret(value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                                        : value == null ? null : value.toString(), where);
                            }
                            rows++;
                        }
                    }
                }
            }
        }
        System.out.printf("no plaintext key in %d row(s) of databases %s%n", rows, E2eStack.DATABASES);
        assertTrue(rows > 0, "the databases are empty");
    }

    /**
     * The databases as {@code pg_dump} writes them (schema, sequences and data), where a client is installed: what a
     * backup of Crosslink's databases would hold. (The row scan above needs no client and always runs.)
     */
    @Test
    void noDatabaseDumpHoldsASecret() throws Exception {
        Path pgDump = Path.of("/usr/bin/pg_dump");
        assumeTrue(Files.isExecutable(pgDump), "no PostgreSQL client (/usr/bin/pg_dump) on this machine");
        for (String database : E2eStack.DATABASES) {
            Process dump = new ProcessBuilder(pgDump.toString(), "--no-owner", "-h", "127.0.0.1",
                    "-p", Integer.toString(stack.postgres().port()), "-U", stack.postgres().username(), database)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            dump.getOutputStream().close();
            String text = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(dump.waitFor(2, TimeUnit.MINUTES) && dump.exitValue() == 0, "pg_dump of " + database + " failed");
            assertTrue(text.contains("CREATE TABLE"), "pg_dump of " + database + " holds no table");
            assertNoSecret(text, "pg_dump of database " + database);
        }
    }

    private void assertNoSecret(String text, String where) {
        if (text == null) {
            return;
        }
        secrets.forEach((secret, label) -> assertFalse(text.contains(secret), where + " contains " + label));
    }
}
