package io.crosslink.es.analysis;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.TokenizerFactory;

/** {@code uax_url_email}: the standard tokenizer that keeps URLs and e-mail addresses whole; {@code max_token_length}. */
final class UrlEmailTokenizerFactory implements TokenizerFactory {
    static final String NAME = "uax_url_email";

    private final String name;
    private final int maxTokenLength;

    UrlEmailTokenizerFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        this.name = name;
        this.maxTokenLength = settings.getAsInt("max_token_length", StandardAnalyzer.DEFAULT_MAX_TOKEN_LENGTH);
    }

    @Override
    public Tokenizer create() {
        UAX29URLEmailTokenizer tokenizer = new UAX29URLEmailTokenizer();
        tokenizer.setMaxTokenLength(maxTokenLength);
        return tokenizer;
    }

    @Override
    public String name() {
        return name;
    }
}
