/*
 * clock_offset.c: an LD_PRELOAD shim that steps the wall clock of one process, as NTP or a
 * machine booting with a stale clock steps the whole system's, without root and without
 * touching the machine's clock.
 *
 * CLOCK_REALTIME and CLOCK_REALTIME_COARSE, as read through clock_gettime, gettimeofday and
 * time, are moved by an offset in seconds (a decimal, may be negative) read from the file
 * named by $SMOKEGATE_CLOCK_OFFSET_FILE; the file is read again at most every 100 ms, so a
 * test steps a running process by rewriting it. Monotonic and boot clocks pass through
 * unchanged: they are what a process must keep to when the wall clock steps.
 *
 * Only calls made through libc are caught; a program that reads the vDSO itself is not.
 * The fault suite compiles it at run time (cc -shared -fPIC -o … clock_offset.c -ldl) into a
 * temporary folder; no binary is kept in the repository.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

/* The offset in nanoseconds, and when (CLOCK_MONOTONIC nanoseconds) it was last read. */
static _Atomic long long offset_ns = 0;
static _Atomic long long read_at_ns = -1;

static const long long reread_ns = 100000000LL;

/* The kernel's own clock, bypassing libc (and so this shim and the vDSO): never recursive. */
static int raw_clock_gettime(clockid_t clock, struct timespec *ts) {
    return (int)syscall(SYS_clock_gettime, clock, ts);
}

static long long monotonic_ns(void) {
    struct timespec ts;
    if (raw_clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Parses "[-]seconds[.fraction]" without the C library's locale-dependent strtod. */
static int parse_offset(const char *text, long long *ns) {
    long long whole = 0, fraction = 0, scale = 100000000LL;
    int negative = 0, digits = 0;
    while (*text == ' ' || *text == '\t') text++;
    if (*text == '-' || *text == '+') negative = *text++ == '-';
    for (; *text >= '0' && *text <= '9'; text++, digits++) whole = whole * 10 + (*text - '0');
    if (*text == '.') {
        for (text++; *text >= '0' && *text <= '9'; text++, digits++) {
            fraction += (*text - '0') * scale;
            scale /= 10;
        }
    }
    if (digits == 0) return -1;
    *ns = (whole * 1000000000LL + fraction) * (negative ? -1 : 1);
    return 0;
}

/* The current offset, reading the file again when the last reading is 100 ms old. A file
 * that is missing or unreadable keeps the offset last read. */
static long long current_offset_ns(void) {
    long long now = monotonic_ns();
    long long last = atomic_load_explicit(&read_at_ns, memory_order_relaxed);
    if (last >= 0 && now - last < reread_ns) return atomic_load_explicit(&offset_ns, memory_order_relaxed);
    atomic_store_explicit(&read_at_ns, now, memory_order_relaxed);
    const char *path = getenv("SMOKEGATE_CLOCK_OFFSET_FILE");
    if (path == NULL) return 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        char buffer[64];
        ssize_t length = read(fd, buffer, sizeof buffer - 1);
        close(fd);
        long long parsed;
        if (length > 0) {
            buffer[length] = '\0';
            if (parse_offset(buffer, &parsed) == 0) atomic_store_explicit(&offset_ns, parsed, memory_order_relaxed);
        }
    }
    return atomic_load_explicit(&offset_ns, memory_order_relaxed);
}

static void add_offset(struct timespec *ts, long long ns) {
    long long total = (long long)ts->tv_sec * 1000000000LL + ts->tv_nsec + ns;
    long long seconds = total / 1000000000LL, rest = total % 1000000000LL;
    if (rest < 0) {
        rest += 1000000000LL;
        seconds -= 1;
    }
    ts->tv_sec = (time_t)seconds;
    ts->tv_nsec = (long)rest;
}

int clock_gettime(clockid_t clock, struct timespec *ts) {
    static int (*real)(clockid_t, struct timespec *) = NULL;
    if (real == NULL) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    int result = real != NULL ? real(clock, ts) : raw_clock_gettime(clock, ts);
    if (result == 0 && (clock == CLOCK_REALTIME || clock == CLOCK_REALTIME_COARSE)) add_offset(ts, current_offset_ns());
    return result;
}

int gettimeofday(struct timeval *restrict tv, void *restrict tz) {
    (void)tz;
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return -1;
    /* glibc declares tv nonnull. */
    tv->tv_sec = ts.tv_sec;
    tv->tv_usec = ts.tv_nsec / 1000;
    return 0;
}

time_t time(time_t *out) {
    struct timespec ts;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0) return (time_t)-1;
    if (out != NULL) *out = ts.tv_sec;
    return ts.tv_sec;
}
