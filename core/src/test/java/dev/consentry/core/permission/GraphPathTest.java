package dev.consentry.core.permission;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GraphPathTest {

    @Test
    void aPathLosesItsVersionQueryTrailingSlashAndFinalRef() {
        GraphPath p = GraphPath.parse("/v1.0/groups/0a1b/members/$REF/?$top=5#x");
        assertThat(p.version()).isEqualTo("v1.0");
        assertThat(p.segments()).containsExactly("groups", "0a1b", "members");
        assertThat(p.ref()).isTrue();
        assertThat(p.display()).isEqualTo("/v1.0/groups/0a1b/members/$ref");
        assertThat(GraphPath.parse("/BETA/Me").version()).isEqualTo("beta");
        assertThat(GraphPath.parse("/BETA/Me").matchSegments()).containsExactly("me");
        assertThat(GraphPath.parse("/beta").segments()).isEmpty();
        assertThat(GraphPath.parse("/v1.0/users/x/chats/getAllMessages()").matchSegments()).as("a function without parameters")
                .containsExactly("users", "x", "chats", "getallmessages");
        assertThat(GraphPath.parse("/betamax/x").version()).as("only a whole segment is a version").isNull();
    }

    @Test
    void aFullUrlReadsAsItsPath() {
        assertThat(GraphPath.parse("https://graph.microsoft.com/v1.0/users/a%40b.example/messages"))
                .isEqualTo(new GraphPath("v1.0", List.of("users", "a@b.example", "messages"), false));
    }

    @Test
    void segmentsArePercentDecodedButAPlusStaysAPlus() {
        GraphPath p = GraphPath.parse("/v1.0/users/first+last%40contoso.example");
        assertThat(p.namedUser()).contains("first+last@contoso.example");
        assertThat(GraphPath.parse("/v1.0/users/bad%zzname").namedUser()).as("a stray % is kept as sent")
                .contains("bad%zzname");
    }

    @Test
    void meAndNamedUsers() {
        assertThat(GraphPath.parse("/v1.0/me/messages").isMe()).isTrue();
        assertThat(GraphPath.parse("/v1.0/members").isMe()).isFalse();
        assertThat(GraphPath.parse("/v1.0/users").namedUser()).isEmpty();
        assertThat(GraphPath.parse("/v1.0/users/u1/drive").segment(2)).contains("drive");
        assertThat(GraphPath.parse("/v1.0/users//x").segments()).as("an empty segment stays").containsExactly("users", "", "x");
    }

    @Test
    void applicationsAndServicePrincipalsAreNamedByObjectIdOrAppId() {
        assertThat(GraphPath.parse("/v1.0/applications/a1/owners/$ref").namedApp())
                .contains(new GraphPath.NamedApp(false, "a1", false));
        assertThat(GraphPath.parse("/v1.0/ServicePrincipals(AppId='x-1')/addKey").namedApp())
                .contains(new GraphPath.NamedApp(true, "x-1", true));
        assertThat(GraphPath.parse("/v1.0/servicePrincipals/s1").namedApp()).contains(new GraphPath.NamedApp(true, "s1", false));
        assertThat(GraphPath.parse("/v1.0/applications").namedApp()).as("the collection names none").isEmpty();
        assertThat(GraphPath.parse("/v1.0/users/u1").namedApp()).isEmpty();
    }
}
