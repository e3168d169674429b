package io.crosslink.connect.domain;

import io.crosslink.events.ConnectionDocument;
import io.crosslink.events.Violation;
import java.util.List;

/** The public shape of a connection: GET /api/v1/connections/{id} and the connection-status topic. */
public final class ConnectionDocuments {

    private ConnectionDocuments() {
    }

    public static ConnectionDocument of(Connection connection) {
        List<Violation> reasons = connection.reasons();
        return new ConnectionDocument(connection.id, connection.status, connection.request(), connection.requestId,
                connection.timeline(), reasons.isEmpty() ? null : reasons, null, connection.createdAt,
                connection.updatedAt);
    }
}
