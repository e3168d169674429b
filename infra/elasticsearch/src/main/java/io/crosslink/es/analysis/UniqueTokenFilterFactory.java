package io.crosslink.es.analysis;

import org.apache.lucene.analysis.TokenStream;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.TokenFilterFactory;

/** {@code unique}: drops repeated terms; with {@code only_on_same_position} only those stacked on one position. */
final class UniqueTokenFilterFactory implements TokenFilterFactory {
    static final String NAME = "unique";

    private final String name;
    private final boolean onlyOnSamePosition;

    UniqueTokenFilterFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        this.name = name;
        this.onlyOnSamePosition = settings.getAsBoolean("only_on_same_position", false);
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        return new UniqueTokenFilter(tokenStream, onlyOnSamePosition);
    }

    @Override
    public String name() {
        return name;
    }
}
