package dev.consentry.core.explain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DidYouMeanTest {
    static final List<String> NAMES = List.of("User.Read", "User.Read.All", "Mail.Send", "Mail.Read");

    @Test
    void theNearestNameWithinATypoIgnoringCase() {
        assertThat(DidYouMean.nearest("user.reed.all", NAMES)).contains("User.Read.All");
        assertThat(DidYouMean.nearest("Mail.Sned", NAMES)).contains("Mail.Send");
        assertThat(DidYouMean.nearest("mail.read", NAMES)).as("an exact match in another case").contains("Mail.Read");
    }

    @Test
    void nothingWhenNoNameIsThatNear() {
        assertThat(DidYouMean.nearest("Calendars.ReadWrite", NAMES)).isEmpty();
        assertThat(DidYouMean.nearest("ab", List.of("xy"))).as("short names allow one edit").isEmpty();
        assertThat(DidYouMean.suffix("Calendars.ReadWrite", NAMES)).isEmpty();
        assertThat(DidYouMean.suffix("Mail.Sned", NAMES)).isEqualTo("; did you mean Mail.Send?");
    }

    @Test
    void aTieGoesToTheFirstAndNullsAreSkipped() {
        assertThat(DidYouMean.nearest("Mail.Rend", Arrays.asList(null, "Mail.Send", "Mail.Read"))).contains("Mail.Send");
    }
}
