package dev.consentry.examples.resourceserver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * An orders API protected by Entra tokens (here Consentry's): {@code issuer-uri} in application.properties is the
 * tenant's v2.0 issuer, the audience is the API's client id, and each delegated permission in {@code scp} becomes a
 * {@code SCOPE_} authority, each app role in {@code roles} an {@code APPROLE_} one.
 */
@SpringBootApplication
@EnableMethodSecurity
public class OrdersApi {
    public static void main(String[] args) {
        SpringApplication.run(OrdersApi.class, args);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtAuthenticationConverter(entraAuthorities())));
        return http.build();
    }

    /** Entra's two kinds of permission as authorities: {@code scp} (space-separated) and {@code roles} (a list). */
    static JwtAuthenticationConverter entraAuthorities() {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(jwt -> {
            Collection<GrantedAuthority> authorities = new ArrayList<>();
            String scp = jwt.getClaimAsString("scp");
            if (scp != null) {
                for (String scope : scp.split(" ")) {
                    authorities.add(new SimpleGrantedAuthority("SCOPE_" + scope));
                }
            }
            List<String> roles = jwt.getClaimAsStringList("roles");
            if (roles != null) {
                roles.forEach(role -> authorities.add(new SimpleGrantedAuthority("APPROLE_" + role)));
            }
            return authorities;
        });
        converter.setPrincipalClaimName("oid");
        return converter;
    }

    @RestController
    static class Orders {
        /** A user with the delegated permission, or an app with the app role. */
        @GetMapping("/api/orders")
        @PreAuthorize("hasAuthority('SCOPE_Orders.Read') or hasAuthority('APPROLE_Orders.Read.All')")
        List<Map<String, Object>> orders(@AuthenticationPrincipal Jwt caller) {
            return List.of(Map.of("id", "1001", "item", "Paper", "readBy", caller.getClaimAsString("oid")));
        }
    }
}
