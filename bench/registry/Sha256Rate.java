import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;

/**
 * What one core of this machine hashes with the JDK's SHA-256: 1 GiB in 1 MiB updates from memory, three timed
 * passes after one warm-up pass; prints the median in MB/s (10^6 bytes). The registry hashes every upload as it
 * arrives, so this is the ceiling of a single upload's rate.
 * Run: java bench/registry/Sha256Rate.java [MiB]
 */
public class Sha256Rate {
    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        byte[] chunk = new byte[1 << 20];
        new Random(42).nextBytes(chunk);
        double[] rates = new double[3];
        pass(chunk, mib); // warm-up: JIT, intrinsics
        for (int i = 0; i < rates.length; i++) {
            long t0 = System.nanoTime();
            pass(chunk, mib);
            double s = (System.nanoTime() - t0) / 1e9;
            rates[i] = mib * 1048576.0 / 1e6 / s;
        }
        Arrays.sort(rates);
        System.out.printf("%.0f%n", rates[1]);
    }

    private static void pass(byte[] chunk, int mib) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < mib; i++) {
            md.update(chunk, 0, chunk.length);
        }
        if (md.digest()[0] == 42 && mib < 0) {
            System.out.print(""); // keep the result alive
        }
    }
}
