/* test.h — a minimal harness in the style of the kernel's tools/testing.
 *
 * Tests are `static bool test_x(void)`; ASSERT_* report file, line and
 * function and make the test return false. A passing run prints nothing
 * but the summary line; -v names each test as it runs. */
#ifndef MMSIM_TEST_H
#define MMSIM_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern int test_verbose;

#define ASSERT_TRUE(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: %s: assertion failed: %s\n", __FILE__, __LINE__, \
			__func__, #cond); \
		return false; \
	} } while (0)

#define ASSERT_EQ(a, b) do { \
	long long _a = (long long)(a), _b = (long long)(b); \
	if (_a != _b) { \
		fprintf(stderr, "%s:%d: %s: %s == %s failed: %lld (%#llx) != %lld (%#llx)\n", \
			__FILE__, __LINE__, __func__, #a, #b, _a, (unsigned long long)_a, \
			_b, (unsigned long long)_b); \
		return false; \
	} } while (0)

#define ASSERT_NEAR(a, b, tol) do { \
	long long _a = (long long)(a), _b = (long long)(b), _t = (long long)(tol); \
	if (_a - _b > _t || _b - _a > _t) { \
		fprintf(stderr, "%s:%d: %s: %s = %lld is not within %lld of %s = %lld\n", \
			__FILE__, __LINE__, __func__, #a, _a, _t, #b, _b); \
		return false; \
	} } while (0)

#define ASSERT_STR_CONTAINS(hay, needle) do { \
	const char *_h = (hay), *_n = (needle); \
	if (!_h || !strstr(_h, _n)) { \
		fprintf(stderr, "%s:%d: %s: expected to find \"%s\" in:\n%s\n", __FILE__, \
			__LINE__, __func__, _n, _h ? _h : "(null)"); \
		return false; \
	} } while (0)

#define ASSERT_STR_LACKS(hay, needle) do { \
	const char *_h = (hay), *_n = (needle); \
	if (_h && strstr(_h, _n)) { \
		fprintf(stderr, "%s:%d: %s: did not expect \"%s\" in:\n%s\n", __FILE__, \
			__LINE__, __func__, _n, _h); \
		return false; \
	} } while (0)

struct test_case {
	const char *name;
	bool (*fn)(void);
};

#define TEST(fn) { #fn, fn }

/* Is @name among the names given on the command line (all run when none is)? */
static inline bool test_selected(int argc, char **argv, const char *name)
{
	bool any = false;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "-v"))
			continue;
		any = true;
		if (!strcmp(argv[i], name))
			return true;
	}
	return !any;
}

/*
 * Run the cases (or only those named: `test_x [-v] [NAME...]`); prints
 * "N passed, N failed" and returns the exit status.
 */
static inline int test_main(int argc, char **argv, const struct test_case *cases, size_t n)
{
	int passed = 0, failed = 0;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-v"))
			test_verbose = 1;
	for (size_t i = 0; i < n; i++) {
		if (!test_selected(argc, argv, cases[i].name))
			continue;
		if (test_verbose)
			fprintf(stderr, "-- %s\n", cases[i].name);
		if (cases[i].fn()) {
			passed++;
		} else {
			failed++;
			fprintf(stderr, "FAIL %s\n", cases[i].name);
		}
	}
	printf("%s: %d passed, %d failed\n", argv[0], passed, failed);
	return failed ? 1 : 0;
}

#define TEST_MAIN(...) \
	int test_verbose; \
	int main(int argc, char **argv) \
	{ \
		static const struct test_case cases[] = { __VA_ARGS__ }; \
		return test_main(argc, argv, cases, sizeof(cases) / sizeof(cases[0])); \
	}

#endif /* MMSIM_TEST_H */
