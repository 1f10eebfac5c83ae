package dev.consentry.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Microsoft's "who can reset passwords" table, as the built-in rules apply it. */
class PasswordResetRulesTest {
    static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
    static final String PRIVILEGED_AUTH_ADMIN = "7be44c8a-adaf-4e2a-84d6-ab2649e08a13";
    static final String AUTH_ADMIN = "c4e39bd9-1100-46d3-8c65-fb160da0071f";
    static final String HELPDESK_ADMIN = "729827e3-9c14-49f7-bb1b-9608f156bbb8";
    static final String USER_ADMIN = "fe930be7-5e62-47db-91af-98c3a49a38b1";
    static final String DIRECTORY_READERS = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b";
    static final String EXCHANGE_ADMIN = "29232cdf-9323-42fd-ade2-1d097af3e4de";
    final PasswordResetRules rules = PasswordResetRules.builtin();

    @Test
    void aUserWithoutRolesIsResettableByEveryResetterRoleAndNotByNobody() {
        assertThat(rules.mayReset(List.of(AUTH_ADMIN), List.of())).isTrue();
        assertThat(rules.mayReset(List.of(HELPDESK_ADMIN), List.of())).isTrue();
        assertThat(rules.mayReset(List.of(), List.of())).isFalse();
        assertThat(rules.mayReset(List.of(DIRECTORY_READERS), List.of())).isFalse();
    }

    @Test
    void privilegedTargetsNeedPrivilegedResetters() {
        assertThat(rules.mayReset(List.of(AUTH_ADMIN), List.of(GLOBAL_ADMIN))).isFalse();
        assertThat(rules.mayReset(List.of(PRIVILEGED_AUTH_ADMIN), List.of(GLOBAL_ADMIN))).isTrue();
        assertThat(rules.mayReset(List.of(GLOBAL_ADMIN), List.of(GLOBAL_ADMIN))).isTrue();
        assertThat(rules.mayReset(List.of(HELPDESK_ADMIN), List.of(DIRECTORY_READERS))).isTrue();
    }

    @Test
    void everyRoleOfTheTargetMustAdmitTheResetterAndUnlistedRolesAdmitOnlyTheTopTwo() {
        assertThat(rules.mayReset(List.of(HELPDESK_ADMIN), List.of(DIRECTORY_READERS, USER_ADMIN))).isFalse();
        assertThat(rules.mayReset(List.of(USER_ADMIN), List.of(EXCHANGE_ADMIN))).isFalse();
        assertThat(rules.resettersOf(List.of(EXCHANGE_ADMIN))).containsExactlyInAnyOrderElementsOf(PasswordResetRules.TOP);
    }
}
