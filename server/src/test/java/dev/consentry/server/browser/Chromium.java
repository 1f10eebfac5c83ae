package dev.consentry.server.browser;

import dev.consentry.server.testing.RunningConsentry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * A headless Debian Chromium driven through chromedriver, for tests that go through Consentry's pages as a
 * user would. Each instance has its own empty profile (deleted on {@link #close()}), so cookies never leak
 * between tests.
 *
 * <p>TLS: the browser trusts exactly one server key, the one of the certificate given to the constructor,
 * through {@code --ignore-certificate-errors-spki-list}; every other certificate still fails with Chromium's
 * usual error page. The local CA is not installed anywhere and certificate errors are not switched off.
 *
 * <p>Nothing is downloaded: the driver and the browser are named explicitly, so Selenium Manager (which
 * would otherwise look them up and fetch them) is skipped. When either program is missing the constructor
 * throws, so a machine without them fails the browser tests instead of skipping them.
 */
public final class Chromium implements AutoCloseable, AfterAllCallback {
    /** Debian's launcher (package {@code chromium}); it sources {@code /etc/chromium.d} and runs the browser. */
    public static final Path BROWSER = Path.of("/usr/bin/chromium");
    /** Debian's chromedriver (package {@code chromium-driver}), built from the same Chromium release. */
    public static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String WINDOW_SIZE = "1280,900";
    private static final Duration PAGE_LOAD_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration DRIVER_START_TIMEOUT = Duration.ofSeconds(20);

    private final Path workDir;
    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Duration startupTime;
    private WebElement lastFilled;
    /** How long {@link #fill} waits for a field of a page that is still loading. */
    private static final Duration FIELD_WAIT = Duration.ofSeconds(10);

    /** A browser that trusts the public key of {@code serverCertificate}, and nothing else that the system does not. */
    public Chromium(X509Certificate serverCertificate) {
        requireInstalled();
        // Selenium Manager only runs when no driver path is known; these make sure that, were it ever reached,
        // it would neither download nor report usage (Selenium passes SE_* properties to it as its settings).
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, DRIVER.toString());
        System.setProperty("SE_AVOID_STATS", "true");
        System.setProperty("SE_OFFLINE", "true");
        long start = System.nanoTime();
        try {
            workDir = Files.createTempDirectory("consentry-chromium-");
        } catch (IOException e) {
            throw new IllegalStateException("could not create a profile folder for Chromium", e);
        }
        Path log = workDir.resolve("chromedriver.log");
        service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(DRIVER_START_TIMEOUT)
                .withLogFile(log.toFile())
                .build();
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER.toFile())
                .addArguments(arguments(workDir.resolve("profile"), serverCertificate));
        options.setAcceptInsecureCerts(false);
        ChromeDriver started;
        try {
            started = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            String tail = tail(log);
            deleteQuietly(workDir);
            throw new IllegalStateException("Chromium did not start through " + DRIVER + ": " + e.getMessage()
                    + (tail.isEmpty() ? "" : "\nchromedriver log (end):\n" + tail), e);
        }
        driver = started;
        driver.manage().timeouts().pageLoadTimeout(PAGE_LOAD_TIMEOUT);
        startupTime = Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * A browser for {@code server}: its certificate is the one the server presents in a TLS handshake, checked
     * against the server's CA (the server does not hand out its certificate otherwise).
     */
    public static Chromium trusting(RunningConsentry server) {
        return new Chromium(presentedCertificate("localhost", server.consentry().port(), server.sslContext()));
    }

    /** The command-line switches given to Chromium (chromedriver adds its own automation switches). */
    static List<String> arguments(Path profile, X509Certificate serverCertificate) {
        return List.of(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--user-data-dir=" + profile,
                "--window-size=" + WINDOW_SIZE,
                "--ignore-certificate-errors-spki-list=" + spkiHash(serverCertificate));
    }

    /** Base64 of the SHA-256 of the certificate's SubjectPublicKeyInfo (DER): the form Chromium's switch takes. */
    public static String spkiHash(X509Certificate certificate) {
        try {
            byte[] spki = certificate.getPublicKey().getEncoded(); // X.509 encoding of a public key = SubjectPublicKeyInfo
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(spki));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The leaf certificate {@code host:port} presents, from a handshake that validates the chain against
     * {@code trust} and checks that the certificate names {@code host}.
     */
    public static X509Certificate presentedCertificate(String host, int port, SSLContext trust) {
        try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket()) {
            SSLParameters params = socket.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!host.matches("[0-9.]+") && !host.contains(":")) {
                params.setServerNames(List.of(new SNIHostName(host)));
            }
            socket.setSSLParameters(params);
            socket.connect(new InetSocketAddress(host, port), 5_000);
            socket.setSoTimeout(5_000);
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return (X509Certificate) chain[0];
        } catch (IOException e) {
            throw new IllegalStateException("could not read the TLS certificate of " + host + ":" + port, e);
        }
    }

    private static void requireInstalled() {
        List<String> missing = Stream.of(BROWSER, DRIVER).filter(p -> !Files.isExecutable(p)).map(Path::toString).toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("browser tests need " + BROWSER + " and " + DRIVER + " (Debian packages chromium"
                    + " and chromium-driver) but " + String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are")
                    + " missing; .ci/run installs them");
        }
    }

    /** The Selenium driver, for what the helpers below do not cover. */
    public WebDriver driver() {
        return driver;
    }

    /** How long starting chromedriver and the browser took (profile folder included). */
    public Duration startupTime() {
        return startupTime;
    }

    /** Loads {@code url} and waits for the page (or Chromium's error page) to finish loading. */
    /**
     * MSAL4J's interactive flow with this browser as the system browser: the account picker's username page, then
     * the password page, for {@code upn}; MSAL reads the posted answer on its loopback listener.
     */
    public com.microsoft.aad.msal4j.IAuthenticationResult signIn(com.microsoft.aad.msal4j.PublicClientApplication app,
                                                                  Set<String> scopes, String upn, String password) throws Exception {
        var parameters = com.microsoft.aad.msal4j.InteractiveRequestParameters.builder(new java.net.URI("http://localhost"))
                .scopes(scopes).prompt(com.microsoft.aad.msal4j.Prompt.SELECT_ACCOUNT)
                .systemBrowserOptions(com.microsoft.aad.msal4j.SystemBrowserOptions.builder().openBrowserAction(url -> {
                    open(url.toString());
                    fill("username", upn);
                    submit();
                    fill("password", password);
                    submit();
                }).build()).build();
        return app.acquireToken(parameters).get(60, java.util.concurrent.TimeUnit.SECONDS);
    }

    public void open(String url) {
        lastFilled = null;
        driver.get(url);
    }

    /** The cookies the browser holds for the current page's origin, with their attributes. */
    public Set<Cookie> cookies() {
        return driver.manage().getCookies();
    }

    /**
     * What {@code find} finds, waiting up to the field wait for it to appear: a click or submit that loads the next page
     * returns before that page has loaded. Empty when it never appears.
     */
    private List<WebElement> await(java.util.function.Supplier<List<WebElement>> find) {
        long deadline = System.nanoTime() + FIELD_WAIT.toNanos();
        List<WebElement> found = find.get();
        while (found.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            found = find.get();
        }
        return found;
    }

    /** Replaces the value of the form field named {@code name}, typing {@code value} as a user would. */
    public void fill(String name, String value) {
        List<WebElement> fields = await(() -> driver.findElements(By.name(name)));
        if (fields.isEmpty()) {
            throw new IllegalStateException("no field named '" + name + "' on " + driver.getCurrentUrl() + ":\n" + text());
        }
        WebElement field = fields.getFirst();
        field.clear();
        field.sendKeys(value);
        lastFilled = field;
    }

    /**
     * Submits the form of the last filled field, or the page's only form: by clicking its first submit button
     * when it has one (so the button's name and value are sent, as for a user), else as pressing Enter would.
     */
    public void submit() {
        WebElement form = formToSubmit();
        List<WebElement> buttons = form.findElements(By.cssSelector(
                "button[type=submit], button:not([type]), input[type=submit]"));
        lastFilled = null;
        if (buttons.isEmpty()) {
            ((JavascriptExecutor) driver).executeScript("arguments[0].requestSubmit();", form);
        } else {
            buttons.getFirst().click();
        }
    }

    private WebElement formToSubmit() {
        if (lastFilled != null) {
            List<WebElement> own = lastFilled.findElements(By.xpath("ancestor::form"));
            if (!own.isEmpty()) {
                return own.getLast();
            }
        }
        List<WebElement> forms = driver.findElements(By.tagName("form"));
        if (forms.size() != 1) {
            throw new IllegalStateException(forms.size() + " forms on " + driver.getCurrentUrl()
                    + "; fill a field of the one to submit first, or click its button");
        }
        return forms.getFirst();
    }

    /**
     * Clicks the element with id {@code textOrId}, or else the button, submit input or link whose visible text
     * (or, for an input, value) is {@code textOrId}.
     */
    public void click(String textOrId) {
        String t = xpathLiteral(textOrId);
        By byText = By.xpath("//button[normalize-space(.)=" + t + "]"
                + " | //input[(@type='submit' or @type='button') and @value=" + t + "]"
                + " | //a[normalize-space(.)=" + t + "]");
        List<WebElement> found = await(() -> {
            List<WebElement> byId = driver.findElements(By.id(textOrId));
            return byId.isEmpty() ? driver.findElements(byText) : byId;
        });
        if (found.isEmpty()) {
            throw new IllegalStateException("no element with id or text '" + textOrId + "' on " + driver.getCurrentUrl());
        }
        WebElement target = found.getFirst();
        lastFilled = null;
        target.click();
    }

    /**
     * Waits (up to the field wait) until the page shows {@code text}, for a page reached by a click that returns
     * before the next page has loaded; fails with the page's text otherwise.
     */
    public void awaitText(String text) {
        long deadline = System.nanoTime() + FIELD_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (text().contains(text)) {
                    return;
                }
            } catch (org.openqa.selenium.WebDriverException e) {
                // The page is being replaced; look again.
            }
            try {
                Thread.sleep(25);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("'" + text + "' not shown on " + driver.getCurrentUrl() + ":\n" + text());
    }

    /**
     * Saves what the window shows as a PNG at {@code file} (folders created), for the pictures of pages in the
     * project's docs, which the tests that reach those pages keep current.
     */
    public void screenshot(java.nio.file.Path file) {
        byte[] png = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(org.openqa.selenium.OutputType.BYTES);
        try {
            java.nio.file.Files.createDirectories(file.toAbsolutePath().getParent());
            java.nio.file.Files.write(file, png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The current document as Chromium serializes it (for a JSON response: the JSON inside Chromium's viewer). */
    public String pageSource() {
        return driver.getPageSource();
    }

    /** The text a user sees in the page body (for a JSON response: the JSON itself). */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    /** Ends the browser after the tests of the class that registered it as an extension. */
    @Override
    public void afterAll(ExtensionContext context) {
        // @Nested classes inherit the extension; only the outermost class's end closes the browser.
        if (context.getParent().flatMap(ExtensionContext::getTestClass).isEmpty()) {
            close();
        }
    }

    /** Ends the browser and chromedriver and deletes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteQuietly(workDir);
        }
    }

    /** An XPath string literal for {@code s}, whatever quotes it holds. */
    private static String xpathLiteral(String s) {
        if (!s.contains("'")) {
            return "'" + s + "'";
        }
        if (!s.contains("\"")) {
            return "\"" + s + "\"";
        }
        return "concat('" + s.replace("'", "', \"'\", '") + "')";
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // A file the exiting browser still writes: the temporary folder is the system's to clean.
                }
            });
        } catch (IOException e) {
            // Already gone, or unreadable: nothing more to do.
        }
    }
}
