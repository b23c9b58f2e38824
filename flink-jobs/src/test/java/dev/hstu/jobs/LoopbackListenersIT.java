package dev.hstu.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.hstu.jobs.config.FlinkSettings;
import dev.hstu.jobs.kafka.EmbeddedKafka;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the local commands start listens on loopback only: the MiniCluster (REST and web UI, blob server, RPC, data
 * exchange) and the embedded broker. Checked against the kernel's table of listening sockets, not the
 * configuration: every TCP socket this JVM opened in LISTEN state while they started.
 */
class LoopbackListenersIT {

    @TempDir
    Path work;

    /** A listening socket: its local address and port. */
    record Listener(InetAddress address, int port) {
        @Override
        public String toString() {
            return address.getHostAddress() + ":" + port;
        }
    }

    @Test
    void theLocalClusterAndTheEmbeddedBrokerListenOnLoopbackOnly() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc");
        Set<Listener> before = listenersOfThisProcess();
        FlinkSettings settings = FlinkSettings.defaults().withCheckpointDir(work.toString());
        try (EmbeddedKafka kafka = EmbeddedKafka.start();
                LocalFlinkCluster flink = LocalFlinkCluster.start(settings, 2)) {
            URI rest = flink.restAddress();
            HttpResponse<String> overview = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(rest.resolve("/overview"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(overview.statusCode())
                    .as("the REST endpoint answers on " + rest)
                    .isEqualTo(200);

            Set<Listener> opened = listenersOfThisProcess();
            opened.removeAll(before);
            // the broker and its controller, the REST endpoint and the blob server at least
            assertThat(opened).hasSizeGreaterThanOrEqualTo(4);
            assertThat(opened)
                    .as("listening sockets opened by the broker and the MiniCluster")
                    .allSatisfy(l -> assertThat(l.address().isLoopbackAddress())
                            .as("%s is bound to loopback", l)
                            .isTrue());
            assertThat(opened).extracting(Listener::port).contains(rest.getPort());
            int brokerPort = Integer.parseInt(
                    kafka.bootstrapServers().substring(kafka.bootstrapServers().lastIndexOf(':') + 1));
            assertThat(opened).extracting(Listener::port).contains(brokerPort);
        }
    }

    /** The TCP sockets in LISTEN state whose inodes are among this process's open files. */
    static Set<Listener> listenersOfThisProcess() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed while listing
                }
            }
        }
        Set<Listener> out = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path file = Path.of(table);
            if (!Files.exists(file)) {
                continue;
            }
            List<String> lines = Files.readAllLines(file);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
                if (f[3].equals("0A") && inodes.contains(f[9])) {
                    String[] local = f[1].split(":");
                    out.add(new Listener(address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return out;
    }

    /** The kernel writes each 32-bit word of the address in host (little-endian) byte order. */
    private static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                int at = word * 8 + (3 - b) * 2;
                bytes[word * 4 + b] = (byte) new BigInteger(hex.substring(at, at + 2), 16).intValue();
            }
        }
        return InetAddress.getByAddress(bytes);
    }
}
