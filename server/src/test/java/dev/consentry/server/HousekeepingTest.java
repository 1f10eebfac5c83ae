package dev.consentry.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.id.AppId;
import dev.consentry.core.id.ObjectId;
import dev.consentry.core.id.TenantId;
import dev.consentry.core.session.AuthContext;
import dev.consentry.core.session.AuthorizationCodeRecord;
import dev.consentry.core.session.DeviceCodeRecord;
import dev.consentry.store.memory.InMemoryStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Expired codes leave the store after the grace period, and not before. */
class HousekeepingTest {
    static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
    static final TenantId TENANT = TenantId.of("5f0e1c2d-3a4b-4c5d-8e6f-7a8b9c0d1e2f");
    static final AppId CLIENT = AppId.of("66666666-7777-4888-8999-aaaaaaaaaaaa");

    static AuthorizationCodeRecord code(String hash, Instant expires) {
        return new AuthorizationCodeRecord(hash, TENANT, CLIENT, ObjectId.random(), "http://localhost", "User.Read", null, null,
                null, AuthContext.password(expires.minusSeconds(600)), expires.minusSeconds(600), expires, null, null);
    }

    static DeviceCodeRecord device(String hash, String userCode, Instant expires) {
        return new DeviceCodeRecord(hash, userCode, "common", CLIENT, "User.Read", expires.minusSeconds(900), expires, 5, null,
                DeviceCodeRecord.Status.PENDING, null, null, null);
    }

    @Test
    void deletesWhatExpiredMoreThanTheGraceAgo() {
        try (InMemoryStore store = new InMemoryStore();
             Housekeeping h = Housekeeping.start(store, Clock.fixed(NOW, ZoneOffset.UTC))) {
            Instant longAgo = NOW.minus(Housekeeping.GRACE).minus(Duration.ofSeconds(1));
            Instant recently = NOW.minus(Housekeeping.GRACE).plus(Duration.ofSeconds(1));
            store.authorizationCodes().save(code("old", longAgo));
            store.authorizationCodes().save(code("recent", recently));
            store.deviceCodes().save(device("old-device", "BCDFGHJKL", longAgo));
            store.deviceCodes().save(device("recent-device", "BCDFGHJKM", recently));

            assertThat(h.runOnce(NOW)).isEqualTo(2);
            assertThat(store.authorizationCodes().redeem("old", NOW)).isEmpty();
            assertThat(store.authorizationCodes().redeem("recent", NOW)).isPresent();
            assertThat(store.deviceCodes().findByUserCode("BCDFGHJKL")).isEmpty();
            assertThat(store.deviceCodes().findByUserCode("BCDFGHJKM")).isPresent();
            assertThat(h.runOnce(NOW)).isZero();
        }
    }
}
