package dev.consentry.examples.weblogin;

import java.util.Map;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClient;
import org.springframework.security.oauth2.client.annotation.RegisteredOAuth2AuthorizedClient;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;

/**
 * A web app that signs users in with Entra (here Consentry) through Spring Security's {@code oauth2Login}, the
 * provider found by its {@code issuer-uri}, then calls Microsoft Graph as the user with the access token the sign-in
 * got for Graph's {@code User.Read}.
 */
@SpringBootApplication
public class WebLogin {
    public static void main(String[] args) {
        SpringApplication.run(WebLogin.class, args);
    }

    @Bean
    SecurityFilterChain web(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated()).oauth2Login(Customizer.withDefaults());
        return http.build();
    }

    @RestController
    static class Profile {
        private final RestClient graph;

        Profile(RestClient.Builder builder, @Value("${graph.url}") String graphUrl) {
            this.graph = builder.baseUrl(graphUrl).build();
        }

        /** Who signed in (from the ID token) and what Graph says about them (with the user's access token). */
        @GetMapping("/profile")
        Map<String, Object> profile(@AuthenticationPrincipal OidcUser user,
                                    @RegisteredOAuth2AuthorizedClient("entra") OAuth2AuthorizedClient client) {
            Map<String, Object> me = graph.get().uri("/me")
                    .headers(h -> h.setBearerAuth(client.getAccessToken().getTokenValue())).retrieve()
                    .body(new ParameterizedTypeReference<Map<String, Object>>() {});
            return Map.of("signedInAs", user.getPreferredUsername(), "graphDisplayName", me.get("displayName"),
                    "graphId", me.get("id"));
        }
    }
}
