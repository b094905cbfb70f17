import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.io.BufferedInputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The chart oracle's reader: how the StackState server's config library (Lightbend config) reads
 * an {@code application_stackstate.conf} that a real Helm chart rendered. One JVM answers a whole
 * batch. Compiled together with {@link HoconOracle}, whose includer, input framing and JSON writer
 * it shares.
 *
 * <p>The 2.x charts write secrets as substitutions ({@code ${bootstrap_token}}) and hand the auth
 * Secret to the pod as environment variables; Lightbend falls back to the environment for a
 * substitution the file does not define. Here the request's substitutions play that part, as a
 * fallback object with literal keys; the real environment is never consulted ({@code noSystem})
 * and every include is refused. The request's defaults stand for the server's built-in
 * configuration, which the 5.1 chart's self-referencing role lists extend; they are the lowest
 * fallback.
 *
 * <p>Input on stdin (every length a byte count of UTF-8 text, so any text passes unchanged):
 *
 * <pre>
 *   request := "CONFIG " n-substitutions " " n-queries "\n" text(config) text(defaults)
 *              (text(name) text(value))* (kind "\n" text(path))*
 *   text    := length "\n" bytes
 *   kind    := "value" | "string" | "string_list" | "int" | "boolean" | "duration_ms"
 *            | "object" | "object_list" | "object_or_list"
 * </pre>
 *
 * <p>Output on stdout, one ASCII JSON line per request, in order:
 *
 * <pre>
 *   {"stage": "ok", "answers": [answer, ...]}
 *   {"stage": "parse" | "resolve" | "crash", "error": msg, "error_type": cls, "line": n|null,
 *    "answers": []}
 *   answer := {"ok": true, "type": "STRING", "value": json}
 *           | {"ok": false, "missing": true}
 *           | {"ok": false, "missing": false, "error": msg, "error_type": cls}
 * </pre>
 */
public final class ServerConfigReader {

    private ServerConfigReader() {}

    private static final ConfigParseOptions PARSE_OPTIONS =
            ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription("application_stackstate.conf")
                    .setAllowMissing(false)
                    .setIncluder(new HoconOracle.RefusingIncluder());

    public static void main(String[] args) throws IOException {
        InputStream in = new BufferedInputStream(System.in, 1 << 16);
        PrintStream out =
                new PrintStream(
                        new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);
        String header;
        while ((header = HoconOracle.readLine(in)) != null) {
            String[] parts = header.split(" ");
            if (parts.length != 3 || !parts[0].equals("CONFIG")) {
                throw new IOException("bad request header: " + header);
            }
            int substitutions = Integer.parseInt(parts[1]);
            int queries = Integer.parseInt(parts[2]);
            String config = text(in);
            String defaults = text(in);
            Map<String, Object> environment = new LinkedHashMap<>();
            for (int i = 0; i < substitutions; i++) {
                String name = text(in);
                environment.put(name, text(in));
            }
            String[] kinds = new String[queries];
            String[] paths = new String[queries];
            for (int i = 0; i < queries; i++) {
                kinds[i] = HoconOracle.requireLine(in);
                paths[i] = text(in);
            }
            StringBuilder sb = new StringBuilder();
            answer(sb, config, defaults, environment, kinds, paths);
            out.print(sb);
            out.print('\n');
        }
        out.flush();
    }

    static String text(InputStream in) throws IOException {
        return HoconOracle.readText(in, Integer.parseInt(HoconOracle.requireLine(in)));
    }

    /** Parses and resolves one config, then answers its queries into {@code sb}. */
    static void answer(
            StringBuilder sb,
            String text,
            String defaults,
            Map<String, Object> environment,
            String[] kinds,
            String[] paths) {
        Config config;
        try {
            config = ConfigFactory.parseString(text, PARSE_OPTIONS);
        } catch (ConfigException e) {
            HoconOracle.failure(sb, "parse", e);
            return;
        } catch (RuntimeException | StackOverflowError e) {
            HoconOracle.failure(sb, "crash", e);
            return;
        }
        try {
            // fromMap takes keys literally (not as paths), as environment variable names are.
            Config fallback = ConfigValueFactory.fromMap(environment).toConfig();
            Config builtIn = ConfigFactory.parseString(defaults, PARSE_OPTIONS);
            config =
                    config.withFallback(fallback)
                            .withFallback(builtIn)
                            .resolve(ConfigResolveOptions.noSystem());
        } catch (ConfigException e) {
            HoconOracle.failure(sb, "resolve", e);
            return;
        } catch (RuntimeException | StackOverflowError e) {
            HoconOracle.failure(sb, "crash", e);
            return;
        }
        sb.append("{\"stage\":\"ok\",\"answers\":[");
        for (int i = 0; i < kinds.length; i++) {
            if (i > 0) {
                sb.append(',');
            }
            query(sb, config, kinds[i], paths[i]);
        }
        sb.append("]}");
    }

    /** getConfigList: each item must be an object. */
    static List<Object> objects(Config config, String path) {
        List<Object> items = new ArrayList<>();
        for (Config item : config.getConfigList(path)) {
            items.add(item.root().unwrapped());
        }
        return items;
    }

    /** One query, with the getter the server is assumed to use; a refusal is an answer too. */
    static void query(StringBuilder sb, Config config, String kind, String path) {
        StringBuilder value = new StringBuilder();
        String type;
        try {
            if (!config.hasPathOrNull(path)) {
                sb.append("{\"ok\":false,\"missing\":true}");
                return;
            }
            switch (kind) {
                case "value":
                    if (config.getIsNull(path)) {
                        type = "NULL";
                        value.append("null");
                    } else {
                        ConfigValue v = config.getValue(path);
                        type = v.valueType().name();
                        HoconOracle.writeJson(value, v.unwrapped());
                    }
                    break;
                case "string":
                    type = "STRING";
                    HoconOracle.writeJson(value, config.getString(path));
                    break;
                case "string_list":
                    type = "LIST";
                    HoconOracle.writeJson(value, config.getStringList(path));
                    break;
                case "int":
                    type = "NUMBER";
                    value.append(config.getInt(path));
                    break;
                case "boolean":
                    type = "BOOLEAN";
                    value.append(config.getBoolean(path));
                    break;
                case "duration_ms":
                    type = "NUMBER";
                    value.append(config.getDuration(path, TimeUnit.MILLISECONDS));
                    break;
                case "object":
                    type = "OBJECT";
                    HoconOracle.writeJson(value, config.getObject(path).unwrapped());
                    break;
                case "object_list":
                    type = "LIST";
                    HoconOracle.writeJson(value, objects(config, path));
                    break;
                case "object_or_list": {
                    // an object, or a list of objects (LDAP query parameters come either way)
                    if (config.getValue(path).valueType() == ConfigValueType.OBJECT) {
                        type = "OBJECT";
                        HoconOracle.writeJson(value, config.getObject(path).unwrapped());
                        break;
                    }
                    type = "LIST";
                    HoconOracle.writeJson(value, objects(config, path));
                    break;
                }
                default:
                    throw new IllegalArgumentException("unknown query kind " + kind);
            }
        } catch (ConfigException | IllegalArgumentException e) {
            sb.append("{\"ok\":false,\"missing\":false,\"error\":");
            HoconOracle.writeString(sb, String.valueOf(e.getMessage()));
            sb.append(",\"error_type\":");
            HoconOracle.writeString(sb, HoconOracle.typeName(e));
            sb.append('}');
            return;
        }
        sb.append("{\"ok\":true,\"type\":");
        HoconOracle.writeString(sb, type);
        sb.append(",\"value\":").append(value).append('}');
    }
}
