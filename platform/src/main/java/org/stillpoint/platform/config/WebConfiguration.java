package org.stillpoint.platform.config;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.stillpoint.platform.input.Instants;
import org.stillpoint.platform.input.PlainText;
import org.stillpoint.platform.web.ProblemDetailsAdvice;
import org.stillpoint.security.Caller;
import tools.jackson.databind.module.SimpleModule;

/** The HTTP side: refusals as problem details, plain text in request bodies, the service's OpenAPI document. */
@Configuration(proxyBeanMethods = false)
@Import(ProblemDetailsAdvice.class)
class WebConfiguration {

    /** Request bodies: no control characters in text (see {@link PlainText}). */
    @Bean
    SimpleModule stillpointPlainText() {
        return PlainText.module();
    }

    /** Instants in and out: ISO-8601, to the millisecond at most (see {@link Instants}). */
    @Bean
    SimpleModule stillpointInstants() {
        return Instants.module();
    }

    /** The service's OpenAPI document: bearer tokens, served through the gateway. */
    @Bean
    OpenAPI stillpointOpenApi(@Value("${spring.application.name}") String service) {
        SpringDocUtils.getConfig().addRequestWrapperToIgnore(Caller.class);
        return new OpenAPI().info(new Info().title("Stillpoint " + service).version("v1"))
                            .addServersItem(new Server().url("/").description("the gateway"))
                            .components(new Components().addSecuritySchemes(
                                    "bearer", new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                                                  .bearerFormat("JWT")))
                            .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
