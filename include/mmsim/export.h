/* export.h — what marks libmmsim's public interface.
 *
 * The library is built with hidden visibility: of its functions, the shared
 * libmmsim.so exports only those declared MMSIM_API (the ones in these
 * headers), so nothing internal becomes an accidental ABI. The headers are
 * C, and usable from C++: their declarations have C linkage. */
#ifndef MMSIM_EXPORT_H
#define MMSIM_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define MMSIM_API __attribute__((visibility("default")))
#else
#define MMSIM_API
#endif

#ifdef __cplusplus
#define MMSIM_BEGIN_DECLS extern "C" {
#define MMSIM_END_DECLS }
#else
#define MMSIM_BEGIN_DECLS
#define MMSIM_END_DECLS
#endif

#endif /* MMSIM_EXPORT_H */
