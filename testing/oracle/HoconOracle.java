import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigIncludeContext;
import com.typesafe.config.ConfigIncluder;
import com.typesafe.config.ConfigIncluderClasspath;
import com.typesafe.config.ConfigIncluderFile;
import com.typesafe.config.ConfigIncluderURL;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The HOCON oracle: asks the real Lightbend config library (what the StackState server uses) how
 * it reads documents, so the Python tests can compare configgen's output and its own parsers with
 * the ground truth.
 *
 * <p>One JVM run answers many documents, because starting the JVM costs far more than parsing.
 *
 * <p>Input on stdin (bytes; every length is a byte count of UTF-8 text, so no escaping is needed
 * and any document, including one with newlines or odd characters, passes through unchanged):
 *
 * <pre>
 *   input   := environment? request*
 *   environment := "ENV " json-length "\n" json-bytes
 *   request := "DOC " n-queries " " doc-length "\n" doc-bytes query*
 *   query   := kind " " path-length "\n" path-bytes
 *   kind    := "value" | "string" | "string_list" | "duration"
 * </pre>
 *
 * <p>The optional environment is a JSON object of variable names to values: the environment the
 * server would have. Substitutions a document does not define are resolved from it (as Lightbend
 * resolves them from the process environment), never from the real one.
 *
 * <p>Output on stdout: one JSON object per request, one per line, in request order, ASCII only:
 *
 * <pre>
 *   {"stage": "ok", "answers": [answer, ...]}
 *   {"stage": "parse" | "resolve" | "crash", "error": msg, "error_type": cls, "line": n|null,
 *    "answers": []}
 *   answer := {"ok": true, "type": "STRING", "value": json}
 *           | {"ok": false, "error": msg, "error_type": cls}
 * </pre>
 *
 * <p>Safety: documents come from generated (hostile) test data, so the oracle never follows an
 * include (every include form is refused) and never reads the environment or system properties
 * while resolving substitutions.
 */
public final class HoconOracle {

    private HoconOracle() {}

    /**
     * Refuses every include. It implements the File/URL/Classpath interfaces too: otherwise
     * Lightbend wraps it in a proxy that handles include file(...), url(...) and classpath(...)
     * itself with the default behaviour, i.e. it would fetch the URL.
     */
    static final class RefusingIncluder
            implements ConfigIncluder,
                    ConfigIncluderFile,
                    ConfigIncluderURL,
                    ConfigIncluderClasspath {

        // Lightbend appends its default includer as a fallback; keeping it would follow includes.
        @Override
        public ConfigIncluder withFallback(ConfigIncluder fallback) {
            return this;
        }

        @Override
        public ConfigObject include(ConfigIncludeContext context, String what) {
            throw refused("include \"" + what + "\"");
        }

        @Override
        public ConfigObject includeFile(ConfigIncludeContext context, File what) {
            throw refused("include file(\"" + what + "\")");
        }

        @Override
        public ConfigObject includeURL(ConfigIncludeContext context, URL what) {
            throw refused("include url(\"" + what + "\")");
        }

        @Override
        public ConfigObject includeResources(ConfigIncludeContext context, String what) {
            throw refused("include classpath(\"" + what + "\")");
        }

        private static ConfigException refused(String what) {
            return new ConfigException.Generic("oracle refused " + what);
        }
    }

    // Parsing is the same for every document: HOCON syntax, no includes, a fixed origin name.
    private static final ConfigParseOptions PARSE_OPTIONS =
            ConfigParseOptions.defaults()
                    .setSyntax(ConfigSyntax.CONF)
                    .setOriginDescription("oracle-doc")
                    .setAllowMissing(false)
                    .setIncluder(new RefusingIncluder());

    // noSystem(): a ${X} that the document does not define stays an error instead of being
    // looked up in the environment, so no CI secret can leak into a test result.
    private static final ConfigResolveOptions RESOLVE_OPTIONS = ConfigResolveOptions.noSystem();

    // The environment given on stdin (ENV record), or null: then nothing but the document.
    private static Config environment = null;

    public static void main(String[] args) throws IOException {
        InputStream in = new BufferedInputStream(System.in, 1 << 16);
        // Our own stream: System.out's encoding depends on the locale; the output is ASCII anyway.
        PrintStream out =
                new PrintStream(
                        new FileOutputStream(FileDescriptor.out), false, StandardCharsets.US_ASCII);
        String header;
        while ((header = readLine(in)) != null) {
            if (header.startsWith("ENV ")) {
                String json = readText(in, Integer.parseInt(header.substring(4)));
                // JSON syntax: a key is a variable name, never split into a path at its dots.
                environment =
                        ConfigFactory.parseString(
                                json, PARSE_OPTIONS.setSyntax(ConfigSyntax.JSON));
                continue;
            }
            String[] parts = header.split(" ");
            if (parts.length != 3 || !parts[0].equals("DOC")) {
                throw new IOException("bad request header: " + header);
            }
            int queries = Integer.parseInt(parts[1]);
            String doc = readText(in, Integer.parseInt(parts[2]));
            String[] kinds = new String[queries];
            String[] paths = new String[queries];
            for (int i = 0; i < queries; i++) {
                String[] q = requireLine(in).split(" ");
                if (q.length != 2) {
                    throw new IOException("bad query header");
                }
                kinds[i] = q[0];
                paths[i] = readText(in, Integer.parseInt(q[1]));
            }
            StringBuilder sb = new StringBuilder();
            answer(sb, doc, kinds, paths);
            out.print(sb);
            out.print('\n');
        }
        out.flush();
    }

    /** Parses and resolves one document, then answers its queries into {@code sb}. */
    static void answer(StringBuilder sb, String doc, String[] kinds, String[] paths) {
        Config config;
        try {
            config = ConfigFactory.parseString(doc, PARSE_OPTIONS);
        } catch (ConfigException e) {
            failure(sb, "parse", e);
            return;
        } catch (RuntimeException | StackOverflowError e) {
            // A bug or a limit in the library is a result too; keep answering the batch.
            failure(sb, "crash", e);
            return;
        }
        try {
            // With an environment, a substitution the document does not define falls back to
            // it, as Lightbend falls back to the process environment (the document wins).
            config =
                    environment == null
                            ? config.resolve(RESOLVE_OPTIONS)
                            : config.resolveWith(config.withFallback(environment), RESOLVE_OPTIONS);
        } catch (ConfigException e) {
            failure(sb, "resolve", e);
            return;
        } catch (RuntimeException | StackOverflowError e) {
            failure(sb, "crash", e);
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

    /** One query; an exception is the answer "refused", with the library's message. */
    static void query(StringBuilder sb, Config config, String kind, String path) {
        // Build the answer aside so a half-written value never ends up in the output.
        StringBuilder value = new StringBuilder();
        String type;
        try {
            switch (kind) {
                case "value": {
                    // The empty path means the whole document.
                    ConfigValue v = path.isEmpty() ? config.root() : config.getValue(path);
                    type = v.valueType().name();
                    writeJson(value, v.unwrapped());
                    break;
                }
                case "string":
                    type = "STRING";
                    writeJson(value, config.getString(path));
                    break;
                case "string_list":
                    type = "LIST";
                    writeJson(value, config.getStringList(path));
                    break;
                case "duration":
                    type = "NUMBER";
                    value.append(config.getDuration(path, TimeUnit.NANOSECONDS));
                    break;
                default:
                    throw new IllegalArgumentException("unknown query kind " + kind);
            }
        } catch (ConfigException | IllegalArgumentException e) {
            sb.append("{\"ok\":false,\"error\":");
            writeString(sb, String.valueOf(e.getMessage()));
            sb.append(",\"error_type\":");
            writeString(sb, typeName(e));
            sb.append('}');
            return;
        }
        sb.append("{\"ok\":true,\"type\":");
        writeString(sb, type);
        sb.append(",\"value\":").append(value).append('}');
    }

    static void failure(StringBuilder sb, String stage, Throwable e) {
        sb.append("{\"stage\":");
        writeString(sb, stage);
        sb.append(",\"error\":");
        writeString(sb, String.valueOf(e.getMessage()));
        sb.append(",\"error_type\":");
        writeString(sb, typeName(e));
        sb.append(",\"line\":");
        ConfigOrigin origin = e instanceof ConfigException ? ((ConfigException) e).origin() : null;
        if (origin != null && origin.lineNumber() >= 0) {
            sb.append(origin.lineNumber());
        } else {
            sb.append("null");
        }
        sb.append(",\"answers\":[]}");
    }

    // "ConfigException$BadValue" rather than the full name: short and still exact.
    static String typeName(Throwable e) {
        String name = e.getClass().getName();
        return name.substring(name.lastIndexOf('.') + 1);
    }

    /** JSON for the values {@code unwrapped()} produces. */
    static void writeJson(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof String) {
            writeString(sb, (String) v);
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof Double) {
            double d = (Double) v;
            // JSON has no Infinity/NaN; a string keeps the output parseable and still says so.
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                writeString(sb, Double.toString(d));
            } else {
                sb.append(Double.toString(d));
            }
        } else if (v instanceof Number) {
            sb.append(v.toString());
        } else if (v instanceof Map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeString(sb, String.valueOf(e.getKey()));
                sb.append(':');
                writeJson(sb, e.getValue());
            }
            sb.append('}');
        } else if (v instanceof List) {
            sb.append('[');
            boolean first = true;
            for (Object item : (List<?>) v) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                writeJson(sb, item);
            }
            sb.append(']');
        } else {
            // Not produced by unwrapped(); a string is better than invalid JSON.
            writeString(sb, "<" + v.getClass().getName() + ">");
        }
    }

    /**
     * A JSON string with everything outside printable ASCII escaped per UTF-16 unit: the output
     * is ASCII whatever the locale, and a lone surrogate that a HOCON "\ud800" escape produced
     * survives exactly (a UTF-8 encoder would replace it with '?').
     */
    static void writeString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    /** A header line (ASCII), or null at a clean end of input. */
    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            buf.write(b);
        }
        if (b == -1 && buf.size() == 0) {
            return null;
        }
        if (b == -1) {
            throw new EOFException("input ends inside a header");
        }
        return buf.toString(StandardCharsets.US_ASCII);
    }

    static String requireLine(InputStream in) throws IOException {
        String line = readLine(in);
        if (line == null) {
            throw new EOFException("input ends before a query");
        }
        return line;
    }

    static String readText(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("input ends inside a text");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
