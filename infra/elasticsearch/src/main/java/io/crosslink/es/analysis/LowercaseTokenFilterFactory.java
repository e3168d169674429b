package io.crosslink.es.analysis;

import java.util.Locale;
import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.el.GreekLowerCaseFilter;
import org.apache.lucene.analysis.ga.IrishLowerCaseFilter;
import org.apache.lucene.analysis.tr.TurkishLowerCaseFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;

/** {@code lowercase}, with the optional {@code language} greek, irish or turkish. */
final class LowercaseTokenFilterFactory implements NormalizingTokenFilterFactory {
    static final String NAME = "lowercase";

    private final String name;
    private final String language;

    LowercaseTokenFilterFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
        this.name = name;
        String configured = settings.get("language");
        this.language = configured == null ? null : configured.toLowerCase(Locale.ROOT);
        if (language != null && !language.equals("greek") && !language.equals("irish") && !language.equals("turkish")) {
            throw new IllegalArgumentException("language [" + configured + "] not supported by the [" + NAME + "] token filter");
        }
    }

    @Override
    public TokenStream create(TokenStream tokenStream) {
        if (language == null) {
            return new LowerCaseFilter(tokenStream);
        }
        return switch (language) {
            case "greek" -> new GreekLowerCaseFilter(tokenStream);
            case "irish" -> new IrishLowerCaseFilter(tokenStream);
            default -> new TurkishLowerCaseFilter(tokenStream);
        };
    }

    @Override
    public String name() {
        return name;
    }
}
