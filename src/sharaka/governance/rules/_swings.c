/*
 * Exact swing counts of a weighted game by coalition size, modulo small primes.
 *
 * The optional compiled kernel of sharaka.governance.rules.power (docs/rules-engine.md,
 * docs/decisions/0007-compiled-swing-kernel.md). power.py has the same computation in pure
 * Python (packed big integers); this module does it with 32-bit modular arithmetic, one
 * prime at a time, and Python rebuilds the exact counts with the Chinese remainder theorem
 * (combine() below). Nothing here allocates Python objects while the GIL is released.
 *
 * table[s][u] = number of coalitions of the "light" players (weight < quota) with s
 * members and weight u < quota, modulo p. Players are added heaviest first, so that rows
 * stay short for as long as possible, and in blocks of BLOCK players per sweep over the
 * table: the sweep goes up the rows and keeps, for the previous row, the BLOCK intermediate
 * rows (after 1, 2, ... players of the block) in a small buffer that stays in cache, so
 * the table itself is read and written once per block rather than once per player.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if defined(_MSC_VER)
#define RESTRICT __restrict
#else
#define RESTRICT restrict
#endif

/* The inner loop twice, with and without AVX2, where the toolchain can pick at load time. */
#define SIMD_CLONES
#if defined(__x86_64__) && defined(__linux__) && defined(__has_attribute)
#if __has_attribute(target_clones)
#undef SIMD_CLONES
#define SIMD_CLONES __attribute__((target_clones("avx2", "default")))
#endif
#endif

typedef struct {
    int64_t lo, hi; /* cells [lo, hi) may be non-zero; every other cell is zero */
} span;

static inline uint32_t add_mod(uint32_t a, uint32_t b, uint32_t p)
{
    uint32_t x = a + b; /* a, b < p < 2^31: no overflow */
    return x >= p ? x - p : x;
}

static inline uint32_t sub_mod(uint32_t a, uint32_t b, uint32_t p)
{
    return a >= b ? a - b : a + (p - b);
}

static inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }
static inline int64_t max64(int64_t a, int64_t b) { return a > b ? a : b; }

static void clear(uint32_t *row, span *sp)
{
    if (sp->hi > sp->lo)
        memset(row + sp->lo, 0, (size_t)(sp->hi - sp->lo) * sizeof(uint32_t));
    sp->lo = 0;
    sp->hi = 0;
}

/*
 * dst = a + (b moved up by w cells), truncated to [0, q). dst is cleared first; a and b
 * are zero outside their spans, so reading them anywhere in [0, q) is safe.
 */
SIMD_CLONES
static void shifted_sum(uint32_t *RESTRICT dst, span *dsp, const uint32_t *RESTRICT a, span asp,
                        const uint32_t *RESTRICT b, span bsp, int64_t w, int64_t q, uint32_t p)
{
    clear(dst, dsp);
    int64_t blo = bsp.lo + w, bhi = min64(bsp.hi + w, q);
    int has_a = asp.hi > asp.lo, has_b = bhi > blo;
    if (!has_a && !has_b)
        return;
    int64_t lo = has_a ? (has_b ? min64(asp.lo, blo) : asp.lo) : blo;
    int64_t hi = has_a ? (has_b ? max64(asp.hi, bhi) : asp.hi) : bhi;
    /* below w, b contributes nothing (its cells start at index 0) */
    int64_t split = min64(max64(lo, w), hi);
    for (int64_t u = lo; u < split; u++)
        dst[u] = a[u];
    for (int64_t u = split; u < hi; u++)
        dst[u] = add_mod(a[u], b[u - w], p);
    dsp->lo = lo;
    dsp->hi = hi;
}

/*
 * Fill table (rows x stride cells, zeroed, stride >= q + 1) for the players' weights
 * (heaviest first, each in [1, q)). rows = m + 1. Returns the highest non-empty row.
 */
static int64_t fill_table(uint32_t *table, span *row_span, int64_t stride, const int64_t *weights,
                          int64_t m, int64_t q, uint32_t p, int64_t block, uint32_t *buffers)
{
    /* buffers: 2 sets of (block + 1) rows of q cells, zeroed */
    uint32_t *set[2] = {buffers, buffers + (size_t)(block + 1) * (size_t)q};
    span *spans = calloc((size_t)(2 * (block + 1)), sizeof(span));
    if (spans == NULL)
        return -1;
    span *set_span[2] = {spans, spans + block + 1};

    table[0] = 1;
    row_span[0].lo = 0;
    row_span[0].hi = 1;
    int64_t top = 0;
    for (int64_t first = 0; first < m; first += block) {
        int64_t k = min64(block, m - first);
        const int64_t *w = weights + first;
        int64_t last_row = min64(m, top + k);
        for (int r = 0; r <= k; r++) {
            clear(set[0] + (size_t)r * q, &set_span[0][r]);
            clear(set[1] + (size_t)r * q, &set_span[1][r]);
        }
        int prev = 0, cur = 1; /* set[prev]: intermediates of row s - 1 (empty for s = 0) */
        for (int64_t s = 0; s <= last_row; s++) {
            uint32_t *row = table + (size_t)s * (size_t)stride;
            uint32_t *c0 = set[cur];
            span *cs = set_span[cur];
            /* intermediate 0: the row before this block */
            clear(c0, &cs[0]);
            if (row_span[s].hi > row_span[s].lo) {
                memcpy(c0 + row_span[s].lo, row + row_span[s].lo,
                       (size_t)(row_span[s].hi - row_span[s].lo) * sizeof(uint32_t));
                cs[0] = row_span[s];
            }
            /* intermediate r: after player r of the block (size s from size s - 1) */
            for (int64_t r = 1; r <= k; r++) {
                shifted_sum(c0 + (size_t)r * q, &cs[r], c0 + (size_t)(r - 1) * q, cs[r - 1],
                            set[prev] + (size_t)(r - 1) * q, set_span[prev][r - 1], w[r - 1], q, p);
            }
            if (cs[k].hi > cs[k].lo) {
                memcpy(row + cs[k].lo, c0 + (size_t)k * q + cs[k].lo,
                       (size_t)(cs[k].hi - cs[k].lo) * sizeof(uint32_t));
                row_span[s] = cs[k];
                if (s > top)
                    top = s;
            }
            prev = cur;
            cur = 1 - cur;
        }
    }
    free(spans);
    return top;
}

/*
 * For each class weight v: out[c][s] = number of coalitions of size s, among the players
 * other than one player of weight v, whose weight lies in [q - v, q), modulo p.
 *
 * table rows become prefix sums P_s(t) = sum of cells u < t (t = 0..q). For v < q the
 * player is in the table and is removed by dividing by (1 + y x^v):
 * F_s(t) = P_s(t) - F_{s-1}(t - v), F = 0 for t <= 0, window_s = F_s(q) - F_s(q - v).
 * With f_s[j] = F_s(q - j v) only j <= top - s + 1 is ever needed. Rows are visited once,
 * every class reading the row while it is in cache.
 */
static int windows(uint32_t *table, int64_t stride, int64_t top, int64_t q, const int64_t *classes,
                   int64_t n_classes, int64_t sizes, uint32_t p, uint32_t *out)
{
    /* prefix sums, eight rows at a time so that the eight running sums overlap */
    for (int64_t s0 = 0; s0 <= top; s0 += 8) {
        int64_t lanes = min64(8, top + 1 - s0);
        uint32_t *rows[8];
        uint32_t acc[8] = {0};
        for (int64_t l = 0; l < 8; l++)
            rows[l] = table + (size_t)(s0 + (l < lanes ? l : 0)) * (size_t)stride;
        if (lanes == 8) {
            for (int64_t t = 0; t < q; t++) {
                for (int l = 0; l < 8; l++) {
                    uint32_t cell = rows[l][t];
                    rows[l][t] = acc[l];
                    acc[l] = add_mod(acc[l], cell, p);
                }
            }
        } else {
            for (int64_t l = 0; l < lanes; l++) {
                for (int64_t t = 0; t < q; t++) {
                    uint32_t cell = rows[l][t];
                    rows[l][t] = acc[l];
                    acc[l] = add_mod(acc[l], cell, p);
                }
            }
        }
        for (int64_t l = 0; l < lanes; l++)
            rows[l][q] = acc[l];
    }
    int64_t reach = top + 3;
    uint32_t *f = malloc((size_t)(2 * n_classes * reach) * sizeof(uint32_t));
    if (f == NULL)
        return -1;
    memset(f, 0, (size_t)(2 * n_classes * reach) * sizeof(uint32_t));
    memset(out, 0, (size_t)(n_classes * sizes) * sizeof(uint32_t));
    /* f rows of class c: before = f + (2c + (s & 1)) * reach, now = the other one */
    for (int64_t s = 0; s <= top; s++) {
        const uint32_t *row = table + (size_t)s * (size_t)stride;
        for (int64_t c = 0; c < n_classes; c++) {
            int64_t v = classes[c];
            if (v >= q) { /* not in the table: every coalition below the quota */
                if (s < sizes)
                    out[(size_t)c * (size_t)sizes + (size_t)s] = row[q];
                continue;
            }
            uint32_t *before = f + (size_t)(2 * c + (s & 1)) * (size_t)reach;
            uint32_t *now = f + (size_t)(2 * c + 1 - (s & 1)) * (size_t)reach;
            int64_t steps = (q - 1) / v; /* q - steps * v >= 1 */
            int64_t jmax = min64(steps, top - s + 1);
            for (int64_t j = 0; j <= jmax; j++)
                now[j] = sub_mod(row[q - j * v], before[j + 1], p);
            now[jmax + 1] = 0;
            if (s < sizes)
                out[(size_t)c * (size_t)sizes + (size_t)s] = sub_mod(now[0], now[1], p);
        }
    }
    free(f);
    return 0;
}

static int check_weights(const int64_t *weights, int64_t m, int64_t q)
{
    for (int64_t i = 0; i < m; i++) {
        if (weights[i] < 1 || weights[i] >= q || (i > 0 && weights[i] > weights[i - 1]))
            return 0;
    }
    return 1;
}

PyDoc_STRVAR(residues_doc,
             "residues(weights, quota, classes, sizes, primes) -> bytes\n\n"
             "weights: int64 array, heaviest first, each in [1, quota); classes: int64 array of\n"
             "weights; primes: uint32 array of primes in (2^29, 2^30). Returns uint32 residues\n"
             "[prime][class][size] of the swing counts by coalition size (sizes 0..sizes-1).");

static PyObject *residues(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer wb, cb, pb;
    long long q_arg, sizes_arg;
    if (!PyArg_ParseTuple(args, "y*Ly*Ly*", &wb, &q_arg, &cb, &sizes_arg, &pb))
        return NULL;
    PyObject *result = NULL;
    int64_t q = q_arg, sizes = sizes_arg;
    int64_t m = wb.len / 8, n_classes = cb.len / 8, n_primes = pb.len / 4;
    const int64_t *weights = wb.buf, *classes = cb.buf;
    const uint32_t *primes = pb.buf;
    if (wb.len % 8 || cb.len % 8 || pb.len % 4 || q < 1 || sizes < 0 || sizes > (1 << 24) ||
        !check_weights(weights, m, q)) {
        PyErr_SetString(PyExc_ValueError, "residues: malformed arguments");
        goto done;
    }
    for (int64_t i = 0; i < n_primes; i++) {
        if (primes[i] < (1u << 29) || primes[i] >= (1u << 30)) {
            PyErr_SetString(PyExc_ValueError, "residues: primes must lie in (2^29, 2^30)");
            goto done;
        }
    }
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(n_primes * n_classes * sizes * 4));
    if (result == NULL)
        goto done;
    uint32_t *out = (uint32_t *)PyBytes_AS_STRING(result);
    int64_t stride = q + 1;
    /* keep both buffer sets (2 x (block + 1) rows) within about 1 MiB */
    int64_t block = (1 << 20) / (int64_t)(8 * q) - 1;
    block = block < 1 ? 1 : (block > 32 ? 32 : block);
    int failed = 0;
    Py_BEGIN_ALLOW_THREADS;
    size_t cells = (size_t)(m + 1) * (size_t)stride;
    uint32_t *table = malloc(cells * sizeof(uint32_t));
    span *row_span = malloc((size_t)(m + 1) * sizeof(span));
    uint32_t *buffers = calloc((size_t)(2 * (block + 1)) * (size_t)q, sizeof(uint32_t));
    if (table == NULL || row_span == NULL || buffers == NULL)
        failed = 1;
    for (int64_t i = 0; i < n_primes && !failed; i++) {
        memset(table, 0, cells * sizeof(uint32_t));
        memset(buffers, 0, (size_t)(2 * (block + 1)) * (size_t)q * sizeof(uint32_t));
        for (int64_t s = 0; s <= m; s++)
            row_span[s].lo = row_span[s].hi = 0;
        int64_t top = fill_table(table, row_span, stride, weights, m, q, primes[i], block, buffers);
        if (top < 0 ||
            windows(table, stride, top, q, classes, n_classes, sizes, primes[i],
                    out + (size_t)i * (size_t)(n_classes * sizes)) < 0)
            failed = 1;
    }
    free(table);
    free(row_span);
    free(buffers);
    Py_END_ALLOW_THREADS;
    if (failed) {
        Py_CLEAR(result);
        PyErr_NoMemory();
    }
done:
    PyBuffer_Release(&wb);
    PyBuffer_Release(&cb);
    PyBuffer_Release(&pb);
    return result;
}

static uint32_t pow_mod(uint64_t base, uint64_t exp, uint64_t p)
{
    uint64_t r = 1;
    base %= p;
    while (exp) {
        if (exp & 1)
            r = r * base % p;
        base = base * base % p;
        exp >>= 1;
    }
    return (uint32_t)r;
}

PyDoc_STRVAR(combine_doc,
             "combine(residues, primes) -> bytes\n\n"
             "residues: uint32 array [prime][value]; primes: distinct uint32 primes. Returns each\n"
             "value's unique integer in [0, product of primes) as 4 x len(primes) little-endian\n"
             "bytes (Garner's mixed radix, then Horner in 32-bit limbs).");

static PyObject *combine(PyObject *self, PyObject *args)
{
    (void)self;
    Py_buffer rb, pb;
    if (!PyArg_ParseTuple(args, "y*y*", &rb, &pb))
        return NULL;
    PyObject *result = NULL;
    int64_t k = pb.len / 4;
    const uint32_t *primes = pb.buf, *res = rb.buf;
    if (pb.len % 4 || k < 1 || rb.len % (4 * k)) {
        PyErr_SetString(PyExc_ValueError, "combine: malformed arguments");
        goto done;
    }
    int64_t count = rb.len / (4 * k);
    result = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(count * k * 4));
    if (result == NULL)
        goto done;
    uint32_t *out = (uint32_t *)PyBytes_AS_STRING(result);
    uint32_t *inv = malloc((size_t)(k * k) * sizeof(uint32_t));
    uint32_t *digit = malloc((size_t)k * sizeof(uint32_t));
    if (inv == NULL || digit == NULL) {
        free(inv);
        free(digit);
        Py_CLEAR(result);
        PyErr_NoMemory();
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS;
    for (int64_t j = 0; j < k; j++)
        for (int64_t i = 0; i < k; i++)
            inv[j * k + i] = i == j ? 0 : pow_mod(primes[j], primes[i] - 2, primes[i]);
    for (int64_t v = 0; v < count; v++) {
        /* mixed radix: value = d0 + p0 (d1 + p1 (d2 + ...)) */
        for (int64_t i = 0; i < k; i++) {
            uint64_t p = primes[i];
            uint64_t x = res[(size_t)i * (size_t)count + (size_t)v] % p;
            for (int64_t j = 0; j < i; j++)
                x = (x + p - digit[j] % p) % p * inv[j * k + i] % p;
            digit[i] = (uint32_t)x;
        }
        uint32_t *limbs = out + (size_t)v * (size_t)k;
        memset(limbs, 0, (size_t)k * sizeof(uint32_t));
        for (int64_t i = k - 1; i >= 0; i--) {
            uint64_t carry = digit[i];
            for (int64_t l = 0; l < k; l++) {
                uint64_t x = (uint64_t)limbs[l] * primes[i] + carry;
                limbs[l] = (uint32_t)x;
                carry = x >> 32;
            }
        }
    }
    Py_END_ALLOW_THREADS;
    free(inv);
    free(digit);
done:
    PyBuffer_Release(&rb);
    PyBuffer_Release(&pb);
    return result;
}

static PyMethodDef methods[] = {
    {"residues", residues, METH_VARARGS, residues_doc},
    {"combine", combine, METH_VARARGS, combine_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_swings", "Compiled swing counts for weighted games.", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC PyInit__swings(void) { return PyModule_Create(&module); }
