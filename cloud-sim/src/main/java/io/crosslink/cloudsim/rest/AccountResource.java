package io.crosslink.cloudsim.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.crosslink.cloudsim.config.SimConfig;
import io.crosslink.cloudsim.service.CloudDocuments;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/v1/account} (ECE and Elastic Cloud): the account of the caller's API key, i.e. the ECE installation
 * account or the Elastic Cloud organization, the {@code account_id} of trust {@code accounts} entries.
 */
@Path("/api/v1/account")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {
    private final CallerEnvironment caller;
    private final SimConfig config;
    private final CloudDocuments documents;

    public AccountResource(CallerEnvironment caller, SimConfig config, CloudDocuments documents) {
        this.caller = caller;
        this.config = config;
        this.documents = documents;
    }

    @GET
    public ObjectNode get() {
        return documents.account(config.environments().get(caller.name()));
    }
}
