package io.crosslink.trust.support;

import io.crosslink.trust.config.TrustConfig;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A {@link TrustConfig} for the Cloud API clients alone: environments and HTTP timeouts, nothing else. */
public final class ClientConfigs {
    private ClientConfigs() {
    }

    /** {@code environmentsAndKeys}: environment name, then its API key, repeated; all at {@code url}. */
    public static TrustConfig cloudApi(String url, Duration requestTimeout, String... environmentsAndKeys) {
        return cloudApi(url, requestTimeout, 0, environmentsAndKeys);
    }

    /** As above, with {@code resends} immediate re-sends of idempotent calls. */
    public static TrustConfig cloudApi(String url, Duration requestTimeout, int resends,
            String... environmentsAndKeys) {
        Map<String, TrustConfig.Environment> environments = new LinkedHashMap<>();
        for (int i = 0; i + 1 < environmentsAndKeys.length; i += 2) {
            environments.put(environmentsAndKeys[i], environment(url, environmentsAndKeys[i + 1]));
        }
        return new TrustConfig() {
            @Override
            public Map<String, Environment> environments() {
                return environments;
            }

            @Override
            public Secrets secrets() {
                throw new UnsupportedOperationException("the Cloud API clients need no data key");
            }

            @Override
            public Trust trust() {
                throw new UnsupportedOperationException("the Cloud API clients need no step settings");
            }

            @Override
            public Retry retry() {
                throw new UnsupportedOperationException("the Cloud API clients do not retry");
            }

            @Override
            public Elastic elastic() {
                return new Elastic() {
                    @Override
                    public Duration connectTimeout() {
                        return Duration.ofSeconds(5);
                    }

                    @Override
                    public Duration requestTimeout() {
                        return requestTimeout;
                    }

                    @Override
                    public int idempotentCallRetries() {
                        return resends;
                    }
                };
            }
        };
    }

    private static TrustConfig.Environment environment(String url, String apiKey) {
        return new TrustConfig.Environment() {
            @Override
            public String url() {
                return url;
            }

            @Override
            public String apiKey() {
                return apiKey;
            }
        };
    }
}
