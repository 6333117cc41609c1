// Reads a sip-communicator.properties the way Jigasi's configuration service does
// (java.util.Properties.load from a byte stream, so ISO-8859-1 plus \\u escapes) and
// prints the keys meetgate sets as one line of JSON; null when a key is absent.
//
//   java ReadProperties FILE
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

public class ReadProperties {
  private static final String[] KEYS = {
    "org.jitsi.jigasi.xmpp.acc.USER_ID",
    "org.jitsi.jigasi.xmpp.acc.PASS",
    "org.jitsi.jigasi.xmpp.acc.ANONYMOUS_AUTH",
    "net.java.sip.communicator.service.gui.ALWAYS_TRUST_MODE_ENABLED",
  };

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: ReadProperties FILE");
      System.exit(2);
    }
    Properties properties = new Properties();
    try (InputStream in = new FileInputStream(args[0])) {
      properties.load(in);
    }
    StringBuilder out = new StringBuilder("{");
    for (int i = 0; i < KEYS.length; ++i) {
      out.append(i == 0 ? "" : ",").append(json(KEYS[i])).append(':');
      String value = properties.getProperty(KEYS[i]);
      out.append(value == null ? "null" : json(value));
    }
    out.append(",\"count\":").append(properties.size()).append('}');
    System.out.println(out);
  }

  // A JSON string; everything outside printable ASCII as \\u escapes.
  private static String json(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c > 0x7e) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
