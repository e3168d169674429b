package io.crosslink.connect.service;

import static io.crosslink.connect.support.TestRequests.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RemoteSettingsTest {

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
    void keepsSkipUnavailableFalse() {
        assertEquals(false, json(RemoteSettings.of("a", "h", 9443, false).body())
                .at("/persistent/cluster/remote/a/skip_unavailable").asBoolean(true));
    }
}
