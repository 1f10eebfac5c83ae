package dev.consentry.server.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.aad.msal4j.DeviceCode;
import com.microsoft.aad.msal4j.DeviceCodeFlowParameters;
import com.microsoft.aad.msal4j.IAuthenticationResult;
import com.microsoft.aad.msal4j.MsalServiceException;
import com.microsoft.aad.msal4j.PublicClientApplication;
import com.nimbusds.jwt.SignedJWT;
import dev.consentry.core.cause.Cause;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.identity.device.DeviceAuthorizations;
import dev.consentry.server.browser.Chromium;
import dev.consentry.server.testing.RunningConsentry;
import dev.consentry.server.testing.TestTenant;
import dev.consentry.testkit.FormBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The device code flow (RFC 8628; wire spec, sections 1.6 and 2.7): MSAL4J's {@code acquireToken} with a
 * device code while a person completes Consentry's own verification page in Chromium, and every poll answer
 * on the wire: pending, slow_down, declined, expired, unknown and spent codes.
 */
public class DeviceCodeTest {
    /** The causes this class proves on the wire. */
    public static final Set<Cause> COVERED_HERE = EnumSet.of(Cause.DEVICE_AUTHORIZATION_PENDING, Cause.DEVICE_SLOW_DOWN,
            Cause.DEVICE_AUTHORIZATION_DECLINED, Cause.DEVICE_CODE_EXPIRED, Cause.DEVICE_CODE_INVALID, Cause.USER_CODE_ATTEMPTS);
    static final Set<Cause> EXERCISED = EnumSet.noneOf(Cause.class);
    static final ObjectMapper JSON = new ObjectMapper();
    static final String TENANT = TestTenant.TENANT.toString();
    @RegisterExtension
    static final RunningConsentry server = RunningConsentry.start();
    @RegisterExtension
    static final Chromium chromium = Chromium.trusting(server);


    @AfterAll
    static void stop() {
        assertThat(EXERCISED).containsAll(COVERED_HERE);
    }

    static PublicClientApplication desktop() throws Exception {
        return PublicClientApplication.builder(TestTenant.PUBLIC_APP.toString())
                .authority(server.authority(TENANT))
                .instanceDiscovery(false)
                .sslSocketFactory(server.sslContext().getSocketFactory())
                .build();
    }

    /** A person at the verification page: types the code, confirms (or cancels), signs in. */
    static void completeInBrowser(DeviceCode code, boolean approve) {
        try {
            act(code, approve);
        } catch (RuntimeException e) {
            BROWSER_FAILURE.complete(e);
            throw e;
        }
    }

    static final CompletableFuture<Throwable> BROWSER_FAILURE = new CompletableFuture<>();

    /**
     * The person, on a thread of their own after {@code delayMillis}: MSAL polls on the common fork-join pool,
     * which on a two-core machine has one worker, so work queued there would wait for MSAL to give up.
     */
    static void person(Runnable steps, long delayMillis) {
        Thread.ofPlatform().daemon().start(() -> {
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            steps.run();
        });
    }

    private static void act(DeviceCode code, boolean approve) {
        chromium.open(code.verificationUri());
        chromium.fill("user_code", code.userCode().toLowerCase()); // people type codes in any case
        chromium.submit();
        if (!approve) {
            chromium.click("cancel");
            return;
        }
        chromium.click("continue");
        chromium.fill("username", TestTenant.ADELE_UPN);
        chromium.submit();
        chromium.fill("password", TestTenant.ADELE_PASSWORD);
        chromium.submit();
    }

    @Test
    void msalPollsWhileTheUserSignsInOnTheVerificationPage() throws Exception {
        CompletableFuture<DeviceCode> shown = new CompletableFuture<>();
        DeviceCodeFlowParameters p = DeviceCodeFlowParameters.builder(Set.of("User.Read"), code -> {
            shown.complete(code);
            // The person reaches the page a moment later, so MSAL's first poll is still pending.
            person(() -> completeInBrowser(code, true), 500);
        }).build();
        IAuthenticationResult result;
        try {
            result = desktop().acquireToken(p).get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("browser step: " + BROWSER_FAILURE.getNow(null), BROWSER_FAILURE.getNow(e));
        }

        DeviceCode code = shown.get();
        assertThat(code.verificationUri()).isEqualTo(server.baseUrl() + "/devicelogin");
        assertThat(code.message()).contains(code.userCode()).contains(code.verificationUri());
        assertThat(code.interval()).isEqualTo(5);
        assertThat(code.expiresIn()).isEqualTo(900);
        assertThat(chromium.text()).contains("You have signed in to Fabrikam Desktop");
        assertThat(SignedJWT.parse(result.accessToken()).getJWTClaimsSet().getStringClaim("oid")).isEqualTo(TestTenant.ADELE.toString());
        assertThat(result.account().username()).isEqualTo(TestTenant.ADELE_UPN);
    }

    @Test
    void aDeclineEndsMsalsFlowWithAuthorizationDeclined() {
        DeviceCodeFlowParameters p = DeviceCodeFlowParameters.builder(Set.of("User.Read"),
                code -> person(() -> completeInBrowser(code, false), 200)).build();
        Throwable t = catchThrowable(() -> desktop().acquireToken(p).get(60, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class);
        assertThat(t.getCause()).isInstanceOf(MsalServiceException.class);
        assertThat(((MsalServiceException) t.getCause()).errorCode()).isEqualTo("authorization_declined");
        EXERCISED.add(Cause.DEVICE_AUTHORIZATION_DECLINED);
    }

    // ---- the poll on the wire ------------------------------------------------------------------------

    static JsonNode json(HttpResponse<String> r) {
        try {
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(r.body(), e);
        }
    }

    static JsonNode startFlow() {
        HttpResponse<String> r = server.postForm("/" + TENANT + "/oauth2/v2.0/devicecode", FormBrowser.encode(Map.of(
                "client_id", TestTenant.PUBLIC_APP.toString(), "scope", "openid offline_access User.Read")));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json(r);
    }

    static HttpResponse<String> poll(String deviceCode, String grantType) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("grant_type", grantType);
        p.put("client_id", TestTenant.PUBLIC_APP.toString());
        p.put("device_code", deviceCode);
        p.put("scope", "openid offline_access User.Read");
        return server.postForm("/" + TENANT + "/oauth2/v2.0/token", FormBrowser.encode(p));
    }

    static void assertPoll(HttpResponse<String> r, Cause cause) {
        EXERCISED.add(cause);
        JsonNode body = json(r);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(body.path("error").asText()).isEqualTo(cause.error());
        assertThat(body.path("error_codes").get(0).asInt()).isEqualTo(cause.code());
        assertThat(server.consentry().traces().find(body.path("trace_id").asText()))
                .hasValueSatisfying(f -> assertThat(f.cause()).isEqualTo(cause.slug()));
    }

    @Test
    void pendingThenSlowDownThenTokensOnceUnderEitherGrantTypeName() {
        JsonNode flow = startFlow();
        String deviceCode = flow.path("device_code").asText();
        assertPoll(poll(deviceCode, "urn:ietf:params:oauth:grant-type:device_code"), Cause.DEVICE_AUTHORIZATION_PENDING);
        assertPoll(poll(deviceCode, "device_code"), Cause.DEVICE_SLOW_DOWN);

        FormBrowser person = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> page = person.get("/devicelogin");
        HttpResponse<String> confirm = person.submit(page, Map.of("user_code", flow.path("user_code").asText()));
        assertThat(confirm.body()).contains("Fabrikam Desktop");
        HttpResponse<String> username = person.submit(confirm, Map.of("step", "confirm"));
        HttpResponse<String> done = person.signIn(username, TestTenant.ADELE_UPN, TestTenant.ADELE_PASSWORD);
        assertThat(done.body()).contains("You have signed in");

        HttpResponse<String> tokens = poll(deviceCode, "device_code");
        assertThat(tokens.statusCode()).as(tokens.body()).isEqualTo(200);
        assertThat(json(tokens).path("refresh_token").asText()).isNotBlank();
        assertPoll(poll(deviceCode, "device_code"), Cause.DEVICE_CODE_INVALID);
        assertPoll(poll("not-a-device-code", "device_code"), Cause.DEVICE_CODE_INVALID);
    }

    @Test
    void anExpiredCodeIsRefusedAtThePollAndOnThePage() {
        Instant issued = Instant.now().minus(Duration.ofMinutes(16));
        String deviceCode = "expired-" + System.nanoTime();
        server.consentry().store().deviceCodes().save(new DeviceCodeRecord(DeviceAuthorizations.hash(deviceCode), "XXXXXXXX2",
                TENANT, TestTenant.PUBLIC_APP, "User.Read", issued, issued.plus(DeviceAuthorizations.LIFETIME), 5, null,
                DeviceCodeRecord.Status.PENDING, null, null, null));
        assertPoll(poll(deviceCode, "device_code"), Cause.DEVICE_CODE_EXPIRED);

        FormBrowser person = new FormBrowser(server.baseUrl(), server.sslContext());
        HttpResponse<String> refused = person.submit(person.get("/devicelogin"), Map.of("user_code", "XXXXXXXX2"));
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("AADSTS70020");
        HttpResponse<String> unknown = person.submit(person.get("/devicelogin"), Map.of("user_code", "NOPE"));
        assertThat(unknown.body()).contains("AADSTS70018");
    }

    @Test
    void theVerificationPageRefusesFormsFromElsewhere() {
        JsonNode flow = startFlow();
        Map<String, String> forged = Map.of("step", "cancel", "user_code", flow.path("user_code").asText(), "csrf", "forged");
        FormBrowser victim = new FormBrowser(server.baseUrl(), server.sslContext());
        victim.get("/devicelogin");
        HttpResponse<String> r = victim.post("/devicelogin", forged);
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).contains("AADSTS" + Cause.FORM_TOKEN_INVALID.code());
        // The forged cancel changed nothing: the device is still pending.
        assertPoll(poll(flow.path("device_code").asText(), "device_code"), Cause.DEVICE_AUTHORIZATION_PENDING);
    }

    @Test
    void deviceCodeRequestErrorsHaveTheStsShape() {
        HttpResponse<String> noClient = server.postForm("/" + TENANT + "/oauth2/v2.0/devicecode", "scope=User.Read");
        assertThat(json(noClient).path("error_codes").get(0).asInt()).isEqualTo(900144);
        HttpResponse<String> noTenant = server.postForm("/nowhere.example/oauth2/v2.0/devicecode",
                "client_id=" + TestTenant.PUBLIC_APP + "&scope=User.Read");
        assertThat(json(noTenant).path("error_codes").get(0).asInt()).isEqualTo(90002);
        HttpResponse<String> get = server.get("/" + TENANT + "/oauth2/v2.0/devicecode");
        assertThat(json(get).path("error_codes").get(0).asInt()).isEqualTo(900561);
    }

    @Test
    void thirtyWrongCodesFromOneAddressStopThePageForEveryBrowserThereAndAWrongCodeBeforeThatIsOnlyWrong() {
        // A server of its own: the lock it sets on 127.0.0.1 would stop the other tests' browsers for a minute.
        try (RunningConsentry own = RunningConsentry.start()) {
            FormBrowser first = new FormBrowser(own.baseUrl(), own.sslContext());
            HttpResponse<String> wrong = first.submit(first.get("/devicelogin"), Map.of("user_code", "NOSUCH1"));
            assertThat(wrong.statusCode()).isEqualTo(400);
            assertThat(wrong.body()).contains("Invalid verification code.");
            HttpResponse<String> last = wrong;
            for (int i = 2; i <= 30; i++) {
                FormBrowser another = new FormBrowser(own.baseUrl(), own.sslContext()); // a new browser each time
                last = another.submit(another.get("/devicelogin"), Map.of("user_code", "NOSUCH" + i));
            }
            assertThat(last.statusCode()).as("the thirtieth from 127.0.0.1").isEqualTo(429);
            FormBrowser fresh = new FormBrowser(own.baseUrl(), own.sslContext());
            HttpResponse<String> refused = fresh.submit(fresh.get("/devicelogin"), Map.of("user_code", "ANYCODE"));
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.body()).contains("Too many codes were tried.");
            EXERCISED.add(Cause.USER_CODE_ATTEMPTS);
        }
    }
}
