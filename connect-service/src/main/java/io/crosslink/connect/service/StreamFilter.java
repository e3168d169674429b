package io.crosslink.connect.service;

import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.ConnectionRequest;
import io.crosslink.events.ConnectionStatus;

/**
 * What a stream follows, as the list's filters read it: each null matches everything. {@code team} narrows an
 * admin's stream (a non-admin's holds its own team's connections whatever it names).
 */
public record StreamFilter(ConnectionStatus status, String localDeploymentId, String alias, String team) {

    public boolean matches(ConnectionDocument document) {
        ConnectionRequest request = document.request();
        return (status == null || status == document.status())
                && (localDeploymentId == null || request != null && request.local() != null
                        && localDeploymentId.equals(request.local().deploymentId()))
                && (alias == null || request != null && alias.equals(request.alias()))
                && (team == null || team.equals(document.team()));
    }
}
