package dev.consentry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import dev.consentry.identity.protocol.Bearer;
import dev.consentry.identity.token.TokenReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code consentry token decode JWT}: what a token says, read without trusting it. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Read tokens.",
        subcommands = {TokenCommand.Decode.class})
final class TokenCommand {

    /**
     * Prints a JWT's header, each claim with its meaning in Entra's tokens, and a summary (issuer, version, app-only or
     * delegated, resource, permissions), without checking the signature. The token is read from the argument or, with
     * {@code -}, from standard input, and is never written anywhere. Input that is not a readable JWT (empty, not three
     * parts, not JSON, encrypted, too long) exits 2 with one line that does not repeat the token.
     */
    @Command(name = "decode", mixinStandardHelpOptions = true,
            description = {"Show a JWT's header, claims and what they mean, without checking its signature.",
                "Pass - to read the token from standard input (it then stays out of your shell history)."})
    static final class Decode implements Callable<Integer> {
        static final String NOT_CHECKED = "Signature not checked: this shows what the token says, not whether it is genuine.";

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TOKEN", description = "The JWT, optionally after \"Bearer \"; - reads it from standard input.")
        String token;

        @Option(names = "--output", defaultValue = "text", description = "text or json.")
        OutputFormat output;

        /** Where {@code -} reads from; tests set it. */
        InputStream stdin = System.in;

        /** Now and the local time zone, for times and expiry; tests set a fixed clock. */
        Clock clock = Clock.systemDefaultZone();

        @Override
        public Integer call() throws Exception {
            Decoded decoded = decode(read());
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                out.println(new ObjectMapper().writeValueAsString(json(decoded)));
            } else {
                text(decoded, out);
            }
            out.flush();
            return 0;
        }

        /** The token as given, without surrounding whitespace or a leading {@code Bearer }. */
        private String read() throws IOException {
            String raw = token;
            if ("-".equals(token)) {
                // One byte past the limit is enough to know the input is too long; the rest is never read.
                raw = new String(stdin.readNBytes(TokenReader.MAX_TOKEN_CHARS + 1), StandardCharsets.UTF_8);
            }
            String t = Bearer.pasted(raw);
            if (t.isEmpty()) {
                throw Main.UserError.usage("no token: the input is empty");
            }
            if (t.length() > TokenReader.MAX_TOKEN_CHARS) {
                throw Main.UserError.usage("not a token: the input is longer than " + TokenReader.MAX_TOKEN_CHARS + " characters");
            }
            return t;
        }

        private static Decoded decode(String compact) {
            int parts = compact.split("\\.", -1).length;
            if (parts == 5) {
                throw Main.UserError.usage("the token is encrypted (a JWE, five parts): it cannot be read without the "
                        + "recipient's private key");
            }
            if (parts != 3) {
                throw Main.UserError.usage("not a JWT: a JWT has three parts separated by dots, this input has " + parts);
            }
            try {
                JWT jwt = JWTParser.parse(compact);
                jwt.getJWTClaimsSet(); // refuses a payload that is not a JSON object
                Base64URL[] p = jwt.getParsedParts();
                ObjectMapper m = new ObjectMapper();
                return new Decoded((ObjectNode) m.readTree(p[0].decodeToString()), (ObjectNode) m.readTree(p[1].decodeToString()));
            } catch (ParseException | IOException | ClassCastException e) {
                throw Main.UserError.usage("not a JWT: its header and claims must be base64url-encoded JSON objects");
            }
        }

        private void text(Decoded d, PrintWriter out) {
            out.println(NOT_CHECKED);
            out.println("Header");
            List<String> headerNames = new ArrayList<>(List.of("alg", "kid", "typ", "x5t"));
            d.header().fieldNames().forEachRemaining(n -> {
                if (!headerNames.contains(n)) {
                    headerNames.add(n);
                }
            });
            for (String name : headerNames) {
                if (d.header().has(name)) {
                    // Microsoft Graph's tokens carry a header nonce that makes their signature checkable by Graph alone.
                    out.println("  " + name + "  " + value(d.header().get(name)) + ("nonce".equals(name)
                            ? "  (a header nonce, as in Microsoft Graph's tokens: only Graph can check their signature)" : ""));
                }
            }
            out.println("Claims");
            for (Map.Entry<String, JsonNode> claim : d.claims().properties()) {
                String name = claim.getKey();
                out.println("  " + name + "  " + value(claim.getValue()) + "  ("
                        + ClaimMeanings.of(name).orElse("no description") + ")");
                time(name, claim.getValue()).ifPresent(t -> out.println("      " + t.utc() + " UTC, " + t.local() + " local"
                        + t.status().map(s -> "; " + s).orElse("")));
            }
            TokenSummary s = TokenSummary.of(d.claims());
            out.println("Summary");
            out.println("  Issued by  " + s.issuedBy());
            out.println("  Version    " + (s.version().isEmpty() ? "(no ver claim)" : s.version()));
            out.println("  Access     " + s.access());
            out.println("  Resource   " + (s.resource().isEmpty() ? "(no aud claim)"
                    : s.resourceName().equals(s.resource()) ? s.resource() : s.resourceName() + " (" + s.resource() + ")"));
            out.println("  Scopes     " + (s.scopes().isEmpty() ? "none" : String.join(" ", s.scopes())));
            out.println("  Roles      " + (s.roles().isEmpty() ? "none" : String.join(" ", s.roles())));
            out.println("  Lifetime   " + lifetime(d.claims()));
        }

        private ObjectNode json(Decoded d) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode root = m.createObjectNode();
            root.put("signatureChecked", false);
            root.set("header", d.header());
            ArrayNode claims = root.putArray("claims");
            for (Map.Entry<String, JsonNode> claim : d.claims().properties()) {
                ObjectNode c = claims.addObject();
                c.put("name", claim.getKey());
                c.set("value", claim.getValue());
                c.put("meaning", ClaimMeanings.of(claim.getKey()).orElse(null));
                Optional<Time> time = time(claim.getKey(), claim.getValue());
                c.put("utc", time.map(Time::utc).orElse(null));
                c.put("local", time.map(Time::local).orElse(null));
            }
            TokenSummary s = TokenSummary.of(d.claims());
            ObjectNode summary = root.putObject("summary");
            summary.put("issuer", s.issuer());
            summary.put("issuerKind", s.issuerKind().jsonName);
            summary.put("issuedBy", s.issuedBy());
            summary.put("tenant", s.tenant());
            summary.put("version", s.version());
            summary.put("access", s.appOnly() ? "app-only" : "delegated");
            summary.put("client", s.client());
            summary.put("user", s.user());
            summary.put("resource", s.resource());
            summary.put("resourceName", s.resourceName());
            s.scopes().forEach(summary.putArray("scopes")::add);
            s.roles().forEach(summary.putArray("roles")::add);
            JsonNode exp = d.claims().path("exp");
            if (exp.isNumber()) {
                summary.put("expired", !clock.instant().isBefore(Instant.ofEpochSecond(exp.asLong())));
            } else {
                summary.putNull("expired");
            }
            summary.put("lifetime", lifetime(d.claims()));
            return root;
        }

        /** A time claim in UTC and in the local zone, with what it means now for {@code exp} and {@code nbf}. */
        private Optional<Time> time(String name, JsonNode value) {
            if (!ClaimMeanings.TIMES.contains(name) || !value.canConvertToLong()) {
                return Optional.empty();
            }
            Instant at = Instant.ofEpochSecond(value.asLong());
            Instant now = clock.instant();
            String status = switch (name) {
                // Expiring exactly now is expired: exp is the first instant the token must be refused.
                case "exp" -> now.isBefore(at) ? "valid for " + duration(now, at) + " more" : "expired " + duration(at, now) + " ago";
                case "nbf" -> now.isBefore(at) ? "not valid yet, for " + duration(now, at) + " more" : null;
                default -> null;
            };
            return Optional.of(new Time(DateTimeFormatter.ISO_INSTANT.format(at),
                    DateTimeFormatter.ISO_ZONED_DATE_TIME.format(at.atZone(clock.getZone())), Optional.ofNullable(status)));
        }

        private String lifetime(ObjectNode claims) {
            List<String> said = new ArrayList<>();
            time("nbf", claims.path("nbf")).flatMap(Time::status).ifPresent(said::add);
            time("exp", claims.path("exp")).flatMap(Time::status).ifPresent(said::add);
            if (!claims.path("exp").canConvertToLong()) {
                said.add("no exp claim: the token says nothing of when it ends");
            }
            return String.join("; ", said);
        }

        /** How long from {@code from} to {@code to}, in its two largest units: {@code 2 h 5 min}, {@code 40 s}. */
        static String duration(Instant from, Instant to) {
            long s = Duration.between(from, to).toSeconds();
            long[] amounts = {s / 86_400, s % 86_400 / 3_600, s % 3_600 / 60, s % 60};
            String[] units = {"d", "h", "min", "s"};
            List<String> words = new ArrayList<>();
            for (int i = 0; i < amounts.length; i++) {
                if (amounts[i] > 0) {
                    words.add(amounts[i] + " " + units[i]);
                    if (i + 1 < amounts.length && amounts[i + 1] > 0) {
                        words.add(amounts[i + 1] + " " + units[i + 1]);
                    }
                    break;
                }
            }
            return words.isEmpty() ? "0 s" : String.join(" ", words);
        }

        private static String value(JsonNode v) {
            return v.isTextual() ? v.asText() : v.toString();
        }

        private record Decoded(ObjectNode header, ObjectNode claims) {}

        private record Time(String utc, String local, Optional<String> status) {}
    }
}
