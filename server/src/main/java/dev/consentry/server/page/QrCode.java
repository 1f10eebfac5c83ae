package dev.consentry.server.page;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A QR code (ISO/IEC 18004, encoded by ZXing) as the page draws it: a square of {@code size} modules, quiet zone
 * included, and the dark modules as horizontal runs, which the template writes as SVG rectangles inside the page (so no
 * image source has to be allowed by the Content-Security-Policy, and every value stays escaped).
 *
 * <p>Guaranteed: the runs cover exactly the dark modules of the code ZXing encodes for the text, with error correction
 * level M and a quiet zone of four modules, which phone cameras read from a screen.
 */
public record QrCode(int size, List<Run> runs) {
    /** {@code length} dark modules from column {@code x} of row {@code y}. */
    public record Run(int x, int y, int length) {}

    public QrCode {
        runs = List.copyOf(runs);
    }

    /** The code of {@code text}. */
    public static QrCode of(String text) {
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(text, BarcodeFormat.QR_CODE, 0, 0,
                    Map.of(EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M, EncodeHintType.MARGIN, 4));
        } catch (WriterException e) {
            throw new IllegalArgumentException("the text does not fit a QR code (" + text.length() + " characters)", e);
        }
        List<Run> runs = new ArrayList<>();
        for (int y = 0; y < matrix.getHeight(); y++) {
            int x = 0;
            while (x < matrix.getWidth()) {
                if (!matrix.get(x, y)) {
                    x++;
                    continue;
                }
                int start = x;
                while (x < matrix.getWidth() && matrix.get(x, y)) {
                    x++;
                }
                runs.add(new Run(start, y, x - start));
            }
        }
        return new QrCode(matrix.getWidth(), runs);
    }
}
