package dev.consentry.cli;

import dev.consentry.identity.key.CertificateIssuer;
import dev.consentry.server.admin.ServerFile;
import dev.consentry.server.tls.TlsMaterial;
import dev.consentry.store.Store;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code consentry ca renew}: the local certificate authority behind Consentry's TLS, replaced on request. */
@Command(name = "ca", mixinStandardHelpOptions = true, description = "Manage the local certificate authority behind HTTPS.",
        subcommands = {CaCommand.Renew.class})
final class CaCommand {

    /**
     * A new local CA that may vouch only for {@code localhost}, the loopback addresses and the hosts given, in place of
     * the old one (one made before name constraints, or one that does not cover a new {@code --public-base-url}).
     */
    @Command(name = "renew", mixinStandardHelpOptions = true,
            description = "Replace the local CA with a new one limited to localhost, the loopback addresses and the hosts "
                    + "of --host and --public-base-url. Every client that trusted the old ca.pem must trust the new one.")
    static final class Renew implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions storeOptions;

        @Option(names = "--host", paramLabel = "HOST", description = "The address serve binds, when it is not a loopback one.")
        String host;

        @Option(names = "--public-base-url", paramLabel = "URL", description = "The origin serve publishes (--public-base-url).")
        URI publicBaseUrl;

        @Override
        public Integer call() {
            ServerFile.read(storeOptions.dataDir).filter(ServerFile::processAlive).ifPresent(running -> {
                throw new Main.UserError("a Consentry (pid " + running.pid() + ") serves " + storeOptions.dataDir
                        + " with the current CA; stop it, renew, then start it again");
            });
            if (publicBaseUrl != null && publicBaseUrl.getHost() == null) {
                throw new Main.UserError("--public-base-url needs a host, as https://login.build.example:8443 has");
            }
            Set<String> hosts = new LinkedHashSet<>();
            Optional.ofNullable(host).ifPresent(hosts::add);
            Optional.ofNullable(publicBaseUrl).map(URI::getHost).ifPresent(hosts::add);
            storeOptions.securePrivately(spec.commandLine().getErr());
            X509Certificate ca;
            try (Store store = storeOptions.openExisting()) {
                ca = TlsMaterial.renewAuthority(store.localAuthority(), Optional.of(storeOptions.dataDir), hosts,
                        Clock.systemUTC().instant());
            }
            spec.commandLine().getOut().println("New local CA, which may vouch only for " + CertificateIssuer.describeScope(ca)
                    + ". Trust " + storeOptions.dataDir.resolve(TlsMaterial.CA_FILE).toAbsolutePath().normalize()
                    + " again: clients that trusted the old one refuse this server until they do.");
            return 0;
        }
    }
}
