package dev.consentry.server.page;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.decoder.Decoder;
import dev.consentry.core.secret.Totp;
import org.junit.jupiter.api.Test;

/** The page's QR code reads back, with ZXing's own decoder, as the otpauth URI it was made of. */
class QrCodeTest {

    @Test
    void theRunsDrawACodeThatDecodesToTheUriWithAFourModuleQuietZone() throws Exception {
        String uri = Totp.uri("Fabrikam (test)", "megan@fabrikam.onmicrosoft.com", Totp.newSecret());
        QrCode qr = QrCode.of(uri);
        int modules = qr.size() - 8;
        BitMatrix drawn = new BitMatrix(modules);
        for (QrCode.Run r : qr.runs()) {
            assertThat(r.x()).as("left quiet zone").isGreaterThanOrEqualTo(4);
            assertThat(r.x() + r.length()).as("right quiet zone").isLessThanOrEqualTo(qr.size() - 4);
            assertThat(r.y()).as("top and bottom quiet zones").isBetween(4, qr.size() - 5);
            drawn.setRegion(r.x() - 4, r.y() - 4, r.length(), 1);
        }
        assertThat(new Decoder().decode(drawn).getText()).isEqualTo(uri);
    }
}
