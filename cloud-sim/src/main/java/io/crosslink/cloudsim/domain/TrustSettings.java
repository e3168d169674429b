package io.crosslink.cloudsim.domain;

import java.util.List;
import java.util.Optional;

/**
 * A deployment's {@code ElasticsearchClusterTrustSettings} (certificate model), validated. {@code external} entries
 * are not modelled: cloud-sim has no trust relationships, so they are refused on write and always empty on read.
 */
public record TrustSettings(List<AccountTrust> accounts, List<DirectTrust> direct) {
    public TrustSettings {
        accounts = List.copyOf(accounts);
        direct = List.copyOf(direct);
    }

    /** {@code AccountTrustRelationship}: the clusters of one ECE installation or Elastic Cloud organization. */
    public record AccountTrust(String accountId, Optional<String> name, boolean trustAll, List<String> trustAllowlist) {
        public AccountTrust {
            trustAllowlist = List.copyOf(trustAllowlist);
        }
    }

    /** {@code DirectTrustRelationship}: trust with the CA certificates bundled in the entry. */
    public record DirectTrust(String uid, String name, String type, Optional<String> scopeId, boolean trustAll,
            List<String> trustAllowlist, List<String> additionalNodeNames, List<String> certificatePems) {
        public DirectTrust {
            trustAllowlist = List.copyOf(trustAllowlist);
            additionalNodeNames = List.copyOf(additionalNodeNames);
            certificatePems = List.copyOf(certificatePems);
        }
    }
}
