package io.crosslink.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** What the CLI's tests share: a scripted connect-service per test, and an environment pointing the CLI at it. */
abstract class FakeApiTest {
    static final String TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW5vdC1yZWFs";
    FakeConnectService api;
    Map<String, String> environment;

    @BeforeEach
    void fakeApi() throws Exception {
        api = new FakeConnectService();
        environment = Map.of("CROSSLINK_URL", api.url(), "CROSSLINK_TOKEN", TOKEN);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    static void assertNoToken(Run run) {
        assertFalse(run.out().contains(TOKEN) || run.err().contains(TOKEN), "the token was printed: " + run);
    }
}
