package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.crosslink.events.DeploymentInfo;
import org.junit.jupiter.api.Test;

class RemoteSettingsTest {

    @Test
    void readsWhetherTheClusterSettingsStillNameTheAlias() {
        assertTrue(RemoteSettings.registered(json("""
                {"persistent":{"cluster":{"remote":{"logs":{"mode":"proxy","proxy_address":"r:9443"}}}},"transient":{}}
                """), "logs"), "nested, as GET /_cluster/settings answers");
        assertTrue(RemoteSettings.registered(json("""
                {"persistent":{},"transient":{"cluster.remote.logs.seeds":["r:9300"]}}
                """), "logs"), "flat, transient (sniff mode)");
        org.junit.jupiter.api.Assertions.assertFalse(RemoteSettings.registered(json("""
                {"persistent":{"cluster":{"remote":{"other":{"mode":"proxy"}}}},"transient":{}}
                """), "logs"), "another alias is not ours");
        org.junit.jupiter.api.Assertions.assertFalse(RemoteSettings.registered(json("{\"persistent\":{},\"transient\":{}}"),
                "logs"));
    }

    @Test
    void registersTheRemoteInProxyModeOnTheRemoteClusterPort() {
        RemoteSettings settings = RemoteSettings.of("my-remote", "abc.es.example.com", 9443, true);

        assertEquals("abc.es.example.com:9443", settings.proxyAddress());
        assertEquals("abc.es.example.com", settings.serverName());
        assertEquals(json("""
                {"persistent":{"cluster":{"remote":{"my-remote":{
                  "mode":"proxy","proxy_address":"abc.es.example.com:9443","server_name":"abc.es.example.com",
                  "skip_unavailable":true}}}}}
                """), json(settings.body()));
    }

    @Test
    void theCertificateModelUsesTheTransportPortTheRemoteReportedElseItsKinds() {
        DeploymentInfo reported = new DeploymentInfo("ece", "r", "main-elasticsearch", "c", "r.ece.local", "8.19.21",
                "ECE", "acc", 9301);
        DeploymentInfo ece = new DeploymentInfo("ece", "r", "main-elasticsearch", "c", "r.ece.local", "8.19.21",
                "ECE", "acc", null);
        DeploymentInfo ess = new DeploymentInfo("ess", "r", "main-elasticsearch", "c", "r.es.example", "8.19.21",
                "ESS", "org", null);

        assertEquals("r.ece.local:9301", RemoteSettings.transport("a", reported, true).proxyAddress());
        assertEquals("r.ece.local:9300", RemoteSettings.transport("a", ece, true).proxyAddress());
        RemoteSettings onEss = RemoteSettings.transport("a", ess, false);
        assertEquals("r.es.example:9400", onEss.proxyAddress());
        assertEquals("r.es.example", onEss.serverName());
        assertEquals(false, onEss.skipUnavailable());
    }

    @Test
    void keepsSkipUnavailableFalse() {
        assertEquals(false, json(RemoteSettings.of("a", "h", 9443, false).body())
                .at("/persistent/cluster/remote/a/skip_unavailable").asBoolean(true));
    }

    @Test
    void removalNullsEverySettingOfTheAliasInOneBody() {
        JsonNode body = json(RemoteSettings.removalBody("my-remote"));

        assertEquals(json("""
                {"persistent":{"cluster":{"remote":{"my-remote":{
                  "mode":null,"proxy_address":null,"server_name":null,"skip_unavailable":null,
                  "proxy_socket_connections":null,"seeds":null,"node_connections":null}}}}}
                """), body);
        JsonNode alias = body.at("/persistent/cluster/remote/my-remote");
        assertTrue(alias.has("skip_unavailable") && alias.get("skip_unavailable").isNull(),
                "Elasticsearch refuses the removal unless skip_unavailable is nulled with it");
    }
}
