package dev.consentry.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.consentry.core.secret.SecretHasher;
import dev.consentry.testkit.HtmlForms;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A bounded sign-in load against a running Consentry on loopback, for {@code docs/performance.md}.
 *
 * <p>Phase 1: each of W workers (platform threads) repeats the authorization code flow of a public client
 * as a browser and a desktop app do it: GET the authorize endpoint (PKCE S256), POST the username step,
 * POST the password step (302 to the loopback redirect URI with a code), POST the code to the token
 * endpoint. Every round trip starts with an empty cookie jar, so it is a new browser and the password is
 * checked each time; each worker keeps one keep-alive connection (or, with {@code --new-connections true},
 * opens new TLS connections for each round trip's browser and app). Phase 2: each worker redeems its
 * refresh token again and again, keeping the newest one (Consentry rotates it on every use). Then one worker
 * signs in alone for a few seconds (each step's latency without queueing behind the others), and one
 * PBKDF2 check is timed in this JVM at the given costs, to set the password step against it. With the
 * server's pid, the CPU it used in each measured window is reported too.
 *
 * <p>Each phase runs a warm-up, then a measured window; a request counts when it completes in the window.
 * Every answer is checked (status, page fields, redirect, token response); an unexpected one is printed on
 * stderr, counted, and makes the exit status 1. Output: human text, then one JSON line.
 */
public final class SignInLoad {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ERRORS_SHOWN = 10;
    private static final String USAGE = """
            usage: SignInLoad --base-url URL --ca CA_PEM (--credentials DEMO_CREDENTIALS_JSON | --password PASSWORD)
                              [--user UPN] [--tenant TENANT] [--client-id APP_ID] [--workers N]
                              [--warmup 3s] [--duration 10s] [--new-connections false] [--alone 5s]
                              [--server-pid PID] [--pbkdf2-iterations 10000,210000] [--consent false]
              Signs a user in again and again through the authorize endpoint, the sign-in pages and the
              authorization code grant (a new browser each time), then redeems refresh tokens; prints the rates.
              Defaults: the demo tenant, its user adele@contoso.onmicrosoft.com and its public client
              "Contoso Desktop"; 16 workers; one keep-alive connection per worker (--new-connections true:
              new TLS connections for each round trip's browser and app, and for each refresh grant).
              --alone: then one worker on its own for that long (0s: not at all), for each step's own latency.
              --server-pid: also report the server's CPU. --consent true: prompt=consent, so each round trip
              also shows and accepts the consent page. Durations take ms, s or m.""";

    /** One request kind, timed on its own. */
    enum Step {
        AUTHORIZE("authorize GET"), USERNAME("username POST"), PASSWORD("password POST"), CONSENT("consent POST"),
        TOKEN("code redemption"), REFRESH("refresh grant");

        final String label;

        Step(String label) {
            this.label = label;
        }
    }

    record Options(URI base, SSLContext tls, String tenant, String clientId, String user, String password, int workers,
                   Duration warmup, Duration duration, boolean newConnections, Duration aloneDuration, long serverPid,
                   int[] pbkdf2Iterations, boolean consent) {}

    /** An answer the flow did not expect. */
    static final class UnexpectedAnswer extends Exception {
        UnexpectedAnswer(Step step, String message) {
            super(step.label + ": " + message);
        }

        UnexpectedAnswer(Step step, HttpResponse<String> response, String expected) {
            this(step, "expected " + expected + ", got status " + response.statusCode()
                    + response.headers().firstValue("Location").map(l -> " Location " + l).orElse("")
                    + ", body: " + excerpt(response.body()));
        }
    }

    /** A measured window: a request counts when it completes in [measureFrom, end]; no request starts after end. */
    record Window(long measureFrom, long end) {
        static Window after(Duration warmup, Duration duration) {
            long now = System.nanoTime();
            return new Window(now + warmup.toNanos(), now + warmup.toNanos() + duration.toNanos());
        }

        boolean open(long now) {
            return now < end;
        }

        boolean counts(long completed) {
            return completed >= measureFrom && completed <= end;
        }

        double seconds() {
            return (end - measureFrom) / 1e9;
        }
    }

    /** Nanosecond samples, growable. */
    static final class Samples {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        void addAll(Samples other) {
            for (int i = 0; i < other.size; i++) {
                add(other.values[i]);
            }
        }

        int size() {
            return size;
        }

        long sum() {
            long s = 0;
            for (int i = 0; i < size; i++) {
                s += values[i];
            }
            return s;
        }

        /** The q-quantile (nearest rank) in milliseconds; 0 when empty. */
        double quantileMillis(double q) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(q * size);
            return sorted[Math.max(0, Math.min(size - 1, rank - 1))] / 1e6;
        }
    }

    /** What one worker measured. */
    static final class Results {
        final Samples roundTrips = new Samples();
        final Map<Step, Samples> steps = new EnumMap<>(Step.class);
        int signInErrors;
        int refreshErrors;

        Results() {
            for (Step s : Step.values()) {
                steps.put(s, new Samples());
            }
        }

        void add(Results other) {
            roundTrips.addAll(other.roundTrips);
            for (Step s : Step.values()) {
                steps.get(s).addAll(other.steps.get(s));
            }
            signInErrors += other.signInErrors;
            refreshErrors += other.refreshErrors;
        }
    }

    private static final AtomicInteger ERRORS_PRINTED = new AtomicInteger();

    /**
     * The CPU the server process (when its pid is given) and this process use during a window, in cores:
     * CPU time over wall time, read from the operating system at the window's start and end.
     */
    static final class CpuMeter {
        private final Thread thread;
        private final double[] cores = {-1, -1};

        private CpuMeter(Window window, ProcessHandle server) {
            this.thread = Thread.ofPlatform().daemon().name("cpu-meter").start(() -> measure(window, server));
        }

        static CpuMeter over(Window window, long serverPid) {
            return new CpuMeter(window, serverPid > 0 ? ProcessHandle.of(serverPid).orElse(null) : null);
        }

        private void measure(Window window, ProcessHandle server) {
            try {
                sleepUntil(window.measureFrom());
                long s0 = cpuNanos(server);
                long c0 = cpuNanos(ProcessHandle.current());
                long t0 = System.nanoTime();
                sleepUntil(window.end());
                long s1 = cpuNanos(server);
                long c1 = cpuNanos(ProcessHandle.current());
                double wall = System.nanoTime() - t0;
                cores[0] = s0 < 0 || s1 < 0 ? -1 : (s1 - s0) / wall;
                cores[1] = c0 < 0 || c1 < 0 ? -1 : (c1 - c0) / wall;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Server cores (-1 when unknown), then this process's cores. */
        double[] result() throws InterruptedException {
            thread.join();
            return cores.clone();
        }

        private static long cpuNanos(ProcessHandle process) {
            return process == null ? -1 : process.info().totalCpuDuration().map(Duration::toNanos).orElse(-1L);
        }

        private static void sleepUntil(long nanoTime) throws InterruptedException {
            long left;
            while ((left = nanoTime - System.nanoTime()) > 0) {
                Thread.sleep(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** One simulated user agent: a keep-alive connection, a cookie jar per round trip, the newest refresh token. */
    static final class Worker {
        final Options options;
        final int index;
        /** The keep-alive client (left idle with {@code --new-connections true}). */
        final HttpClient http;
        final String redirectUri;
        final Results results = new Results();
        String refreshToken;

        Worker(Options options, int index) {
            this.options = options;
            this.index = index;
            this.http = newClient(options);
            this.redirectUri = "http://localhost:" + (50000 + index);
        }

        void signInLoop(Window window) {
            long[] stepNanos = new long[5];
            while (window.open(System.nanoTime()) && !Thread.currentThread().isInterrupted()) {
                long start = System.nanoTime();
                try {
                    refreshToken = signIn(stepNanos);
                    long end = System.nanoTime();
                    if (window.counts(end)) {
                        results.roundTrips.add(end - start);
                        results.steps.get(Step.AUTHORIZE).add(stepNanos[0]);
                        results.steps.get(Step.USERNAME).add(stepNanos[1]);
                        results.steps.get(Step.PASSWORD).add(stepNanos[2]);
                        results.steps.get(Step.TOKEN).add(stepNanos[3]);
                        if (options.consent()) {
                            results.steps.get(Step.CONSENT).add(stepNanos[4]);
                        }
                    }
                } catch (UnexpectedAnswer e) {
                    results.signInErrors++;
                    report(e);
                }
            }
        }

        void refreshLoop(Window window) {
            long[] ignored = new long[5];
            while (window.open(System.nanoTime()) && !Thread.currentThread().isInterrupted()) {
                try {
                    if (refreshToken == null) { // the first phase failed for this worker, or the last refresh did
                        refreshToken = signIn(ignored);
                    }
                    long start = System.nanoTime();
                    String used = refreshToken;
                    refreshToken = null;
                    refreshToken = refresh(used);
                    long end = System.nanoTime();
                    if (window.counts(end)) {
                        results.steps.get(Step.REFRESH).add(end - start);
                    }
                } catch (UnexpectedAnswer e) {
                    results.refreshErrors++;
                    report(e);
                }
            }
        }

        /** One full round trip with a new browser; returns the refresh token. Fills stepNanos in step order. */
        String signIn(long[] stepNanos) throws UnexpectedAnswer {
            if (!options.newConnections()) {
                return signIn(stepNanos, http, http);
            }
            try (HttpClient browser = newClient(options); HttpClient app = newClient(options)) {
                return signIn(stepNanos, browser, app);
            }
        }

        private String signIn(long[] stepNanos, HttpClient browser, HttpClient app) throws UnexpectedAnswer {
            Map<String, String> cookies = new LinkedHashMap<>();
            String verifier = randomToken(48);
            String state = randomToken(16);
            Map<String, String> query = new LinkedHashMap<>();
            query.put("client_id", options.clientId());
            query.put("response_type", "code");
            query.put("redirect_uri", redirectUri);
            query.put("scope", "openid profile offline_access User.Read");
            query.put("state", state);
            query.put("nonce", randomToken(16));
            query.put("code_challenge", s256(verifier));
            query.put("code_challenge_method", "S256");
            if (options.consent()) {
                query.put("prompt", "consent"); // the consent page at every round trip
            }
            URI authorize = options.base().resolve("/" + options.tenant() + "/oauth2/v2.0/authorize?" + form(query));

            long t = System.nanoTime();
            HttpResponse<String> page = send(browser, Step.AUTHORIZE, HttpRequest.newBuilder(authorize).GET(), cookies);
            stepNanos[0] = System.nanoTime() - t;
            if (page.statusCode() != 200 || !page.body().contains("name=\"username\"")) {
                throw new UnexpectedAnswer(Step.AUTHORIZE, page, "200 with the username page");
            }
            Map<String, String> fields = hiddenFields(Step.AUTHORIZE, page, "csrf", "request", "step");
            fields.put("username", options.user());

            t = System.nanoTime();
            HttpResponse<String> passwordPage = post(browser, Step.USERNAME, formAction(Step.USERNAME, page), fields, cookies);
            stepNanos[1] = System.nanoTime() - t;
            if (passwordPage.statusCode() != 200 || !passwordPage.body().contains("name=\"password\"")) {
                throw new UnexpectedAnswer(Step.USERNAME, passwordPage, "200 with the password page");
            }
            fields = hiddenFields(Step.USERNAME, passwordPage, "csrf", "request", "step");
            if (!"password".equals(fields.get("step"))) {
                throw new UnexpectedAnswer(Step.USERNAME, passwordPage, "the password step");
            }
            fields.put("password", options.password());

            t = System.nanoTime();
            HttpResponse<String> redirect = post(browser, Step.PASSWORD, formAction(Step.PASSWORD, passwordPage), fields, cookies);
            stepNanos[2] = System.nanoTime() - t;
            if (options.consent()) {
                if (redirect.statusCode() != 200 || !redirect.body().contains("name=\"decision\"")) {
                    throw new UnexpectedAnswer(Step.PASSWORD, redirect, "200 with the consent page");
                }
                Map<String, String> consent = hiddenFields(Step.CONSENT, redirect, "csrf", "request", "ticket");
                consent.put("decision", "accept");
                t = System.nanoTime();
                URI action = formAction(Step.CONSENT, redirect);
                redirect = post(browser, Step.CONSENT, action, consent, cookies);
                stepNanos[4] = System.nanoTime() - t;
            }
            String location = redirect.headers().firstValue("Location").orElse("");
            if (redirect.statusCode() != 302 || !location.startsWith(redirectUri + "?")) {
                throw new UnexpectedAnswer(Step.PASSWORD, redirect, "302 to " + redirectUri);
            }
            Map<String, String> reply = HtmlForms.parameters(location.substring(location.indexOf('?') + 1));
            if (!state.equals(reply.get("state")) || reply.getOrDefault("code", "").isEmpty()) {
                throw new UnexpectedAnswer(Step.PASSWORD, redirect, "a code and the request's state");
            }

            Map<String, String> redeem = new LinkedHashMap<>();
            redeem.put("grant_type", "authorization_code");
            redeem.put("client_id", options.clientId());
            redeem.put("code", reply.get("code"));
            redeem.put("redirect_uri", redirectUri);
            redeem.put("code_verifier", verifier);
            redeem.put("scope", "openid profile offline_access User.Read");
            t = System.nanoTime();
            HttpResponse<String> tokens = post(app, Step.TOKEN, tokenEndpoint(), redeem, null);
            stepNanos[3] = System.nanoTime() - t;
            return checkTokens(Step.TOKEN, tokens, null);
        }

        /** One refresh grant; returns the new refresh token. */
        String refresh(String token) throws UnexpectedAnswer {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("grant_type", "refresh_token");
            body.put("client_id", options.clientId());
            body.put("refresh_token", token);
            body.put("scope", "openid profile offline_access User.Read");
            if (!options.newConnections()) {
                return checkTokens(Step.REFRESH, post(http, Step.REFRESH, tokenEndpoint(), body, null), token);
            }
            try (HttpClient app = newClient(options)) {
                return checkTokens(Step.REFRESH, post(app, Step.REFRESH, tokenEndpoint(), body, null), token);
            }
        }

        private URI tokenEndpoint() {
            return options.base().resolve("/" + options.tenant() + "/oauth2/v2.0/token");
        }

        /** A token endpoint success with an access token, an id token and a new refresh token; returns the latter. */
        private String checkTokens(Step step, HttpResponse<String> response, String previousRefreshToken)
                throws UnexpectedAnswer {
            if (response.statusCode() != 200) {
                throw new UnexpectedAnswer(step, response, "200 with tokens");
            }
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException e) {
                throw new UnexpectedAnswer(step, response, "a JSON body");
            }
            String refresh = body.path("refresh_token").asText("");
            boolean ok = "Bearer".equals(body.path("token_type").asText())
                    && isJwt(body.path("access_token").asText("")) && isJwt(body.path("id_token").asText(""))
                    && body.path("scope").asText("").contains("User.Read")
                    && !refresh.isEmpty() && !refresh.equals(previousRefreshToken);
            if (!ok) {
                throw new UnexpectedAnswer(step, response, "a Bearer access token, an id token and a new refresh token");
            }
            return refresh;
        }

        private HttpResponse<String> post(HttpClient client, Step step, URI uri, Map<String, String> fields,
                                          Map<String, String> cookies) throws UnexpectedAnswer {
            return send(client, step, HttpRequest.newBuilder(uri).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(fields))), cookies);
        }

        /** Sends with the jar's cookies (when a jar is given) and stores the answer's cookies in it. */
        private HttpResponse<String> send(HttpClient client, Step step, HttpRequest.Builder request,
                                          Map<String, String> cookies) throws UnexpectedAnswer {
            request.timeout(Duration.ofSeconds(30));
            if (cookies != null && !cookies.isEmpty()) {
                request.header("Cookie", cookies.entrySet().stream().map(c -> c.getKey() + "=" + c.getValue())
                        .collect(Collectors.joining("; ")));
            }
            HttpResponse<String> response;
            try {
                response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UnexpectedAnswer(step, "no answer: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UnexpectedAnswer(step, "interrupted");
            }
            if (cookies != null) {
                for (String header : response.headers().allValues("Set-Cookie")) {
                    String pair = header.split(";", 2)[0];
                    int eq = pair.indexOf('=');
                    if (eq <= 0) {
                        continue;
                    }
                    String name = pair.substring(0, eq).trim();
                    String value = pair.substring(eq + 1).trim();
                    if (value.isEmpty() || header.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                        cookies.remove(name);
                    } else {
                        cookies.put(name, value);
                    }
                }
            }
            return response;
        }

        private URI formAction(Step step, HttpResponse<String> page) throws UnexpectedAnswer {
            String action = HtmlForms.formAction(page.body()).orElseThrow(() -> new UnexpectedAnswer(step, page, "a form"));
            return options.base().resolve(action);
        }
    }

    /** An HTTP/1.1 client (Consentry offers no HTTP/2) that trusts the CA and never follows redirects. */
    static HttpClient newClient(Options options) {
        return HttpClient.newBuilder().sslContext(options.tls()).version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** The page's hidden inputs, name to value; each of {@code required} must be there. */
    static Map<String, String> hiddenFields(Step step, HttpResponse<String> page, String... required) throws UnexpectedAnswer {
        Map<String, String> out = HtmlForms.hiddenFields(page.body());
        for (String name : required) {
            if (out.getOrDefault(name, "").isEmpty()) {
                throw new UnexpectedAnswer(step, page, "a hidden field " + name);
            }
        }
        return out;
    }

    static void report(UnexpectedAnswer e) {
        if (ERRORS_PRINTED.getAndIncrement() < ERRORS_SHOWN) {
            System.err.println("SignInLoad: unexpected answer at " + e.getMessage());
        }
    }

    // ---- main ----------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = parse(args);
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("SignInLoad: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        List<Worker> workers = new ArrayList<>();
        for (int i = 0; i < options.workers(); i++) {
            workers.add(new Worker(options, i));
        }

        Window signIns = Window.after(options.warmup(), options.duration());
        CpuMeter signInCpu = CpuMeter.over(signIns, options.serverPid());
        runAll(workers, w -> w.signInLoop(signIns));
        Window refreshes = Window.after(options.warmup(), options.duration());
        CpuMeter refreshCpu = CpuMeter.over(refreshes, options.serverPid());
        runAll(workers, w -> w.refreshLoop(refreshes));
        for (Worker w : workers) {
            w.http.close();
        }
        Results loaded = new Results();
        for (Worker w : workers) {
            loaded.add(w.results);
        }

        // One worker on its own: what each step costs without waiting behind the other workers' requests.
        Window aloneWindow = null;
        Results alone = null;
        if (!options.aloneDuration().isZero()) {
            Worker solo = new Worker(options, options.workers());
            aloneWindow = Window.after(Duration.ofSeconds(1), options.aloneDuration());
            solo.signInLoop(aloneWindow);
            solo.http.close();
            alone = solo.results;
        }

        Map<Integer, Double> pbkdf2 = new LinkedHashMap<>();
        if (options.pbkdf2Iterations().length > 0) {
            warmUpPbkdf2();
        }
        for (int iterations : options.pbkdf2Iterations()) {
            pbkdf2.put(iterations, pbkdf2Millis(iterations));
        }
        ObjectNode json = summary(options, loaded, signIns, signInCpu, refreshes, refreshCpu, alone, aloneWindow, pbkdf2);
        printHuman(json);
        System.out.println(JSON.writeValueAsString(json));
        int errors = loaded.signInErrors + loaded.refreshErrors + (alone == null ? 0 : alone.signInErrors);
        boolean noRoundTrip = loaded.roundTrips.size() == 0;
        boolean noRefresh = loaded.steps.get(Step.REFRESH).size() == 0;
        if (errors > 0 || noRoundTrip || noRefresh) {
            System.err.println("SignInLoad: FAILED: " + errors + " unexpected answers"
                    + (noRoundTrip ? ", no round trip completed" : "") + (noRefresh ? ", no refresh grant completed" : ""));
            System.exit(1);
        }
    }

    private static void runAll(List<Worker> workers, Consumer<Worker> loop) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (Worker w : workers) {
            threads.add(Thread.ofPlatform().name("sign-in-load-" + w.index).start(() -> loop.accept(w)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    /** One second of cheap checks, so that the JIT has compiled PBKDF2 and HMAC-SHA256 before any is timed. */
    static void warmUpPbkdf2() {
        String secret = "Demo-" + randomToken(10) + "!";
        String encoded = new SecretHasher(1_000).hash(secret);
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            SecretHasher.verify(secret, encoded);
        }
    }

    /** Milliseconds for one PBKDF2 check at this cost, in this JVM on one thread (median of several). */
    static double pbkdf2Millis(int iterations) {
        SecretHasher hasher = new SecretHasher(iterations);
        String secret = "Demo-" + randomToken(10) + "!";
        String encoded = hasher.hash(secret);
        Samples samples = new Samples();
        long end = System.nanoTime() + 800_000_000L; // at least 5 checks, else until 0.8 s have passed
        while (samples.size() < 5 || System.nanoTime() < end) {
            long t = System.nanoTime();
            if (!SecretHasher.verify(secret, encoded)) {
                throw new IllegalStateException("PBKDF2 check failed");
            }
            samples.add(System.nanoTime() - t);
        }
        return samples.quantileMillis(0.5);
    }

    static ObjectNode summary(Options options, Results loaded, Window signIns, CpuMeter signInCpu, Window refreshes,
                              CpuMeter refreshCpu, Results alone, Window aloneWindow, Map<Integer, Double> pbkdf2)
            throws InterruptedException {
        ObjectNode json = JSON.createObjectNode();
        json.put("workers", options.workers());
        json.put("connections", options.newConnections() ? "new per round trip" : "one keep-alive per worker");
        json.put("warmupSeconds", options.warmup().toMillis() / 1000.0);
        json.put("measuredSeconds", options.duration().toMillis() / 1000.0);
        json.put("cores", Runtime.getRuntime().availableProcessors());

        ObjectNode rt = json.putObject("roundTrips");
        double rate = roundTrips(rt, loaded, signIns);
        rt.put("errors", loaded.signInErrors);
        double serverMsPerRoundTrip = cpu(rt, signInCpu.result(), rate, "serverCpuMsPerRoundTrip");

        Samples refresh = loaded.steps.get(Step.REFRESH);
        ObjectNode rf = json.putObject("refreshGrants");
        double refreshRate = refresh.size() / refreshes.seconds();
        rf.put("perSecond", round(refreshRate));
        rf.put("count", refresh.size());
        rf.put("errors", loaded.refreshErrors);
        rf.put("p50Ms", round(refresh.quantileMillis(0.5)));
        rf.put("p99Ms", round(refresh.quantileMillis(0.99)));
        cpu(rf, refreshCpu.result(), refreshRate, "serverCpuMsPerGrant");

        if (alone != null) {
            ObjectNode a = json.putObject("oneWorkerAlone");
            a.put("measuredSeconds", aloneWindow.seconds());
            roundTrips(a, alone, aloneWindow);
            a.put("errors", alone.signInErrors);
        }

        ObjectNode pb = json.putObject("pbkdf2MsPerCheck");
        pbkdf2.forEach((iterations, ms) -> pb.put(Integer.toString(iterations), round(ms)));
        if (!pbkdf2.isEmpty()) {
            // One password check per round trip, at the first cost given (the demo tenant's by default).
            double first = pbkdf2.values().iterator().next();
            json.put("pbkdf2CoresBusyAtMeasuredRate", round(first * rate / 1000));
            if (serverMsPerRoundTrip > 0) {
                json.put("pbkdf2ShareOfServerCpu", round(first / serverMsPerRoundTrip));
            }
        }
        json.put("errors", loaded.signInErrors + loaded.refreshErrors + (alone == null ? 0 : alone.signInErrors));
        return json;
    }

    /** Writes rate, count, latencies and per-step figures of round trips into {@code out}; returns the rate. */
    private static double roundTrips(ObjectNode out, Results results, Window window) {
        double rate = results.roundTrips.size() / window.seconds();
        out.put("perSecond", round(rate));
        out.put("count", results.roundTrips.size());
        out.put("p50Ms", round(results.roundTrips.quantileMillis(0.5)));
        out.put("p99Ms", round(results.roundTrips.quantileMillis(0.99)));
        ObjectNode steps = out.putObject("steps");
        long total = results.roundTrips.sum();
        for (Step s : List.of(Step.AUTHORIZE, Step.USERNAME, Step.PASSWORD, Step.CONSENT, Step.TOKEN)) {
            Samples samples = results.steps.get(s);
            if (samples.size() == 0) {
                continue; // the consent step of a run without --consent
            }
            ObjectNode step = steps.putObject(s.name().toLowerCase(Locale.ROOT));
            step.put("p50Ms", round(samples.quantileMillis(0.5)));
            step.put("p99Ms", round(samples.quantileMillis(0.99)));
            step.put("meanMs", round(samples.size() == 0 ? 0 : samples.sum() / 1e6 / samples.size()));
            step.put("shareOfRoundTrip", total == 0 ? 0 : round(samples.sum() / (double) total));
        }
        return rate;
    }

    /** Writes the cores used in the window; returns the server's CPU milliseconds per operation, or 0 when unknown. */
    private static double cpu(ObjectNode out, double[] cores, double rate, String perOperation) {
        out.put("clientCores", round(cores[1]));
        if (cores[0] < 0) {
            return 0;
        }
        out.put("serverCores", round(cores[0]));
        double ms = rate > 0 ? cores[0] * 1000 / rate : 0;
        out.put(perOperation, round(ms));
        return ms;
    }

    static void printHuman(ObjectNode json) {
        JsonNode rt = json.path("roundTrips");
        JsonNode rf = json.path("refreshGrants");
        StringBuilder out = new StringBuilder();
        boolean consent = rt.path("steps").has("consent");
        out.append(String.format(Locale.ROOT, "sign-in round trips (authorize, username, password, %scode redemption; a new browser "
                + "each): %d workers, %s, %.0f s measured after %.0f s warm-up%n", consent ? "consent page, " : "",
                json.path("workers").asInt(),
                json.path("connections").asText(),
                json.path("measuredSeconds").asDouble(), json.path("warmupSeconds").asDouble()));
        out.append(String.format(Locale.ROOT, "  %.1f round trips/s; round trip p50 %.1f ms, p99 %.1f ms; %d round trips, %d errors%n",
                rt.path("perSecond").asDouble(), rt.path("p50Ms").asDouble(), rt.path("p99Ms").asDouble(),
                rt.path("count").asInt(), rt.path("errors").asInt()));
        out.append(cpuLine(rt, "round trip", "serverCpuMsPerRoundTrip"));
        JsonNode alone = json.path("oneWorkerAlone");
        out.append(String.format(Locale.ROOT, "  %-16s %8s %8s %8s %6s", "step, 16 workers", "p50 ms", "p99 ms", "mean ms", "share"));
        out.append(alone.isMissingNode() ? "%n".formatted() : String.format(Locale.ROOT, " | %-10s %8s %6s%n", "one alone:", "p50 ms", "share"));
        for (Step s : List.of(Step.AUTHORIZE, Step.USERNAME, Step.PASSWORD, Step.CONSENT, Step.TOKEN)) {
            String key = s.name().toLowerCase(Locale.ROOT);
            JsonNode step = rt.path("steps").path(key);
            if (step.isMissingNode()) {
                continue;
            }
            out.append(String.format(Locale.ROOT, "  %-16s %8.1f %8.1f %8.1f %5.0f%%", s.label, step.path("p50Ms").asDouble(),
                    step.path("p99Ms").asDouble(), step.path("meanMs").asDouble(), 100 * step.path("shareOfRoundTrip").asDouble()));
            JsonNode a = alone.path("steps").path(key);
            out.append(alone.isMissingNode() ? "%n".formatted() : String.format(Locale.ROOT, " | %-10s %8.1f %5.0f%%%n", "",
                    a.path("p50Ms").asDouble(), 100 * a.path("shareOfRoundTrip").asDouble()));
        }
        if (!alone.isMissingNode()) {
            out.append(String.format(Locale.ROOT, "  one worker alone (%.0f s): %.1f round trips/s, round trip p50 %.1f ms, p99 %.1f ms, %d errors%n",
                    alone.path("measuredSeconds").asDouble(), alone.path("perSecond").asDouble(), alone.path("p50Ms").asDouble(),
                    alone.path("p99Ms").asDouble(), alone.path("errors").asInt()));
        }
        out.append(String.format(Locale.ROOT, "refresh-token grants (rotating): %.1f grants/s; p50 %.1f ms, p99 %.1f ms; %d grants, %d errors%n",
                rf.path("perSecond").asDouble(), rf.path("p50Ms").asDouble(), rf.path("p99Ms").asDouble(),
                rf.path("count").asInt(), rf.path("errors").asInt()));
        out.append(cpuLine(rf, "grant", "serverCpuMsPerGrant"));
        JsonNode pb = json.path("pbkdf2MsPerCheck");
        if (pb.size() > 0) {
            out.append("PBKDF2-HMAC-SHA256 check, in this JVM on one thread after the load:");
            pb.properties().forEach(e -> out.append(String.format(Locale.ROOT, " %s iterations %.2f ms;",
                    e.getKey(), e.getValue().asDouble())));
            out.append(String.format(Locale.ROOT, "%n  at the measured round-trip rate the first cost keeps %.2f of %d cores busy",
                    json.path("pbkdf2CoresBusyAtMeasuredRate").asDouble(), json.path("cores").asInt()));
            if (json.has("pbkdf2ShareOfServerCpu")) {
                out.append(String.format(Locale.ROOT, " (%.0f%% of the server's CPU per round trip)",
                        100 * json.path("pbkdf2ShareOfServerCpu").asDouble()));
            }
            out.append(String.format("%n"));
        }
        System.out.print(out);
    }

    private static String cpuLine(JsonNode node, String operation, String perOperation) {
        String client = String.format(Locale.ROOT, "this load driver %.2f cores", node.path("clientCores").asDouble());
        if (!node.has("serverCores")) {
            return "  CPU in the window: " + client + "%n".formatted();
        }
        return String.format(Locale.ROOT, "  CPU in the window: server %.2f cores (%.1f ms per %s), %s%n",
                node.path("serverCores").asDouble(), node.path(perOperation).asDouble(), operation, client);
    }

    // ---- options and helpers -------------------------------------------------------------------------

    static Options parse(String[] args) throws IOException {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            given.put(args[i].substring(2), args[++i]);
        }
        List<String> known = List.of("base-url", "ca", "credentials", "password", "user", "tenant", "client-id", "workers",
                "warmup", "duration", "new-connections", "alone", "server-pid", "pbkdf2-iterations",
                "consent");
        for (String name : given.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name);
            }
        }
        String base = required(given, "base-url");
        String user = given.getOrDefault("user", "adele@contoso.onmicrosoft.com");
        String password = given.get("password");
        if (password == null) {
            password = passwordFromCredentials(Path.of(required(given, "credentials")), user);
        }
        int workers = Integer.parseInt(given.getOrDefault("workers", "16"));
        if (workers < 1) {
            throw new IllegalArgumentException("--workers must be positive");
        }
        int[] iterations = Arrays.stream(given.getOrDefault("pbkdf2-iterations", "10000,210000").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).mapToInt(Integer::parseInt).toArray();
        return new Options(URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base),
                trusting(Path.of(required(given, "ca"))),
                given.getOrDefault("tenant", "c0a1b2c3-d4e5-4f60-8a7b-9c0d1e2f3a4b"),
                given.getOrDefault("client-id", "d0a1b2c3-0005-4f60-8a7b-9c0d1e2f3a4b"), user, password, workers,
                duration(given.getOrDefault("warmup", "3s")), duration(given.getOrDefault("duration", "10s")),
                bool(given.getOrDefault("new-connections", "false")), duration(given.getOrDefault("alone", "5s")),
                Long.parseLong(given.getOrDefault("server-pid", "0")), iterations,
                bool(given.getOrDefault("consent", "false")));
    }

    private static String required(Map<String, String> given, String name) {
        String value = given.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    /** The user's password from a data dir's demo-credentials.json (a list of kind, name, id, secret). */
    static String passwordFromCredentials(Path file, String user) throws IOException {
        for (JsonNode c : JSON.readTree(file.toFile())) {
            if ("user".equals(c.path("kind").asText()) && user.equalsIgnoreCase(c.path("id").asText())) {
                return c.path("secret").asText();
            }
        }
        throw new IllegalArgumentException(file + " has no password for " + user);
    }

    /** A TLS context that trusts exactly the certificates of a PEM file (Consentry's local CA). */
    static SSLContext trusting(Path caPem) throws IOException {
        try (InputStream in = Files.newInputStream(caPem)) {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, c);
            }
            if (n == 0) {
                throw new IllegalArgumentException(caPem + " holds no certificate");
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, tmf.getTrustManagers(), null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot trust " + caPem + ": " + e.getMessage(), e);
        }
    }

    static boolean bool(String text) {
        return switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException("not true or false: " + text);
        };
    }

    /** "500ms", "3s", "2m" or a number of seconds. */
    static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            } else if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            } else if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a duration: " + text);
        }
    }

    static String form(Map<String, String> fields) {
        return HtmlForms.encode(fields);
    }

    static boolean isJwt(String s) {
        return s.split("\\.", -1).length == 3 && s.startsWith("eyJ");
    }

    static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String s256(String verifier) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java SE platform", e);
        }
    }

    /** Two decimals, for the JSON line. */
    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The start of a body as text: an HTML page without its head, style and tags. */
    static String excerpt(String body) {
        String text = body == null ? "" : body;
        if (text.contains("<html")) {
            text = text.replaceAll("(?is)<head.*?</head>|<style.*?</style>|<script.*?</script>", " ")
                    .replaceAll("<[^>]*>", " ");
            text = HtmlForms.unescape(text);
        }
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }

    private SignInLoad() {}
}
