// SPDX-License-Identifier: MIT
/*
 * The qtest accelerator (QEMU's -accel qtest): no guest CPU runs; a test
 * program connected to a socket plays the guest, one command line at a time,
 * in QEMU's qtest protocol:
 *
 *   outb|outw|outl PORT VALUE          OK
 *   inb|inw|inl PORT                   OK 0x%04x
 *   writeb|writew|writel|writeq ADDR V OK
 *   readb|readw|readl|readq ADDR       OK 0x%016x
 *   read ADDR SIZE                     OK 0xHEX
 *   write ADDR SIZE 0xHEX              OK           (short data: zero-filled)
 *   b64read ADDR SIZE                  OK BASE64
 *   b64write ADDR SIZE BASE64          OK
 *   memset ADDR SIZE BYTE              OK
 *   clock_step [NS]                    OK NOW       (no NS: to the next timer)
 *   clock_set NS                       OK NOW
 *   endianness                         OK little
 *   irq_intercept_in ioapic            OK, then "IRQ raise N" / "IRQ lower N"
 *   irq_intercept_out pic              OK, the PIC's INTR as IRQ 0
 *   irq_intercept_out ioapic           OK, then "IRQ msi 0xADDR 0xDATA"
 *   set_irq_in ioapic|pic unnamed-gpio-in N LEVEL   OK  (that chip's input N)
 *
 * Numbers are C literals (strtoull base 0).  Replies and failures are QEMU's
 * ("FAIL Unknown command 'x'", "ERR invalid argument size", ...); where QEMU
 * would abort on a malformed command (missing or bad numbers, huge sizes),
 * kvmrun answers "ERR ..." and goes on.
 *
 * The kvmrun-specific parts: without a CPU there is no local APIC, so the
 * messages the IOAPIC (or any MSI source) sends are reported as the
 * asynchronous line "IRQ msi ADDR DATA" after "irq_intercept_out ioapic"; the
 * PIC's INTR output is reported as IRQ 0 after "irq_intercept_out pic".
 * Interception of GSIs still delivers them to the PIC and IOAPIC, as in QEMU.
 *
 * Guest memory accesses reach RAM through the checked guest_read/guest_write
 * and everything else through the MMIO bus; unclaimed reads are all ones.
 */
#include "accel/qtest.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "accel/accel.h"
#include "hw/ioapic.h"
#include "hw/pic.h"
#include "memory.h"
#include "util/event.h"
#include "util/log.h"
#include "util/timer.h"
#include "vm.h"

#define OUT_FLUSH_BYTES 65536
#define RECV_CHUNK 65536
#define SEND_TIMEOUT_S 60

struct qtest_buf {
	char *p;
	size_t len, cap;
};

/* Who produces "IRQ raise/lower N" lines (one at a time, as in QEMU). */
enum qtest_icpt {
	ICPT_NONE,
	ICPT_GSI,		/* irq_intercept_in ioapic */
	ICPT_PIC_OUT,		/* irq_intercept_out pic */
};

struct qtest_server {
	struct vm *vm;
	qtest_send_fn send;
	void *send_opaque;
	FILE *log;
	struct timespec t0;
	struct qtest_buf in, out;
	bool discarding;	/* dropping the rest of an overlong line */
	bool in_command;
	enum qtest_icpt icpt;
	bool msi_icpt;
	int8_t irq_levels[QTEST_MAX_IRQ];
	uint64_t ncommands;
};

/* ---- pure helpers ---- */

int qtest_split(char *line, char **words, int max)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			return n;
		if (n == max)
			return -E2BIG;
		words[n++] = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

int qtest_parse_u64(const char *s, uint64_t *v)
{
	char *end;
	unsigned long long x;

	if (!*s || *s == ' ')
		return -EINVAL;
	errno = 0;
	x = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

int qtest_parse_i64(const char *s, int64_t *v)
{
	char *end;
	long long x;

	if (!*s || *s == ' ')
		return -EINVAL;
	errno = 0;
	x = strtoll(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end)
		return -EINVAL;
	*v = x;
	return 0;
}

static const char hex_digits[] = "0123456789abcdef";

void qtest_hex_encode(const uint8_t *in, size_t len, char *out)
{
	for (size_t i = 0; i < len; i++) {
		*out++ = hex_digits[in[i] >> 4];
		*out++ = hex_digits[in[i] & 15];
	}
	*out = '\0';
}

static int hex_nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int qtest_hex_decode(const char *s, uint8_t *out, size_t len)
{
	size_t ndigits;

	if (s[0] != '0' || (s[1] != 'x' && s[1] != 'X'))
		return -EINVAL;
	s += 2;
	ndigits = strlen(s);
	for (size_t i = 0; i < ndigits; i++)
		if (hex_nibble(s[i]) < 0)
			return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		if (2 * i + 2 <= ndigits)
			out[i] = hex_nibble(s[2 * i]) << 4 |
				 hex_nibble(s[2 * i + 1]);
		else
			out[i] = 0;
	}
	return 0;
}

static const char b64_alphabet[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void qtest_b64_encode(const uint8_t *in, size_t len, char *out)
{
	size_t i;

	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = in[i] << 16 | in[i + 1] << 8 | in[i + 2];

		*out++ = b64_alphabet[v >> 18];
		*out++ = b64_alphabet[(v >> 12) & 63];
		*out++ = b64_alphabet[(v >> 6) & 63];
		*out++ = b64_alphabet[v & 63];
	}
	if (i < len) {
		uint32_t v = in[i] << 16;

		if (i + 1 < len)
			v |= in[i + 1] << 8;
		*out++ = b64_alphabet[v >> 18];
		*out++ = b64_alphabet[(v >> 12) & 63];
		*out++ = i + 1 < len ? b64_alphabet[(v >> 6) & 63] : '=';
		*out++ = '=';
	}
	*out = '\0';
}

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

long qtest_b64_decode(const char *in, uint8_t *out, size_t cap)
{
	size_t n = strlen(in), pad = 0, nout = 0;
	uint32_t acc = 0;
	unsigned int bits = 0;

	while (pad < 2 && n > 0 && in[n - 1] == '=') {
		n--;
		pad++;
	}
	if (n % 4 == 1 || (pad && (n + pad) % 4))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		int v = b64_value(in[i]);

		if (v < 0)
			return -EINVAL;
		acc = acc << 6 | v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (nout < cap)
				out[nout] = acc >> bits;
			nout++;
		}
	}
	return nout;
}

int qtest_chardev_parse(const char *spec, struct qtest_chardev *out,
			const char **why)
{
	const char *p, *comma;
	size_t plen;

	memset(out, 0, sizeof(*out));
	if (strncmp(spec, "unix:", 5) != 0) {
		*why = "only unix:PATH[,server=on[,wait=off]] is supported";
		return -EINVAL;
	}
	p = spec + 5;
	comma = strchr(p, ',');
	plen = comma ? (size_t)(comma - p) : strlen(p);
	if (plen == 0 || plen >= sizeof(out->path)) {
		*why = plen ? "socket path too long" : "empty socket path";
		return -EINVAL;
	}
	memcpy(out->path, p, plen);
	out->wait = true;
	while (comma) {
		const char *opt = comma + 1;
		size_t olen;

		comma = strchr(opt, ',');
		olen = comma ? (size_t)(comma - opt) : strlen(opt);
#define OPT_IS(s) (olen == strlen(s) && strncmp(opt, s, olen) == 0)
		if (OPT_IS("server") || OPT_IS("server=on")) {
			out->server = true;
		} else if (OPT_IS("server=off")) {
			out->server = false;
		} else if (OPT_IS("wait=on") || OPT_IS("wait")) {
			out->wait = true;
		} else if (OPT_IS("wait=off") || OPT_IS("nowait")) {
			out->wait = false;
		} else {
			*why = "unknown option (expected server=on|off, wait=on|off)";
			return -EINVAL;
		}
#undef OPT_IS
	}
	return 0;
}

/* ---- output ---- */

static int buf_reserve(struct qtest_buf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->len + more <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more)
		cap *= 2;
	p = realloc(b->p, cap);
	if (!p)
		return -ENOMEM;
	b->p = p;
	b->cap = cap;
	return 0;
}

static double elapsed_s(const struct qtest_server *s)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - s->t0.tv_sec) +
	       (now.tv_nsec - s->t0.tv_nsec) / 1e9;
}

void qtest_server_flush(struct qtest_server *s)
{
	if (!s->out.len)
		return;
	if (s->send)
		s->send(s->send_opaque, s->out.p, s->out.len);
	s->out.len = 0;
}

/* Queue one whole line (with its newline) for the client. */
static void send_line(struct qtest_server *s, const char *line, size_t len)
{
	if (s->log) {
		fprintf(s->log, "[S +%.6f] %.*s", elapsed_s(s), (int)len, line);
		fflush(s->log);
	}
	if (buf_reserve(&s->out, len)) {
		/* Out of memory: what is queued must go first. */
		qtest_server_flush(s);
		if (s->send)
			s->send(s->send_opaque, line, len);
		return;
	}
	memcpy(s->out.p + s->out.len, line, len);
	s->out.len += len;
	if (s->out.len >= OUT_FLUSH_BYTES || !s->in_command)
		qtest_server_flush(s);
}

static void __attribute__((format(printf, 2, 3)))
sendf(struct qtest_server *s, const char *fmt, ...)
{
	char line[512];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	send_line(s, line, n);
}

/* A word quoted back to the client: bounded and printable. */
static void sanitize(const char *w, char *out, size_t size)
{
	size_t i;

	for (i = 0; w[i] && i + 1 < size; i++)
		out[i] = w[i] >= 0x20 && w[i] < 0x7f ? w[i] : '?';
	out[i] = '\0';
}

/* ---- guest memory through RAM or the MMIO bus ---- */

enum mem_op { MEM_READ, MEM_WRITE, MEM_FILL };

/* The MMIO range containing addr, copied under the bus lock. */
static bool mmio_range_at(uint64_t addr, uint64_t *base, uint64_t *len)
{
	const struct bus_range *r;
	bool found = false;

	bus_lock();
	r = bus_find(&mmio_bus, addr);
	if (r) {
		*base = r->base;
		*len = r->len;
		found = true;
	}
	bus_unlock();
	return found;
}

/* The first RAM region or MMIO range starting above addr (or UINT64_MAX). */
static uint64_t next_boundary(const struct guest_mem *mem, uint64_t addr)
{
	uint64_t next = UINT64_MAX;

	for (unsigned int i = 0; i < mem->nr_regions; i++)
		if (mem->regions[i].gpa > addr && mem->regions[i].gpa < next)
			next = mem->regions[i].gpa;
	bus_lock();
	for (unsigned int i = 0; i < mmio_bus.nr; i++) {
		if (mmio_bus.ranges[i].base > addr) {
			if (mmio_bus.ranges[i].base < next)
				next = mmio_bus.ranges[i].base;
			break;
		}
	}
	bus_unlock();
	return next;
}

/* Naturally aligned accesses of up to 8 bytes across [addr, addr + len). */
static void mmio_chunks(uint64_t addr, uint8_t *buf, uint64_t len,
			enum mem_op op, uint8_t fill)
{
	while (len) {
		uint8_t tmp[8] = { 0 };	/* a handler may leave bytes unset */
		uint32_t w = 8;

		while (w > len || (addr & (w - 1)))
			w /= 2;
		if (op == MEM_FILL)
			memset(tmp, fill, w);
		else if (op == MEM_WRITE)
			memcpy(tmp, buf, w);
		bus_access(&mmio_bus, addr, tmp, w, op != MEM_READ);
		if (op == MEM_READ)
			memcpy(buf, tmp, w);
		addr += w;
		len -= w;
		if (op != MEM_FILL)
			buf += w;
	}
}

/* Caller checked that [addr, addr + len) does not wrap. */
static void mem_access(const struct guest_mem *mem, uint64_t addr,
		       uint8_t *buf, uint64_t len, enum mem_op op, uint8_t fill)
{
	while (len) {
		uint64_t span = guest_ram_span(mem, addr), base, rlen, n;

		if (span) {
			uint8_t *hva;

			n = span < len ? span : len;
			hva = gpa_to_hva(mem, addr, n);
			if (op == MEM_READ)
				memcpy(buf, hva, n);
			else if (op == MEM_WRITE)
				memcpy(hva, buf, n);
			else
				memset(hva, fill, n);
		} else if (mmio_range_at(addr, &base, &rlen)) {
			n = rlen - (addr - base);
			n = n < len ? n : len;
			mmio_chunks(addr, buf, n, op, fill);
		} else {
			uint64_t next = next_boundary(mem, addr);

			/* UINT64_MAX: nothing above, so the rest is a hole. */
			n = next == UINT64_MAX ? len : next - addr;
			n = n < len ? n : len;
			if (op == MEM_READ)
				memset(buf, 0xff, n);
		}
		addr += n;
		len -= n;
		if (op != MEM_FILL)
			buf += n;
	}
}

/* One access of size bytes: a single bus access when a device owns it all. */
static void mem_sized(const struct guest_mem *mem, uint64_t addr,
		      uint8_t *data, uint32_t size, bool is_write)
{
	uint64_t base, rlen;

	if (!gpa_to_hva(mem, addr, size) && mmio_range_at(addr, &base, &rlen) &&
	    size <= rlen && addr - base <= rlen - size) {
		bus_access(&mmio_bus, addr, data, size, is_write);
		return;
	}
	mem_access(mem, addr, data, size, is_write ? MEM_WRITE : MEM_READ, 0);
}

/* ---- interrupts ---- */

static void report_irq(struct qtest_server *s, unsigned int n, int level)
{
	level = !!level;
	if (n >= QTEST_MAX_IRQ || s->irq_levels[n] == level)
		return;
	s->irq_levels[n] = level;
	sendf(s, "IRQ %s %u\n", level ? "raise" : "lower", n);
}

/* vm->irq_intercept: report, then deliver as usual (QEMU does both). */
static void gsi_intercept(void *opaque, unsigned int gsi, int level)
{
	struct qtest_server *s = opaque;
	struct vm *vm = s->vm;

	report_irq(s, gsi, level);
	if (vm && vm->user_irqchip && vm->irqchip.set_irq)
		vm->irqchip.set_irq(vm->irqchip.opaque, gsi, level);
}

static void pic_out_intercept(void *opaque, int level)
{
	report_irq(opaque, 0, level);
}

/* (Re)install the interceptions on the server's current VM. */
static void apply_intercepts(struct qtest_server *s)
{
	struct vm *vm = s->vm;

	if (!vm)
		return;
	if (s->icpt == ICPT_GSI) {
		vm->irq_intercept_opaque = s;
		vm->irq_intercept = gsi_intercept;
	}
	if (s->icpt == ICPT_PIC_OUT && pic_present()) {
		bus_lock();
		pic_set_output_hook(pic_out_intercept, s);
		bus_unlock();
	}
}

static const char *path_leaf(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool is_ioapic_path(const char *path)
{
	return strcmp(path_leaf(path), "ioapic") == 0;
}

static bool is_pic_path(const char *path)
{
	const char *leaf = path_leaf(path);

	return strcmp(leaf, "pic") == 0 || strcmp(leaf, "i8259") == 0;
}

/* ---- commands ---- */

struct qtest_cmd {
	const char *name;
	int min_args;		/* words after the command */
	const char *usage;
	void (*fn)(struct qtest_server *s, char **w, int n);
};

static bool arg_u64(struct qtest_server *s, const char *w, uint64_t *v)
{
	char q[64];

	if (qtest_parse_u64(w, v) == 0)
		return true;
	sanitize(w, q, sizeof(q));
	sendf(s, "ERR invalid number '%s'\n", q);
	return false;
}

static bool arg_i64(struct qtest_server *s, const char *w, int64_t *v)
{
	char q[64];

	if (qtest_parse_i64(w, v) == 0)
		return true;
	sanitize(w, q, sizeof(q));
	sendf(s, "ERR invalid number '%s'\n", q);
	return false;
}

static bool arg_port(struct qtest_server *s, const char *w, uint64_t *port)
{
	if (!arg_u64(s, w, port))
		return false;
	if (*port > 0xffff) {
		sendf(s, "ERR port 0x%" PRIx64 " out of range\n", *port);
		return false;
	}
	return true;
}

/* ADDR SIZE with SIZE <= max and a range that does not wrap. */
static bool arg_range(struct qtest_server *s, char **w, uint64_t max,
		      uint64_t *addr, uint64_t *size)
{
	if (!arg_u64(s, w[0], addr) || !arg_u64(s, w[1], size))
		return false;
	if (*size > max) {
		sendf(s, "ERR size 0x%" PRIx64 " too large (max 0x%" PRIx64
			 ")\n", *size, max);
		return false;
	}
	if (*size && *addr + (*size - 1) < *addr) {
		sendf(s, "ERR address range wraps\n");
		return false;
	}
	return true;
}

static uint32_t access_size(char c)
{
	switch (c) {
	case 'b':
		return 1;
	case 'w':
		return 2;
	case 'l':
		return 4;
	default:
		return 8;
	}
}

static void cmd_out(struct qtest_server *s, char **w, int n)
{
	uint32_t size = access_size(w[0][3]);
	uint64_t port, value;
	uint8_t data[4];

	if (!arg_port(s, w[1], &port) || !arg_u64(s, w[2], &value))
		return;
	io_data_set(data, size, value);
	bus_access(&pio_bus, port, data, size, true);
	sendf(s, "OK\n");
}

static void cmd_in(struct qtest_server *s, char **w, int n)
{
	uint32_t size = access_size(w[0][2]);
	uint64_t port;
	uint8_t data[4] = { 0 };

	if (!arg_port(s, w[1], &port))
		return;
	bus_access(&pio_bus, port, data, size, false);
	sendf(s, "OK 0x%04" PRIx64 "\n", io_data_get(data, size));
}

static void cmd_write_sized(struct qtest_server *s, char **w, int n)
{
	uint32_t size = access_size(w[0][5]);
	uint64_t addr, value;
	uint8_t data[8];

	if (!arg_u64(s, w[1], &addr) || !arg_u64(s, w[2], &value))
		return;
	if (addr + (size - 1) < addr) {
		sendf(s, "ERR address range wraps\n");
		return;
	}
	io_data_set(data, size, value);
	mem_sized(s->vm->mem, addr, data, size, true);
	sendf(s, "OK\n");
}

static void cmd_read_sized(struct qtest_server *s, char **w, int n)
{
	uint32_t size = access_size(w[0][4]);
	uint64_t addr;
	uint8_t data[8] = { 0 };

	if (!arg_u64(s, w[1], &addr))
		return;
	if (addr + (size - 1) < addr) {
		sendf(s, "ERR address range wraps\n");
		return;
	}
	mem_sized(s->vm->mem, addr, data, size, false);
	sendf(s, "OK 0x%016" PRIx64 "\n", io_data_get(data, size));
}

static void cmd_read(struct qtest_server *s, char **w, int n)
{
	bool b64 = w[0][0] == 'b';
	uint64_t addr, size;
	uint8_t *data;
	size_t plen;
	char *line;

	if (!arg_range(s, w + 1, QTEST_MAX_XFER, &addr, &size))
		return;
	if (size == 0 && !b64) {
		sendf(s, "ERR size must be at least 1\n");
		return;
	}
	plen = b64 ? 4 * ((size + 2) / 3) : 2 * size + 2;
	data = malloc(size ? size : 1);
	line = malloc(plen + 8);
	if (!data || !line) {
		sendf(s, "FAIL out of memory\n");
		goto out;
	}
	mem_access(s->vm->mem, addr, data, size, MEM_READ, 0);
	memcpy(line, "OK ", 3);
	if (b64) {
		qtest_b64_encode(data, size, line + 3);
	} else {
		memcpy(line + 3, "0x", 2);
		qtest_hex_encode(data, size, line + 5);
	}
	line[3 + plen] = '\n';
	send_line(s, line, plen + 4);
out:
	free(line);
	free(data);
}

static void cmd_write(struct qtest_server *s, char **w, int n)
{
	bool b64 = w[0][0] == 'b';
	uint64_t addr, size;
	uint8_t *data;
	long got;

	if (!arg_range(s, w + 1, QTEST_MAX_XFER, &addr, &size))
		return;
	if (strlen(w[3]) < 3) {
		sendf(s, "ERR invalid argument size\n");
		return;
	}
	data = malloc(size ? size : 1);
	if (!data) {
		sendf(s, "FAIL out of memory\n");
		return;
	}
	if (b64) {
		got = qtest_b64_decode(w[3], data, size);
		if (got < 0) {
			sendf(s, "ERR invalid base64 data\n");
			goto out;
		}
		if ((uint64_t)got != size && s->log)
			fprintf(s->log,
				"[S +%.6f] b64write: data length mismatch (told %" PRIu64 ", found %ld)\n",
				elapsed_s(s), size, got);
		if ((uint64_t)got < size)
			size = got;
	} else if (qtest_hex_decode(w[3], data, size)) {
		sendf(s, "ERR invalid hex data\n");
		goto out;
	}
	mem_access(s->vm->mem, addr, data, size, MEM_WRITE, 0);
	sendf(s, "OK\n");
out:
	free(data);
}

static void cmd_memset(struct qtest_server *s, char **w, int n)
{
	uint64_t addr, size, value;

	if (!arg_range(s, w + 1, QTEST_MAX_MEMSET, &addr, &size) ||
	    !arg_u64(s, w[3], &value))
		return;
	mem_access(s->vm->mem, addr, NULL, size, MEM_FILL, value);
	sendf(s, "OK\n");
}

static void cmd_endianness(struct qtest_server *s, char **w, int n)
{
	sendf(s, "OK little\n");
}

static void cmd_clock_step(struct qtest_server *s, char **w, int n)
{
	uint64_t old = vm_clock_ns(), target, now;
	int64_t ns;

	if (n > 1) {
		if (!arg_i64(s, w[1], &ns))
			return;
		if (ns <= 0)
			target = old;
		else
			target = (uint64_t)ns > INT64_MAX - old ? INT64_MAX
								: old + ns;
	} else {
		target = timers_next_deadline();
		if (target == UINT64_MAX) {
			sendf(s, "FAIL cannot advance clock to the next deadline "
				 "because there is no pending deadline\n");
			return;
		}
		if (target > INT64_MAX)
			target = INT64_MAX;
	}
	if (target > old)
		vm_clock_warp(target);
	now = vm_clock_ns();
	if (now > old)
		sendf(s, "OK %" PRIu64 "\n", now);
	else
		sendf(s, "FAIL could not advance time\n");
}

static void cmd_clock_set(struct qtest_server *s, char **w, int n)
{
	int64_t ns;
	uint64_t now;
	bool ok;

	if (!arg_i64(s, w[1], &ns))
		return;
	if (ns > 0 && (uint64_t)ns > vm_clock_ns())
		vm_clock_warp(ns);
	now = vm_clock_ns();
	ok = ns >= 0 && now == (uint64_t)ns;
	sendf(s, "%s %" PRIu64 "\n", ok ? "OK" : "FAIL", now);
}

static void set_icpt(struct qtest_server *s, enum qtest_icpt icpt)
{
	if (s->icpt != ICPT_NONE && s->icpt != icpt) {
		sendf(s, "FAIL IRQ intercept already enabled\n");
		return;
	}
	s->icpt = icpt;
	apply_intercepts(s);
	sendf(s, "OK\n");
}

static void cmd_irq_intercept(struct qtest_server *s, char **w, int n)
{
	bool out = w[0][14] == 'o';
	struct vm *vm = s->vm;

	if (n > 2 && !out) {
		sendf(s, "FAIL Interception of named in-GPIOs not yet supported\n");
		return;
	}
	if (is_ioapic_path(w[1]) && vm->user_irqchip && ioapic_present()) {
		if (out) {
			s->msi_icpt = true;
			sendf(s, "OK\n");
		} else {
			set_icpt(s, ICPT_GSI);
		}
		return;
	}
	if (is_pic_path(w[1]) && vm->user_irqchip && pic_present()) {
		if (out)
			set_icpt(s, ICPT_PIC_OUT);
		else
			sendf(s, "FAIL No intercepts installed\n");
		return;
	}
	sendf(s, "FAIL Unknown device\n");
}

static void cmd_set_irq_in(struct qtest_server *s, char **w, int n)
{
	bool ioapic = is_ioapic_path(w[1]);
	unsigned int max = ioapic ? IOAPIC_NUM_PINS : PIC_NUM_IRQS;
	uint64_t num;
	int64_t level;

	if (!(ioapic ? ioapic_present() : is_pic_path(w[1]) && pic_present())) {
		sendf(s, "FAIL Unknown device\n");
		return;
	}
	if (strcmp(w[2], "unnamed-gpio-in") != 0) {
		sendf(s, "FAIL Unknown GPIO list\n");
		return;
	}
	if (!arg_u64(s, w[3], &num) || !arg_i64(s, w[4], &level))
		return;
	if (num >= max) {
		sendf(s, "ERR irq number %" PRIu64 " out of range\n", num);
		return;
	}
	/* Like QEMU: that chip's input only, reported when intercepted. */
	bus_lock();
	if (!ioapic) {
		pic_set_irq(num, level != 0);
	} else {
		if (s->icpt == ICPT_GSI)
			report_irq(s, num, level != 0);
		ioapic_set_irq(num, level != 0);
	}
	bus_unlock();
	sendf(s, "OK\n");
}

static const struct qtest_cmd commands[] = {
	{ "outb", 2, "outb ADDR VALUE", cmd_out },
	{ "outw", 2, "outw ADDR VALUE", cmd_out },
	{ "outl", 2, "outl ADDR VALUE", cmd_out },
	{ "inb", 1, "inb ADDR", cmd_in },
	{ "inw", 1, "inw ADDR", cmd_in },
	{ "inl", 1, "inl ADDR", cmd_in },
	{ "writeb", 2, "writeb ADDR VALUE", cmd_write_sized },
	{ "writew", 2, "writew ADDR VALUE", cmd_write_sized },
	{ "writel", 2, "writel ADDR VALUE", cmd_write_sized },
	{ "writeq", 2, "writeq ADDR VALUE", cmd_write_sized },
	{ "readb", 1, "readb ADDR", cmd_read_sized },
	{ "readw", 1, "readw ADDR", cmd_read_sized },
	{ "readl", 1, "readl ADDR", cmd_read_sized },
	{ "readq", 1, "readq ADDR", cmd_read_sized },
	{ "read", 2, "read ADDR SIZE", cmd_read },
	{ "b64read", 2, "b64read ADDR SIZE", cmd_read },
	{ "write", 3, "write ADDR SIZE 0xDATA", cmd_write },
	{ "b64write", 3, "b64write ADDR SIZE B64DATA", cmd_write },
	{ "memset", 3, "memset ADDR SIZE VALUE", cmd_memset },
	{ "endianness", 0, "endianness", cmd_endianness },
	{ "clock_step", 0, "clock_step [NS]", cmd_clock_step },
	{ "clock_set", 1, "clock_set NS", cmd_clock_set },
	{ "irq_intercept_in", 1, "irq_intercept_in PATH", cmd_irq_intercept },
	{ "irq_intercept_out", 1, "irq_intercept_out PATH [NAME]",
	  cmd_irq_intercept },
	{ "set_irq_in", 4, "set_irq_in PATH NAME NUM LEVEL", cmd_set_irq_in },
};

static void log_command(struct qtest_server *s, char **w, int n)
{
	if (!s->log)
		return;
	fprintf(s->log, "[R +%.6f]", elapsed_s(s));
	for (int i = 0; i < n; i++)
		fprintf(s->log, " %s", w[i]);
	fputc('\n', s->log);
	/* The log is for finding out why a test hung: keep it current. */
	fflush(s->log);
}

static void dispatch(struct qtest_server *s, char **w, int n)
{
	char q[64];

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct qtest_cmd *c = &commands[i];

		if (strcmp(w[0], c->name) != 0)
			continue;
		if (n - 1 < c->min_args) {
			sendf(s, "ERR usage: %s\n", c->usage);
			return;
		}
		if (!s->vm) {
			sendf(s, "FAIL no machine\n");
			return;
		}
		c->fn(s, w, n);
		return;
	}
	sanitize(w[0], q, sizeof(q));
	sendf(s, "FAIL Unknown command '%s'\n", q);
}

void qtest_server_command(struct qtest_server *s, char *line)
{
	char *w[QTEST_MAX_WORDS];
	size_t len = strlen(line);
	bool nested = s->in_command;
	int n;

	if (len && line[len - 1] == '\r')
		line[len - 1] = '\0';
	s->in_command = true;
	s->ncommands++;
	n = qtest_split(line, w, QTEST_MAX_WORDS);
	if (n < 0) {
		log_command(s, w, QTEST_MAX_WORDS);
		sendf(s, "ERR too many arguments\n");
	} else if (n == 0) {
		log_command(s, w, 0);
		sendf(s, "FAIL Unknown command ''\n");
	} else {
		log_command(s, w, n);
		dispatch(s, w, n);
	}
	/*
	 * Timers due now (armed by the command at or before the current
	 * virtual time) fire before the next command, as QEMU's main loop
	 * would run them.
	 */
	if (vm_clock_is_virtual())
		timers_run_due();
	s->in_command = nested;
	if (!nested && s->out.len >= OUT_FLUSH_BYTES)
		qtest_server_flush(s);
}

static bool request_pending(const struct qtest_server *s)
{
	return s->vm && atomic_load(&s->vm->request) != VM_REQ_NONE;
}

/* Run every complete line in s->in; keep the unfinished rest. */
static void process_lines(struct qtest_server *s)
{
	size_t start = 0;

	while (!request_pending(s)) {
		char *line = s->in.p + start;
		char *nl = memchr(line, '\n', s->in.len - start);

		if (!nl)
			break;
		start = nl - s->in.p + 1;
		if (s->discarding) {
			s->discarding = false;
			continue;
		}
		if ((size_t)(nl - line) > QTEST_MAX_LINE) {
			sendf(s, "ERR line too long (max %u bytes)\n",
			      QTEST_MAX_LINE);
			continue;
		}
		*nl = '\0';
		qtest_server_command(s, line);
	}
	memmove(s->in.p, s->in.p + start, s->in.len - start);
	s->in.len -= start;
	if (s->discarding) {
		s->in.len = 0;
	} else if (s->in.len > QTEST_MAX_LINE) {
		sendf(s, "ERR line too long (max %u bytes)\n", QTEST_MAX_LINE);
		s->in.len = 0;
		s->discarding = true;
	}
}

void qtest_server_feed(struct qtest_server *s, const char *buf, size_t len)
{
	bool nested = s->in_command;

	s->in_command = true;
	while (len) {
		/* Bounded steps, so an overlong line never grows the buffer. */
		size_t step = len < RECV_CHUNK ? len : RECV_CHUNK;

		if (buf_reserve(&s->in, step + 1)) {
			sendf(s, "FAIL out of memory\n");
			s->in.len = 0;
			s->discarding = true;
			break;
		}
		memcpy(s->in.p + s->in.len, buf, step);
		s->in.len += step;
		buf += step;
		len -= step;
		process_lines(s);
	}
	if (!len && s->in.len)
		process_lines(s);
	s->in_command = nested;
	if (!nested)
		qtest_server_flush(s);
}

struct qtest_server *qtest_server_new(struct vm *vm)
{
	struct qtest_server *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->vm = vm;
	clock_gettime(CLOCK_MONOTONIC, &s->t0);
	return s;
}

void qtest_server_free(struct qtest_server *s)
{
	if (!s)
		return;
	if (s->vm && s->vm->irq_intercept == gsi_intercept) {
		s->vm->irq_intercept = NULL;
		s->vm->irq_intercept_opaque = NULL;
	}
	if (s->icpt == ICPT_PIC_OUT && pic_present()) {
		bus_lock();
		pic_set_output_hook(NULL, NULL);
		bus_unlock();
	}
	if (s->log && s->log != stderr)
		fclose(s->log);
	free(s->in.p);
	free(s->out.p);
	free(s);
}

void qtest_server_set_send(struct qtest_server *s, qtest_send_fn fn,
			   void *opaque)
{
	s->send = fn;
	s->send_opaque = opaque;
}

int qtest_server_set_log(struct qtest_server *s, const char *path)
{
	FILE *f;

	if (s->log && s->log != stderr)
		fclose(s->log);
	s->log = NULL;
	if (strcmp(path, "none") == 0)
		return 0;
	f = fopen(path, "w+e");
	if (!f)
		return -errno;
	s->log = f;
	return 0;
}

uint64_t qtest_server_commands(const struct qtest_server *s)
{
	return s->ncommands;
}

static void server_event(struct qtest_server *s, const char *what)
{
	if (s->log) {
		fprintf(s->log, "[I +%.6f] %s\n", elapsed_s(s), what);
		fflush(s->log);
	}
}

/* ---- the accelerator: one client socket per process ---- */

/*
 * The connection outlives a VM: a guest reset rebuilds the VM, and the test
 * must go on talking to the same process, as with QEMU.
 */
struct qtest_conn {
	struct qtest_server *srv;
	struct qtest_chardev dev;
	bool has_dev;
	int listen_fd;
	int fd;
	bool fd_watched, listen_watched;
	bool broken;		/* a send failed: close at the next event */
};

static struct qtest_conn conn = { .listen_fd = -1, .fd = -1 };

static void conn_send(void *opaque, const char *buf, size_t len)
{
	struct qtest_conn *c = opaque;

	while (len && c->fd >= 0 && !c->broken) {
		ssize_t n = send(c->fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* A client that stopped reading (or left). */
			c->broken = true;
			return;
		}
		buf += n;
		len -= n;
	}
}

static void conn_close(struct qtest_conn *c)
{
	if (c->fd < 0)
		return;
	if (c->fd_watched)
		event_del(c->fd);
	c->fd_watched = false;
	close(c->fd);
	c->fd = -1;
	server_event(c->srv, "CLOSED");
}

static void conn_hangup(struct qtest_conn *c)
{
	struct vm *vm = c->srv->vm;

	conn_close(c);
	if (vm)
		vm_request_exit(vm, 0);
}

static void conn_readable(void *opaque, uint32_t events)
{
	struct qtest_conn *c = opaque;
	char buf[RECV_CHUNK];
	ssize_t n;

	if (request_pending(c->srv))
		return;
	n = recv(c->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		conn_hangup(c);
		return;
	}
	qtest_server_feed(c->srv, buf, n);
	if (c->broken)
		conn_hangup(c);
}

static int conn_setup_fd(struct qtest_conn *c, int fd)
{
	struct timeval tv = { .tv_sec = SEND_TIMEOUT_S };

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	c->fd = fd;
	c->broken = false;
	clock_gettime(CLOCK_MONOTONIC, &c->srv->t0);
	if (c->srv->log) {
		fprintf(c->srv->log, "[I %.6f] OPENED\n", 0.0);
		fflush(c->srv->log);
	}
	memset(c->srv->irq_levels, 0, sizeof(c->srv->irq_levels));
	return 0;
}

static void conn_acceptable(void *opaque, uint32_t events)
{
	struct qtest_conn *c = opaque;
	int fd = accept4(c->listen_fd, NULL, NULL, SOCK_CLOEXEC);
	int ret;

	if (fd < 0)
		return;
	/* One client, as QEMU's qtest chardev: stop listening. */
	event_del(c->listen_fd);
	c->listen_watched = false;
	close(c->listen_fd);
	c->listen_fd = -1;
	conn_setup_fd(c, fd);
	ret = event_add(fd, EPOLLIN, conn_readable, c);
	if (ret) {
		log_error("qtest: cannot watch the client socket: %s",
			  strerror(-ret));
		conn_hangup(c);
		return;
	}
	c->fd_watched = true;
}

static char bound_path[sizeof(((struct sockaddr_un *)0)->sun_path)];

/* The socket we listen on is ours: leave no file behind at exit. */
static void unlink_bound_socket(void)
{
	if (bound_path[0])
		unlink(bound_path);
}

/*
 * A socket file left by a killed run would make bind() fail with EADDRINUSE
 * (QEMU removes it too); only a socket is removed, never another file.
 */
static void remove_stale_socket(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
}

static int conn_open(struct qtest_conn *c, const char *spec)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *why = NULL;
	int fd, ret;

	if (qtest_chardev_parse(spec, &c->dev, &why)) {
		log_error("-qtest %s: %s", spec, why);
		return -EINVAL;
	}
	memcpy(sa.sun_path, c->dev.path, sizeof(c->dev.path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		ret = -errno;
		log_error("-qtest %s: socket: %s", spec, strerror(errno));
		return ret;
	}
	if (!c->dev.server) {
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			ret = -errno;
			log_error("-qtest %s: connect: %s (is the test listening?)",
				  spec, strerror(errno));
			close(fd);
			return ret;
		}
		c->has_dev = true;
		return conn_setup_fd(c, fd);
	}
	remove_stale_socket(sa.sun_path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(fd, 1) < 0) {
		ret = -errno;
		log_error("-qtest %s: %s", spec, strerror(errno));
		close(fd);
		return ret;
	}
	if (!bound_path[0]) {
		memcpy(bound_path, sa.sun_path, sizeof(bound_path));
		atexit(unlink_bound_socket);
	}
	c->has_dev = true;
	if (!c->dev.wait) {
		c->listen_fd = fd;
		return 0;
	}
	ret = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
	close(fd);
	if (ret < 0) {
		ret = -errno;
		log_error("-qtest %s: accept: %s", spec, strerror(errno));
		return ret;
	}
	return conn_setup_fd(c, ret);
}

static bool qtest_has_irqchip(const struct vm *vm)
{
	return false;
}

static void conn_reset(struct qtest_conn *c)
{
	if (c->fd >= 0)
		close(c->fd);
	if (c->listen_fd >= 0)
		close(c->listen_fd);
	qtest_server_free(c->srv);
	*c = (struct qtest_conn){ .listen_fd = -1, .fd = -1 };
}

static int qtest_init(struct vm *vm)
{
	const struct vm_config *cfg = vm->cfg;
	int ret;

	vm->accel_priv = &conn;
	if (conn.srv) {
		/* The VM was rebuilt (a reset): same client, same clock. */
		conn.srv->vm = vm;
		return 0;
	}
	vm_clock_use_virtual();
	conn.srv = qtest_server_new(vm);
	if (!conn.srv) {
		log_error("qtest: out of memory");
		return -ENOMEM;
	}
	qtest_server_set_send(conn.srv, conn_send, &conn);
	if (cfg->qtest_log) {
		ret = qtest_server_set_log(conn.srv, cfg->qtest_log);
		if (ret) {
			log_error("-qtest-log %s: %s", cfg->qtest_log,
				  strerror(-ret));
			goto err;
		}
	}
	if (cfg->qtest_chardev) {
		ret = conn_open(&conn, cfg->qtest_chardev);
		if (ret)
			goto err;
	}
	return 0;
err:
	conn_reset(&conn);
	vm->accel_priv = NULL;
	return ret;
}

static int qtest_start(struct vm *vm)
{
	int ret;

	if (conn.listen_fd >= 0 && !conn.listen_watched) {
		ret = event_add(conn.listen_fd, EPOLLIN, conn_acceptable,
				&conn);
		if (ret)
			goto err;
		conn.listen_watched = true;
	}
	if (conn.fd >= 0 && !conn.fd_watched) {
		ret = event_add(conn.fd, EPOLLIN, conn_readable, &conn);
		if (ret)
			goto err;
		conn.fd_watched = true;
	}
	apply_intercepts(conn.srv);
	/* Lines that arrived before a reset rebuilt the VM. */
	qtest_server_feed(conn.srv, NULL, 0);
	return 0;
err:
	log_error("qtest: cannot watch the socket: %s", strerror(-ret));
	return ret;
}

static void qtest_stop(struct vm *vm)
{
	if (conn.fd_watched)
		event_del(conn.fd);
	if (conn.listen_watched)
		event_del(conn.listen_fd);
	conn.fd_watched = conn.listen_watched = false;
}

static void qtest_destroy(struct vm *vm)
{
	qtest_stop(vm);
	if (vm->accel_priv != &conn)
		return;
	vm->accel_priv = NULL;
	if (conn.has_dev && (conn.fd >= 0 || conn.listen_fd >= 0)) {
		/* Kept for the next VM of this process (reset); see above. */
		if (vm->irq_intercept == gsi_intercept)
			vm->irq_intercept = NULL;
		conn.srv->vm = NULL;
		return;
	}
	conn_reset(&conn);
}

/* Unreachable while qtest has no irqchip of its own; route like the chip. */
static void qtest_set_irq(struct vm *vm, unsigned int gsi, int level)
{
	if (vm->irqchip.set_irq)
		vm->irqchip.set_irq(vm->irqchip.opaque, gsi, level);
}

/* No CPU takes the message; the test sees it after irq_intercept_out ioapic. */
static int qtest_send_msi(struct vm *vm, uint64_t addr, uint32_t data)
{
	struct qtest_server *s = qtest_server_of(vm);

	if (s && s->msi_icpt)
		sendf(s, "IRQ msi 0x%08" PRIx64 " 0x%08x\n", addr, data);
	return 0;
}

struct qtest_server *qtest_server_of(struct vm *vm)
{
	if (vm->accel != &qtest_accel_ops || vm->accel_priv != &conn)
		return NULL;
	return conn.srv;
}

const struct accel_ops qtest_accel_ops = {
	.name = "qtest",
	.help = "no guest CPU: a test drives the devices (-qtest unix:PATH)",
	.kind = ACCEL_QTEST,
	.has_irqchip = qtest_has_irqchip,
	.init = qtest_init,
	.start = qtest_start,
	.stop = qtest_stop,
	.destroy = qtest_destroy,
	.set_irq = qtest_set_irq,
	.send_msi = qtest_send_msi,
};
