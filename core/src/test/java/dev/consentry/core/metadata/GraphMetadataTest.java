package dev.consentry.core.metadata;

import static org.assertj.core.api.Assertions.assertThat;

import dev.consentry.core.metadata.GraphMetadata.Resolution;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads the committed metadata resource and resolves paths over it as Graph's URL parser does. */
class GraphMetadataTest {
    private final GraphMetadata metadata = GraphMetadata.v1();

    private Resolution resolve(String path) {
        return metadata.resolve(List.of(path.substring(1).split("/")));
    }

    @Test
    void typesCarryInheritedPropertiesWithTheirTypes() {
        assertThat(metadata.property("user", "accountEnabled")).get()
                .extracting(GraphMetadata.Property::type).isEqualTo("Edm.Boolean");
        assertThat(metadata.property("microsoft.graph.user", "ID")).as("inherited from entity, any case").get()
                .extracting(GraphMetadata.Property::name).isEqualTo("id");
        assertThat(metadata.property("user", "businessPhones")).get()
                .satisfies(p -> assertThat(p.collection()).isTrue());
        assertThat(metadata.property("user", "manager")).get()
                .satisfies(p -> assertThat(p.navigation()).isTrue());
        assertThat(metadata.property("user", "noSuchThing")).isEmpty();
        assertThat(metadata.isA("group", "directoryObject")).isTrue();
        assertThat(metadata.derived("directoryObject")).contains("user", "group", "servicePrincipal");
    }

    @Test
    void singletonsEntitySetsAndTheirPathsAreKnown() {
        assertThat(resolve("/drive")).isEqualTo(new Resolution.Known("drive", false));
        assertThat(resolve("/drive/root/children")).isEqualTo(new Resolution.Known("driveItem", true));
        assertThat(resolve("/users")).isEqualTo(new Resolution.Known("user", true));
        assertThat(resolve("/Users/abc/MemberOf")).isEqualTo(new Resolution.Known("directoryObject", true));
        assertThat(resolve("/users/abc/memberOf/microsoft.graph.group"))
                .isEqualTo(new Resolution.Known("group", true));
        assertThat(resolve("/me/passwordProfile")).isEqualTo(new Resolution.Known("passwordProfile", false));
        assertThat(resolve("/me/displayName/$value")).isEqualTo(new Resolution.Known(null, false));
        assertThat(resolve("/users/$count")).isEqualTo(new Resolution.Known(null, false));
        assertThat(resolve("/groups/g/members/$ref")).isEqualTo(new Resolution.Known("directoryObject", true));
        assertThat(resolve("/applications(appId='x')")).isEqualTo(new Resolution.Known("application", false));
    }

    @Test
    void boundOperationsEndTheWalk() {
        assertThat(resolve("/users/delta()")).isEqualTo(new Resolution.Known(null, false));
        assertThat(resolve("/me/sendMail")).isEqualTo(new Resolution.Known(null, false));
        assertThat(resolve("/me/microsoft.graph.sendMail")).isEqualTo(new Resolution.Known(null, false));
        assertThat(resolve("/users/u/revokeSignInSessions")).isEqualTo(new Resolution.Known(null, false));
    }

    @Test
    void theFirstUnknownSegmentIsNamedAsSent() {
        assertThat(resolve("/identityRiskEvents")).isEqualTo(new Resolution.Unknown(0, "identityRiskEvents", null));
        assertThat(resolve("/auditLog/signIns")).isEqualTo(new Resolution.Unknown(0, "auditLog", null));
        assertThat(resolve("/me/mesages")).isEqualTo(new Resolution.Unknown(1, "mesages", "user"));
        assertThat(resolve("/me/displayName/x")).isEqualTo(new Resolution.Unknown(2, "x", null));
        assertThat(resolve("/users/$count/x")).isEqualTo(new Resolution.Unknown(2, "x", null));
        assertThat(metadata.segmentNames("user")).contains("messages", "sendMail", "id");
        assertThat(metadata.segmentNames(null)).contains("me", "users", "drive");
    }
}
