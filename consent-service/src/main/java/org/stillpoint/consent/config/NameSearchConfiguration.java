package org.stillpoint.consent.config;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.stillpoint.consent.query.NameIndexKey;

/**
 * The name search is on when its secret is set ({@code STILLPOINT_NAME_INDEX_KEY}; the local profile has a development
 * one); without it there is no index and a search is refused as not configured, never answered from anything else.
 */
@Configuration
class NameSearchConfiguration {

    @Bean
    @ConditionalOnExpression("!'${stillpoint.search.name-index-key:}'.isBlank()")
    NameIndexKey nameIndexKey(@Value("${stillpoint.search.name-index-key}") String key) {
        return new NameIndexKey(key);
    }
}
