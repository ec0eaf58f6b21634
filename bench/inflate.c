/* bench-inflate: the ingest reference. It reads the given files through zlib's gzread,
 * which inflates gzip files and passes plain files through, and prints the output
 * bytes and MB/s (10^6 bytes per second). Ingest MB/s divided by this shows what
 * decoding, conversion and CSV parsing cost beyond reading the bytes.
 *
 * Usage: bench-inflate FILE... */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "util.h"

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0) {
        fprintf(argc < 2 ? stderr : stdout, "Usage: bench-inflate FILE...\n"
                "Read each FILE through zlib (gzip or plain) and print bytes and MB/s.\n");
        return argc < 2 ? 2 : 0;
    }
    static char buffer[1 << 17];
    unsigned long long total = 0;
    double start = tdb_now();
    for (int i = 1; i < argc; i++) {
        gzFile file = gzopen(argv[i], "rb");
        if (!file) {
            fprintf(stderr, "bench-inflate: cannot open %s\n", argv[i]);
            return 1;
        }
        gzbuffer(file, 1 << 17);
        int count;
        while ((count = gzread(file, buffer, sizeof buffer)) > 0) total += (unsigned long long)count;
        int error;
        const char *message = gzerror(file, &error);
        gzclose(file);
        if (count < 0 || error != Z_OK) {
            fprintf(stderr, "bench-inflate: reading %s failed: %s\n", argv[i], message);
            return 1;
        }
    }
    double seconds = tdb_now() - start;
    printf("inflate_bytes=%llu inflate_seconds=%.3f inflate_mb_per_s=%.1f\n", total, seconds,
           seconds > 0 ? (double)total / seconds / 1e6 : 0.0);
    return 0;
}
