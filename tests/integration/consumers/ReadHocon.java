// Reads a jicofo.conf the way Jicofo does (Typesafe Config: parse, then resolve) and
// prints jicofo.authentication.* as one line of JSON, each value read with the getter
// Jicofo uses for it; null when the path is absent.
//
//   java ReadHocon FILE                 the file, with what it includes
//   java ReadHocon --over CUSTOM BASE   CUSTOM over BASE, as HOCON merges an include
//                                       at the end of BASE
//
// Jicofo's reference.conf (inside jicofo.jar) sits below the file; its defaults for
// this block are restated here, so a removed key reads as Jicofo would read it.
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

public class ReadHocon {
  private static final String REFERENCE =
      "jicofo.authentication { enabled = false, type = NONE,"
          + " authentication-lifetime = 24 hours, enable-auto-login = true }";

  public static void main(String[] args) {
    Config file;
    if (args.length == 3 && args[0].equals("--over")) {
      file = ConfigFactory.parseFile(new File(args[1]))
                 .withFallback(ConfigFactory.parseFile(new File(args[2])));
    } else if (args.length == 1) {
      file = ConfigFactory.parseFile(new File(args[0]));
    } else {
      System.err.println("usage: ReadHocon FILE | ReadHocon --over CUSTOM BASE");
      System.exit(2);
      return;
    }
    Config config = file.withFallback(ConfigFactory.parseString(REFERENCE)).resolve();
    Config auth = config.getConfig("jicofo.authentication");

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("enabled", auth.getBoolean("enabled"));
    out.put("type", auth.getString("type"));
    out.put("login-url", auth.hasPath("login-url") ? auth.getString("login-url") : null);
    out.put("enable-auto-login", auth.getBoolean("enable-auto-login"));
    out.put("authentication-lifetime-seconds",
        auth.getDuration("authentication-lifetime", TimeUnit.SECONDS));
    // How many top-level keys the file has under jicofo, to see nothing was lost.
    out.put("jicofo-keys", file.hasPath("jicofo") ? file.getConfig("jicofo").root().keySet()
                                                  : java.util.Collections.emptySet());
    System.out.println(
        ConfigValueFactory.fromAnyRef(out).render(ConfigRenderOptions.concise()));
  }
}
